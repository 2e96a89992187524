package org.overparam.sweep.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code search: {m: bisect, lo, hi, resolution, ladder}}: the widths are searched per group instead of listed
 * in {@code grid.m}. Stage 1 runs the coarse grid {@link #coarseWidths()}; each later stage runs the
 * geometric midpoint of every group's bracket (largest failing width, smallest succeeding width) until
 * {@code succeeding / failing ≤ resolution} (see {@code org.overparam.sweep.search.BisectWidthSearch}). Then the
 * budget ladder: while a fit group's exponent still moves with the step budget, up to {@code ladder} stages each
 * double it, rerun the censored trials below the thresholds and bisect again at the larger budget.
 *
 * @param lo         smallest width searched, in 1..{@link #MAX_WIDTH}−1
 * @param hi         largest width searched, in lo+1..{@link #MAX_WIDTH}
 * @param resolution the bracket ratio at which a group's search stops, > 1
 * @param ladder     the most doublings of the step budget the ladder may run, in 0..10 (0: none)
 */
public record BisectSettings(int lo, int hi, double resolution, int ladder) implements WidthPlan {
    /** The largest {@code hi} accepted. */
    public static final int MAX_WIDTH = 1 << 24;
    /** The default resolution: 2^(1/4) rounded up, two bisections of the coarse factor 2. */
    public static final double DEFAULT_RESOLUTION = 1.19;

    public BisectSettings {
        checkRange(lo, hi);
        if (!(resolution > 1) || Double.isInfinite(resolution)) {
            throw new InvalidSetting("search.resolution", "must be a ratio > 1 (e.g. 1.19), got " + resolution);
        }
        checkLadder(ladder);
    }

    /** A bisect search without ladder stages (its rungs below the configured budget are still fitted). */
    public BisectSettings(int lo, int hi, double resolution) {
        this(lo, hi, resolution, 0);
    }

    /** The default most doublings of the ladder, as for the adaptive search. */
    public static final int DEFAULT_LADDER = 4;

    /** The check of {@code search.ladder}, shared with {@link AdaptiveSettings}. */
    static void checkLadder(long ladder) {
        checkLadder("search.ladder", ladder);
    }

    /** The check of a ladder's doublings under {@code key} ({@code search.ladder} or {@code search.ladder.MODEL}). */
    static void checkLadder(String key, long ladder) {
        if (ladder < 0 || ladder > 10) {
            throw new InvalidSetting(key, "must be the most doublings of the step budget, in 0..10"
                    + " (0: no larger budget runs), got " + ladder);
        }
    }

    /** The checks of {@code search.lo} and {@code search.hi}, on the values as written (before any narrowing to int). */
    static void checkRange(long lo, long hi) {
        if (lo < 1 || lo >= MAX_WIDTH) {
            throw new InvalidSetting("search.lo", "must be in 1.." + (MAX_WIDTH - 1) + ", got " + lo);
        }
        if (hi <= lo || hi > MAX_WIDTH) {
            throw new InvalidSetting("search.hi", "must be in " + (lo + 1) + ".." + MAX_WIDTH + " (above search.lo), got " + hi);
        }
    }

    @Override
    public String method() {
        return "bisect";
    }

    @Override
    public <R> R match(Cases<R> cases) {
        return cases.bisect(this);
    }

    /** Stage 1's widths. */
    @Override
    public List<Integer> planWidths() {
        return coarseWidths();
    }

    /** Stage 1's widths: {@code lo, 2·lo, 4·lo, …} while below {@code hi}, then {@code hi}. */
    public List<Integer> coarseWidths() {
        List<Integer> out = new ArrayList<>();
        for (long m = lo; m < hi; m *= 2) {
            out.add((int) m);
        }
        out.add(hi);
        return List.copyOf(out);
    }

    /**
     * The stages after the first that halving a factor-2 bracket in log m takes to get within the
     * resolution (small widths may take one or two more: midpoints are rounded to integers).
     */
    public int maxRefinements() {
        int k = 0;
        for (double ratio = 2; ratio > resolution && k < 64; ratio = Math.sqrt(ratio)) {
            k++;
        }
        return k;
    }

    /** Text that enters the sweep's fingerprint: a search with other bounds is another sweep. */
    public String canonical() {
        return String.format(Locale.ROOT, "search=m:bisect,lo=%d,hi=%d,resolution=%s", lo, hi, Double.toString(resolution))
                + (ladder == 0 ? "" : ",ladder=" + ladder);
    }

    /** The bounds and the success level (δ decides which widths succeed, hence the later stages). */
    @Override
    public String fingerprint(ThresholdSettings thresholds, TrainSettings train) {
        return canonical() + ";delta=" + thresholds.delta();
    }
}
