package org.overparam.trainer.trial;

import java.util.Locale;

/**
 * Refuses a model that cannot fit before it is allocated: the estimated bytes against what this JVM can
 * still give ({@code Runtime.maxMemory()} minus what is in use, after one garbage collection, minus
 * {@link #MARGIN}). Other trials of the same executor count as in use, so the check is conservative.
 */
public final class MemoryBudget {
    /** Head-room kept for everything the estimate does not count. */
    public static final long MARGIN = 64L << 20;

    private MemoryBudget() {
    }

    /** The bytes this JVM can still give, less the margin. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()) - MARGIN;
    }

    /** Throws {@link InsufficientMemoryException} when {@code bytes} do not fit; {@code what} names the model. */
    public static void require(long bytes, String what) {
        if (bytes <= available()) {
            return;
        }
        System.gc();
        long free = available();
        if (bytes > free) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s needs about %s of memory but this JVM can give %s (max heap %s); lower m (or L, n), or raise the heap (-Xmx, spark.executor.memory)",
                    what, human(bytes), human(Math.max(0, free)), human(Runtime.getRuntime().maxMemory())));
        }
    }

    /** {@code 1.5 GiB}-style sizes. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
