package org.overparam.trainer.kernel;

/** The extreme eigenvalues of a symmetric matrix. */
public record Spectrum(double min, double max) {
}
