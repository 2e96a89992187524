package org.overparam.sweep.threshold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.overparam.trainer.rng.RandomStream;

/**
 * The over-parametrization threshold of one group (theory.md §6): from each trial's width, seed and
 * whether it converged, the success fraction per width with its Wilson interval, and {@code m_star},
 * the width at which the success fraction reaches the level {@code 1 − δ}:
 * <ul>
 *   <li>with {@code u} the smallest tested width whose fraction {@code p(u) ≥ 1 − δ} and {@code l} the
 *       largest tested width below it ({@link WidthBracket}), {@code m_star} interpolates linearly in
 *       {@code log m}: {@code log m* = log l + (log u − log l)·(1 − δ − p(l))/(p(u) − p(l))}, so
 *       {@code l < m* ≤ u} and {@code m* = u} when {@code p(u) = 1 − δ} exactly;</li>
 *   <li>when the smallest tested width already succeeds, {@code m* = } that width (an upper bound);</li>
 *   <li>when no width succeeds, {@code m*} is undefined (NaN; null in the table).</li>
 * </ul>
 * {@code m_star_lo, m_star_hi} are the 2.5 % and 97.5 % points of {@code m*} over bootstrap replicates
 * that redraw the group's seeds with replacement (the same draw at every width: a seed's nets at
 * different widths share their first neurons, so its outcomes are paired across widths). A replicate
 * in which no width succeeds counts as {@code m* = ∞}; a percentile that falls on one is undefined.
 * Replicates are drawn from a stream keyed by the group, so estimates are reproducible.
 */
public final class ThresholdEstimator {
    /** The two-sided 95 % normal quantile, for the Wilson interval. */
    public static final double Z95 = 1.959963984540054;
    /** Percentiles of the bootstrap interval. */
    public static final double LOWER = 0.025;
    public static final double UPPER = 0.975;

    private final double level;
    private final int bootstrap;

    /** @param delta a width succeeds when a fraction ≥ {@code 1 − delta} of its seeds converged; @param bootstrap replicates (0: no interval) */
    public ThresholdEstimator(double delta, int bootstrap) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (bootstrap < 0) {
            throw new IllegalArgumentException("bootstrap must be >= 0, got " + bootstrap);
        }
        this.level = 1 - delta;
        this.bootstrap = bootstrap;
    }

    /** One trial: its width, seed, whether it converged, and the search stage that ran it (0 in a grid sweep). */
    public record Observation(int m, long seed, boolean converged, int stage) {
    }

    /** One tested width: trials, converged trials, their fraction and its 95 % Wilson interval, first stage. */
    public record WidthSuccess(int m, int seeds, int converged, double success, double successLo, double successHi, int stage) {
    }

    /** How {@code m_star} was found. */
    public enum Status {
        /** Between a failing and a succeeding width (interpolated). */
        BRACKETED("bracketed"),
        /** The smallest tested width already succeeds: {@code m_star} is that width, an upper bound. */
        AT_LO("at_lo"),
        /** No tested width succeeds: no {@code m_star}. */
        NOT_REACHED("not_reached");

        private final String key;

        Status(String key) {
            this.key = key;
        }

        /** The {@code m_star_status} value. */
        public String key() {
            return key;
        }
    }

    /** A group's estimate; doubles are NaN where undefined. */
    public record Estimate(List<WidthSuccess> widths, WidthBracket bracket, double mStar, double mStarLo, double mStarHi,
                           Status status, double[] bootstrapMStar) {
    }

    /** Estimates the threshold of one group; {@code groupKey} keys the bootstrap's random stream. */
    public Estimate estimate(List<Observation> observations, String groupKey) {
        if (observations.isEmpty()) {
            throw new IllegalArgumentException("no trials in group " + groupKey);
        }
        TreeMap<Integer, Map<Long, Boolean>> byWidth = new TreeMap<>();
        Map<Integer, Integer> firstStage = new HashMap<>();
        TreeSet<Long> seeds = new TreeSet<>();
        for (Observation o : observations) {
            byWidth.computeIfAbsent(o.m(), k -> new HashMap<>()).merge(o.seed(), o.converged(), Boolean::logicalAnd);
            firstStage.merge(o.m(), o.stage(), Math::min);
            seeds.add(o.seed());
        }
        List<WidthSuccess> widths = new ArrayList<>();
        TreeMap<Integer, Double> success = new TreeMap<>();
        for (Map.Entry<Integer, Map<Long, Boolean>> e : byWidth.entrySet()) {
            int total = e.getValue().size();
            int conv = (int) e.getValue().values().stream().filter(b -> b).count();
            double[] w = wilson(conv, total, Z95);
            widths.add(new WidthSuccess(e.getKey(), total, conv, (double) conv / total, w[0], w[1], firstStage.get(e.getKey())));
            success.put(e.getKey(), (double) conv / total);
        }
        WidthBracket bracket = WidthBracket.of(success, level);
        double mStar = mStar(success, level);
        Status status = bracket.succeeding() == null ? Status.NOT_REACHED
                : bracket.failing() == null ? Status.AT_LO : Status.BRACKETED;

        double[] replicates = bootstrap(byWidth, List.copyOf(seeds), groupKey);
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (replicates.length > 0) {
            lo = percentileLog(replicates, LOWER);
            hi = percentileLog(replicates, UPPER);
        }
        return new Estimate(List.copyOf(widths), bracket, mStar, lo, hi, status, replicates);
    }

    /**
     * {@code m_star} of a success pattern (width → fraction) at {@code level}: interpolated in log m
     * between the bracket's widths; the smallest width when it succeeds; NaN when no width does.
     */
    public static double mStar(SortedMap<Integer, Double> success, double level) {
        WidthBracket b = WidthBracket.of(success, level);
        if (b.succeeding() == null) {
            return Double.NaN;
        }
        if (b.failing() == null) {
            return b.succeeding();
        }
        double pl = success.get(b.failing());
        double pu = success.get(b.succeeding());
        double t = (level - pl) / (pu - pl);
        double logL = Math.log(b.failing());
        double logU = Math.log(b.succeeding());
        return Math.exp(logL + t * (logU - logL));
    }

    /** {@code m*} of each bootstrap replicate (∞ where no width succeeds), sorted. */
    private double[] bootstrap(TreeMap<Integer, Map<Long, Boolean>> byWidth, List<Long> seeds, String groupKey) {
        if (bootstrap == 0) {
            return new double[0];
        }
        SplittableRandom random = new SplittableRandom(RandomStream.seedOf("thresholds.bootstrap|" + groupKey));
        int k = seeds.size();
        double[] out = new double[bootstrap];
        int[] weight = new int[k];
        for (int b = 0; b < bootstrap; b++) {
            Arrays.fill(weight, 0);
            for (int i = 0; i < k; i++) {
                weight[random.nextInt(k)]++;
            }
            TreeMap<Integer, Double> success = new TreeMap<>();
            for (Map.Entry<Integer, Map<Long, Boolean>> e : byWidth.entrySet()) {
                int total = 0;
                int conv = 0;
                for (int i = 0; i < k; i++) {
                    Boolean c = e.getValue().get(seeds.get(i));
                    if (c != null) {
                        total += weight[i];
                        conv += c ? weight[i] : 0;
                    }
                }
                if (total > 0) {
                    success.put(e.getKey(), (double) conv / total);
                }
            }
            double m = success.isEmpty() ? Double.NaN : mStar(success, level);
            out[b] = Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * The {@code q}-quantile of sorted positive values, interpolating linearly in log between the
     * neighbouring order statistics (position {@code q·(B − 1)}); NaN when it touches ∞.
     */
    static double percentileLog(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        if (Double.isInfinite(sorted[i]) || Double.isInfinite(sorted[j])) {
            return Double.NaN;
        }
        double f = pos - i;
        return Math.exp((1 - f) * Math.log(sorted[i]) + f * Math.log(sorted[j]));
    }

    /**
     * The Wilson score interval for {@code k} successes in {@code n} trials at normal quantile {@code z}:
     * {@code (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)}; exactly 0 at k = 0 and 1 at k = n.
     */
    public static double[] wilson(int k, int n, double z) {
        if (n <= 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, n > 0; got k = " + k + ", n = " + n);
        }
        double p = (double) k / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        // At k = 0 (k = n) the lower (upper) end is exactly 0 (1); rounding would leave it a hair off.
        return new double[] {k == 0 ? 0 : Math.max(0, center - half), k == n ? 1 : Math.min(1, center + half)};
    }
}
