package org.overparam.trainer.margin;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link MaxMarginLinear}'s margin of a data set, remembered per JVM. A bn trial reports paper 001's
 * {@code γ_linear}, the max margin of its centred inputs with their labels: the same for every width and seed on
 * one data set, but a solve that does not separate (random labels, {@code n ≫ d}) spends the solver's whole work
 * budget (about a second) to report NaN, and the atlas's bn trials spent a third of their time there. The margin
 * is a function of the points and labels only, so each distinct set is solved once and its result reused bit for
 * bit; keys are the arrays' contents, not their identities. A few dozen sets are kept (least recently used first out).
 */
public final class LinearMargins {
    private static final int KEEP = 64;
    private static final Map<Key, Double> MARGINS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Double> eldest) {
            return size() > KEEP;
        }
    };
    private static final AtomicLong SOLVES = new AtomicLong();

    private LinearMargins() {
    }

    /** {@code MaxMarginLinear.solve(z, y, n, p).margin()}, solved once per distinct {@code (z, y, n, p)}. */
    public static double margin(double[] z, double[] y, int n, int p) {
        Key key = new Key(n, p, Arrays.copyOf(z, n * p), Arrays.copyOf(y, n));
        synchronized (MARGINS) {
            Double known = MARGINS.get(key);
            if (known != null) {
                return known;
            }
        }
        // Solved outside the lock: two trials of one data set may both solve it, and get the same bits.
        double margin = MaxMarginLinear.solve(key.z, key.y, n, p).margin();
        SOLVES.incrementAndGet();
        synchronized (MARGINS) {
            MARGINS.put(key, margin);
        }
        return margin;
    }

    /** How many solves this JVM has run (for tests: a remembered margin is not solved again). */
    static long solves() {
        return SOLVES.get();
    }

    /** Points and labels by content. */
    private record Key(int n, int p, double[] z, double[] y) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.n == n && k.p == p && Arrays.equals(k.z, z) && Arrays.equals(k.y, y);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * n + p) + Arrays.hashCode(z)) + Arrays.hashCode(y);
        }
    }
}
