package org.overparam.sweep.threshold;

import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * Where a group's threshold lies among the widths tested so far: {@code succeeding}, the smallest
 * tested width whose success fraction is at least the level {@code 1 − δ}, and {@code failing}, the
 * largest tested width below it (whose fraction is below the level, since {@code succeeding} is the
 * smallest that reaches it). Failing widths above {@code succeeding} (a non-monotone pattern) do not
 * move the bracket. The threshold estimate ({@link ThresholdEstimator}) and the width search
 * ({@code org.overparam.sweep.search.WidthSearch}) both use this one definition.
 *
 * @param failing    the largest tested width below {@code succeeding}; null when none is (the smallest tested width succeeds) or no width succeeds
 * @param succeeding the smallest tested width that succeeds; null when none does
 * @param largest    the largest tested width
 */
public record WidthBracket(Integer failing, Integer succeeding, int largest) {

    /** The bracket of {@code success} (tested width → fraction of seeds converged) at {@code level}. */
    public static WidthBracket of(SortedMap<Integer, Double> success, double level) {
        if (success.isEmpty()) {
            throw new IllegalArgumentException("no widths tested");
        }
        Integer previous = null;
        for (Map.Entry<Integer, Double> e : success.entrySet()) {
            if (e.getValue() >= level) {
                return new WidthBracket(previous, e.getKey(), success.lastKey());
            }
            previous = e.getKey();
        }
        return new WidthBracket(null, null, success.lastKey());
    }

    /** Whether some tested width fails and a larger one succeeds: the threshold lies strictly between them. */
    public boolean isBracketed() {
        return failing != null && succeeding != null;
    }

    /**
     * The width a search tests next: the geometric midpoint {@code round(√(failing·succeeding))},
     * unless the bracket is within {@code resolution} ({@code succeeding/failing ≤ resolution}), the
     * two widths are adjacent integers, or there is no bracket (no width succeeds, or the smallest does).
     */
    public OptionalInt next(double resolution) {
        if (!isBracketed() || (double) succeeding / failing <= resolution || succeeding - failing <= 1) {
            return OptionalInt.empty();
        }
        long mid = Math.round(Math.sqrt((double) failing * succeeding));
        return OptionalInt.of((int) Math.max(failing + 1, Math.min(succeeding - 1, mid)));
    }
}
