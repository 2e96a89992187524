package org.overparam.trainer.models;

/**
 * A theorem's width condition for a model, as its exponent of n (logarithmic factors, constants and the
 * data-dependent λ0, μ0, γ aside; theory.md §1–6), for the trials whose α is in {@code alpha}. The
 * {@code scaling} table puts it beside the measured p ({@code theory_p}, {@code theory}).
 *
 * @param alpha     the init scales the theorem is stated for
 * @param exponent  the exponent of n in the width it asks for
 * @param statement the theorem and its width condition, as the tables and the report show it
 */
public record WidthBound(AlphaRange alpha, double exponent, String statement) {
}
