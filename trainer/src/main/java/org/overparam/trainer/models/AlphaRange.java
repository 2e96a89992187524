package org.overparam.trainer.models;

/**
 * The init scales α a theorem is stated for (theory.md §2: Thm 4.1 for α ≤ 1, Thm 4.2 for α ≥ 1); {@link #ALL}
 * for a model without α or a theorem for every α.
 *
 * @param lo         the lower end (−∞ for none)
 * @param loIncluded whether α = lo is in the range
 * @param hi         the upper end (+∞ for none)
 * @param hiIncluded whether α = hi is in the range
 */
public record AlphaRange(double lo, boolean loIncluded, double hi, boolean hiIncluded) {
    /** Every α, and trials without one. */
    public static final AlphaRange ALL = new AlphaRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    /** α ≤ x. */
    public static AlphaRange atMost(double x) {
        return new AlphaRange(Double.NEGATIVE_INFINITY, false, x, true);
    }

    /** α ≥ x. */
    public static AlphaRange atLeast(double x) {
        return new AlphaRange(x, true, Double.POSITIVE_INFINITY, false);
    }

    /** α > x. */
    public static AlphaRange above(double x) {
        return new AlphaRange(x, false, Double.POSITIVE_INFINITY, false);
    }

    /** Whether this is {@link #ALL}: no condition on α. */
    public boolean unbounded() {
        return lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY;
    }

    /** Whether {@code alpha} is in the range (a trial without α is only in {@link #ALL}). */
    public boolean contains(Double alpha) {
        if (alpha == null) {
            return unbounded();
        }
        return (loIncluded ? alpha >= lo : alpha > lo) && (hiIncluded ? alpha <= hi : alpha < hi);
    }
}
