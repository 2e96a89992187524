package org.overparam.trainer.ntk;

/** The extreme eigenvalues of a symmetric matrix. */
public record Spectrum(double min, double max) {
}
