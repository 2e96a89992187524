package org.overparam.trainer.fit;

/**
 * The fitted linear convergence rate of a loss curve (theory.md §6): least squares of
 * {@code ln loss_s = a + b s} and {@code ρ = 1 − e^b}, so {@code loss_s ≈ C (1 − ρ)^s}.
 *
 * <p>The fit uses the steps whose loss lies between {@code 1e−12} and {@code 1e−2} of the initial
 * loss; when fewer than {@link #MIN_POINTS} steps do, it falls back to the second half of the run
 * ("as the run allows"), and it is undefined (NaN) when even that has too few positive finite points.
 *
 * @param rate   ρ, per step (negative when the loss grows)
 * @param r2     coefficient of determination of the log-linear fit
 * @param points number of steps used
 */
public record RateFit(double rate, double r2, int points) {
    public static final double WINDOW_HIGH = 1e-2;
    public static final double WINDOW_LOW = 1e-12;
    public static final int MIN_POINTS = 3;
    public static final RateFit UNDEFINED = new RateFit(Double.NaN, Double.NaN, 0);

    /** Fits {@code losses[s]}, the loss after {@code s} updates. */
    public static RateFit of(double[] losses) {
        if (losses.length == 0) {
            return UNDEFINED;
        }
        double loss0 = losses[0];
        RateFit inWindow = fit(losses, 0, losses.length, loss0 * WINDOW_LOW, loss0 * WINDOW_HIGH);
        if (inWindow.points >= MIN_POINTS) {
            return inWindow;
        }
        RateFit tail = fit(losses, (losses.length - 1) / 2, losses.length, Double.MIN_VALUE, Double.MAX_VALUE);
        return tail.points >= MIN_POINTS ? tail : UNDEFINED;
    }

    private static RateFit fit(double[] losses, int from, int to, double low, double high) {
        int count = 0;
        double sx = 0;
        double sy = 0;
        for (int s = from; s < to; s++) {
            double l = losses[s];
            if (Double.isFinite(l) && l > 0 && l >= low && l <= high) {
                count++;
                sx += s;
                sy += Math.log(l);
            }
        }
        if (count < MIN_POINTS) {
            return new RateFit(Double.NaN, Double.NaN, count);
        }
        double mx = sx / count;
        double my = sy / count;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int s = from; s < to; s++) {
            double l = losses[s];
            if (Double.isFinite(l) && l > 0 && l >= low && l <= high) {
                double dx = s - mx;
                double dy = Math.log(l) - my;
                sxx += dx * dx;
                sxy += dx * dy;
                syy += dy * dy;
            }
        }
        double slope = sxy / sxx;
        double r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1.0;
        return new RateFit(-Math.expm1(slope), r2, count);
    }
}
