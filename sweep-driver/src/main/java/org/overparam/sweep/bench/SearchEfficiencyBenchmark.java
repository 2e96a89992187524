package org.overparam.sweep.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.search.adaptive.AdaptiveStudy;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdEstimator;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;
import org.overparam.sweep.threshold.ThresholdModel;
import org.overparam.sweep.threshold.WidthBracket;

/**
 * Trials the two width searches need for the same precision of the exponent p, with a simulated oracle
 * (each trial converges with chance {@code P(m, n) = (1 − λ) F((ln m − a − p ln n)/s)}, no network trained),
 * at equal δ. <b>Bisect</b> does what {@code search: {m: bisect}} does ({@code WidthSearch}): every n at
 * the coarse widths {@code lo, 2lo, …, hi}, then the geometric midpoint of its {@link WidthBracket} until
 * the bracket ratio is within the resolution, every width at all K seeds (a width succeeds when at least
 * 1 − δ of them converge); each n's {@code m*} by {@link ThresholdEstimator#mStar}; then ln m* regressed on
 * ln n with the t-interval of {@code ScalingFit} (the same arithmetic, in plain Java). Two comparisons per
 * setting and bisect configuration (seeds K, resolution):
 * <ul>
 * <li>{@code ratio}: {@link AdaptiveStudy} with its target set to bisect's median 95 % half-width of p, the
 * trials it spends to reach it over bisect's trials. This trusts both sides' intervals; each side's
 * coverage of the true p is printed beside it.</li>
 * <li>{@code ratio_same_err95}: the precision actually reached, whatever the intervals claim: the 95th
 * percentile of |p̂ − p| over the studies. Adaptive studies at fixed budgets (the ladder, twice as many
 * studies) give it as a function of trials; the trials at which it meets bisect's (log-log interpolated)
 * over bisect's trials.</li>
 * </ul>
 * Every study has its own fixed seed; the figures are trial counts, so the machine's load does not change them.
 *
 * <p>Usage: {@code SearchEfficiencyBenchmark [--studies R] [--cap T]} (defaults 20 and 4000: adaptive
 * studies that have not reached the target by T trials stop there and count T); run by
 * {@code scripts/bench-search.sh}. Prints the ladder ({@code adaptive_ladder …}), one {@code search …} line
 * per setting and bisect configuration, then the median and the largest of each ratio.
 */
public final class SearchEfficiencyBenchmark {
    static final int[] NS = {10, 20, 40, 80, 160, 320};
    static final int LO = 4;
    static final int HI = 8192;
    static final double DELTA = 0.1;
    static final int BATCH = 16;
    /** Budgets at which the adaptive studies' actual precision is measured. */
    static final int[] LADDER = {34, 50, 66, 98, 130, 194, 258, 386, 514, 770};

    private SearchEfficiencyBenchmark() {
    }

    /** An oracle setting: exponent p, slope s, lapse λ; a puts m*(10) near 20 so every threshold lies in [lo, hi]. */
    record Setting(double p, double s, double lambda) {
        ThresholdModel model() {
            return new ThresholdModel(Math.log(20) - p * Math.log(10), p, Math.log(s), Math.log(lambda / (1 - lambda)));
        }
    }

    /** One bisect study: trials run, the exponent and its 95 % half-width (NaN with fewer than 3 bracketed n). */
    record Bisect(int trials, double p, double half) {
    }

    public static void main(String[] args) {
        int studies = 20;
        int cap = 4000;
        for (int a = 0; a < args.length; a += 2) {
            switch (args[a]) {
                case "--studies" -> studies = Integer.parseInt(args[a + 1]);
                case "--cap" -> cap = Integer.parseInt(args[a + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        List<Setting> settings = List.of(new Setting(1.0, 0.25, 0.02), new Setting(0.5, 0.4, 0.05), new Setting(1.5, 0.15, 0.005));
        int[] seedCounts = {10, 20};
        double[] resolutions = {1.19, 1.09};
        System.out.printf(Locale.ROOT, "search oracle n=%s lo=%d hi=%d delta=%.2f studies=%d cap=%d ladder=%s%n",
                Arrays.toString(NS).replace(" ", ""), LO, HI, DELTA, studies, cap, Arrays.toString(LADDER).replace(" ", ""));
        List<Double> intervalRatios = new ArrayList<>();
        List<Double> errRatios = new ArrayList<>();
        for (int si = 0; si < settings.size(); si++) {
            Setting setting = settings.get(si);
            ThresholdModel truth = setting.model();
            double[] ladderErr95 = ladder(truth, 2 * studies, si);
            for (int k : seedCounts) {
                for (double resolution : resolutions) {
                    int line = 100 * si + 10 * k + (int) Math.round(100 * (resolution - 1));
                    double[] bisectTrials = new double[studies];
                    double[] halves = new double[studies];
                    double[] errors = new double[studies];
                    int bisectCovered = 0;
                    for (int r = 0; r < studies; r++) {
                        Bisect b = bisect(truth, k, resolution, new Random(seed(line, r, 1)));
                        bisectTrials[r] = b.trials();
                        halves[r] = Double.isNaN(b.half()) ? Double.POSITIVE_INFINITY : b.half();
                        errors[r] = Double.isNaN(b.p()) ? Double.POSITIVE_INFINITY : b.p() - truth.p();
                        bisectCovered += Math.abs(b.p() - truth.p()) <= b.half() ? 1 : 0;
                    }
                    double target = median(halves);
                    double bisectErr95 = quantile95(errors);
                    double[] adaptiveTrials = new double[studies];
                    int reached = 0;
                    int adaptiveCovered = 0;
                    for (int r = 0; r < studies; r++) {
                        AdaptiveStudy.Result res = new AdaptiveStudy(NS, LO, HI, target, cap, BATCH)
                                .run(oracle(truth, new Random(seed(line, r, 2))));
                        adaptiveTrials[r] = res.outcomes().size();
                        reached += res.reachedTarget() ? 1 : 0;
                        adaptiveCovered += res.fit().pLow() <= truth.p() && truth.p() <= res.fit().pHigh() ? 1 : 0;
                    }
                    double sameErr = trialsFor(ladderErr95, bisectErr95);
                    double intervalRatio = mean(adaptiveTrials) / mean(bisectTrials);
                    double errRatio = sameErr / mean(bisectTrials);
                    intervalRatios.add(intervalRatio);
                    errRatios.add(errRatio);
                    System.out.printf(Locale.ROOT,
                            "search p=%.2f s=%.2f lambda=%.3f seeds=%d resolution=%.2f bisect_trials=%.0f bisect_half_median=%.3f"
                                    + " bisect_coverage=%.2f adaptive_trials=%.0f adaptive_reached=%d/%d adaptive_coverage=%.2f ratio=%.3f"
                                    + " bisect_err95=%.3f adaptive_trials_same_err95=%.0f ratio_same_err95=%.3f%n",
                            setting.p(), setting.s(), setting.lambda(), k, resolution, mean(bisectTrials), target,
                            bisectCovered / (double) studies, mean(adaptiveTrials), reached, studies,
                            adaptiveCovered / (double) studies, intervalRatio, bisectErr95, sameErr, errRatio);
                }
            }
        }
        System.out.printf(Locale.ROOT, "search_ratio_median=%.3f search_ratio_max=%.3f search_ratio_same_err95_median=%.3f"
                        + " search_ratio_same_err95_max=%.3f target=0.333%n",
                median(toArray(intervalRatios)), max(toArray(intervalRatios)),
                median(toArray(errRatios)), max(toArray(errRatios)));
    }

    /**
     * Adaptive studies run to the ladder's last budget (a target never reached); at each budget T the fit of
     * their first T trials (what a study capped at T would hold: its batches are greedy, so a shorter batch is
     * a prefix of a longer one). Prints a line per T and returns the 95th percentile of |p̂ − p| at each T:
     * the half-width within which 95 % of the studies' exponents actually fall, whatever their intervals claim.
     */
    private static double[] ladder(ThresholdModel truth, int studies, int setting) {
        ThresholdFitter fitter = new ThresholdFitter();
        double[][] errors = new double[LADDER.length][studies];
        double[][] halves = new double[LADDER.length][studies];
        int[] covered = new int[LADDER.length];
        int last = LADDER[LADDER.length - 1];
        for (int r = 0; r < studies; r++) {
            AdaptiveStudy.Result res = new AdaptiveStudy(NS, LO, HI, -1.0, last, BATCH)
                    .run(oracle(truth, new Random(seed(1000 + setting, r, 3))));
            for (int i = 0; i < LADDER.length; i++) {
                ThresholdFit fit = fitter.fit(res.outcomes().subList(0, Math.min(LADDER[i], res.outcomes().size())));
                errors[i][r] = fit.model().p() - truth.p();
                halves[i][r] = (fit.pHigh() - fit.pLow()) / 2;
                covered[i] += fit.pLow() <= truth.p() && truth.p() <= fit.pHigh() ? 1 : 0;
            }
        }
        double[] err95 = new double[LADDER.length];
        for (int i = 0; i < LADDER.length; i++) {
            err95[i] = quantile95(errors[i]);
            System.out.printf(Locale.ROOT, "adaptive_ladder p=%.2f s=%.2f lambda=%.3f trials=%d err95=%.3f half_median=%.3f coverage=%.2f%n",
                    truth.p(), truth.s(), truth.lambda(), LADDER[i], err95[i], median(halves[i]), covered[i] / (double) studies);
        }
        return err95;
    }

    /** Trials at which the ladder's precision reaches {@code half}, interpolated in log-log; ∞ beyond the ladder. */
    private static double trialsFor(double[] ladderErr, double half) {
        if (ladderErr[0] <= half) {
            return LADDER[0];
        }
        for (int i = 1; i < LADDER.length; i++) {
            if (ladderErr[i] <= half) {
                double t = Math.log(ladderErr[i - 1] / half) / Math.log(ladderErr[i - 1] / ladderErr[i]);
                return Math.exp(Math.log(LADDER[i - 1]) + t * Math.log((double) LADDER[i] / LADDER[i - 1]));
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The 95th percentile of |x| (linear interpolation between order statistics). */
    static double quantile95(double[] x) {
        double[] a = Arrays.stream(x).map(Math::abs).sorted().toArray();
        double h = 0.95 * (a.length - 1);
        int i = (int) Math.floor(h);
        return i + 1 < a.length ? a[i] + (h - i) * (a[i + 1] - a[i]) : a[i];
    }

    private static double[] toArray(List<Double> x) {
        return x.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }

    /** A distinct, fixed seed per line, study and side. */
    private static long seed(int line, int study, int side) {
        return 1_000_003L * line + 7_919L * study + side;
    }

    private static AdaptiveStudy.TrialRunner oracle(ThresholdModel truth, Random rng) {
        return planned -> {
            List<Outcome> out = new ArrayList<>(planned.size());
            for (Outcome o : planned) {
                out.add(new Outcome(o.n(), o.m(), rng.nextDouble() < truth.probability(o.m(), o.n())));
            }
            return out;
        };
    }

    /** The bisect search of every n and the regression of its thresholds (what WidthSearch and ScalingFit do). */
    static Bisect bisect(ThresholdModel truth, int seeds, double resolution, Random rng) {
        double level = 1 - DELTA;
        List<Integer> coarse = new BisectSettings(LO, HI, resolution).coarseWidths();
        int trials = 0;
        List<double[]> points = new ArrayList<>();
        for (int n : NS) {
            SortedMap<Integer, Double> success = new TreeMap<>();
            for (int m : coarse) {
                success.put(m, fraction(truth, m, n, seeds, rng));
                trials += seeds;
            }
            for (int stage = 0; stage < 64; stage++) {
                OptionalInt next = WidthBracket.of(success, level).next(resolution);
                if (next.isEmpty()) {
                    break;
                }
                success.put(next.getAsInt(), fraction(truth, next.getAsInt(), n, seeds, rng));
                trials += seeds;
            }
            if (WidthBracket.of(success, level).isBracketed()) {
                points.add(new double[] {Math.log(n), Math.log(ThresholdEstimator.mStar(success, level))});
            }
        }
        double[] fit = regression(points);
        return new Bisect(trials, fit[0], fit[1]);
    }

    private static double fraction(ThresholdModel truth, int m, int n, int seeds, Random rng) {
        int ok = 0;
        for (int i = 0; i < seeds; i++) {
            ok += rng.nextDouble() < truth.probability(m, n) ? 1 : 0;
        }
        return ok / (double) seeds;
    }

    /**
     * {slope, 95 % half-width} of the least-squares line through (x, y): {@code SE² = (S_yy − S_xy²/S_xx)/((k − 2) S_xx)}
     * and Student's t at k − 2 degrees of freedom, as {@code ScalingFit}; NaN half-width below 3 points.
     */
    static double[] regression(List<double[]> points) {
        int k = points.size();
        if (k < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mx = 0;
        double my = 0;
        for (double[] pt : points) {
            mx += pt[0] / k;
            my += pt[1] / k;
        }
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (double[] pt : points) {
            sxx += (pt[0] - mx) * (pt[0] - mx);
            syy += (pt[1] - my) * (pt[1] - my);
            sxy += (pt[0] - mx) * (pt[1] - my);
        }
        double slope = sxy / sxx;
        if (k < 3) {
            return new double[] {slope, Double.NaN};
        }
        double se = Math.sqrt(Math.max(0.0, syy - sxy * sxy / sxx) / ((k - 2) * sxx));
        double t = new TDistribution(null, k - 2, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY).inverseCumulativeProbability(0.975);
        return new double[] {slope, t * se};
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
