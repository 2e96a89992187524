package org.overparam.trainer.fit;

/**
 * The least-squares slope {@code b} of {@code ln loss_s = a + b s} over a window of steps: the per-step
 * log-rate of the loss (negative while it falls). Steps whose loss is not finite or not positive (not
 * evaluated, NaN; a squared hinge at exactly 0) are left out. Logarithms by {@link StrictMath}, and two passes
 * (means first), so the value and every decision taken on it are the same on every JVM.
 */
public final class LogSlope {
    /** Fewer points than this leave the slope undefined. */
    public static final int MIN_POINTS = 3;

    private LogSlope() {
    }

    /** The slope over the steps {@code from..to} (both included) of {@code losses}; NaN with fewer than {@link #MIN_POINTS} points. */
    public static double over(double[] losses, int from, int to) {
        int lo = Math.max(0, from);
        int hi = Math.min(losses.length - 1, to);
        int count = 0;
        double sx = 0;
        double sy = 0;
        for (int s = lo; s <= hi; s++) {
            double l = losses[s];
            if (usable(l)) {
                count++;
                sx += s;
                sy += StrictMath.log(l);
            }
        }
        if (count < MIN_POINTS) {
            return Double.NaN;
        }
        double mx = sx / count;
        double my = sy / count;
        double sxx = 0;
        double sxy = 0;
        for (int s = lo; s <= hi; s++) {
            double l = losses[s];
            if (usable(l)) {
                double dx = s - mx;
                sxx += dx * dx;
                sxy += dx * (StrictMath.log(l) - my);
            }
        }
        return sxy / sxx;
    }

    /** The slope over the last half of a run of {@code steps} updates: steps {@code ⌊steps/2⌋..steps}. */
    public static double lastHalf(double[] losses, int steps) {
        return over(losses, steps / 2, steps);
    }

    /**
     * Steps from a loss {@code loss} to a level {@code target < loss} at a log-slope {@code slope}:
     * {@code ln(target/loss)/slope}; +∞ when the slope is not negative, NaN when it is undefined.
     */
    public static double stepsTo(double loss, double target, double slope) {
        if (Double.isNaN(slope)) {
            return Double.NaN;
        }
        return slope < 0 ? StrictMath.log(target / loss) / slope : Double.POSITIVE_INFINITY;
    }

    private static boolean usable(double l) {
        return l > 0 && l < Double.POSITIVE_INFINITY;
    }
}
