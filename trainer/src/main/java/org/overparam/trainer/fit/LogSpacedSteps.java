package org.overparam.trainer.fit;

import java.util.TreeSet;

/**
 * The steps at which loss curves are stored: every step up to 10, then about 16 per decade
 * ({@code round(10^{k/16})}), plus the last step, so curves of any length stay small and plot
 * evenly on a log axis.
 */
public final class LogSpacedSteps {
    private static final int PER_DECADE = 16;

    private LogSpacedSteps() {
    }

    /** The logged steps in {@code [0, last]}, ascending, always including 0 and {@code last}. */
    public static int[] upTo(int last) {
        TreeSet<Integer> steps = new TreeSet<>();
        for (int s = 0; s <= Math.min(10, last); s++) {
            steps.add(s);
        }
        for (int k = PER_DECADE; ; k++) {
            long s = Math.round(Math.pow(10.0, k / (double) PER_DECADE));
            if (s > last) {
                break;
            }
            steps.add((int) s);
        }
        steps.add(last);
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }
}
