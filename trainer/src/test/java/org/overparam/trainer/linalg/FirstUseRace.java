package org.overparam.trainer.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The first LAPACK calls of a fresh JVM or class loader, made from several threads at once (behind a barrier),
 * as concurrent Spark tasks make them. Each thread computes the eigenvalues of {@link #symmetric()} and the
 * least-squares solution of {@link #leastSquaresProblem()}; the results are compared bit for bit with a
 * single-threaded reference by {@link LapackFirstUseRaceTest}.
 *
 * <p>Targets: {@code native} ({@link LinearAlgebra#get()}), {@code java} ({@link LinearAlgebra#java()}, the
 * fallback) and {@code f2j-unguarded} (netlib's Java LAPACK called directly, as {@code SymmetricEigen} and
 * {@code GReluToRelu} did before the fix: to measure how often the old code goes wrong). Run as a program it
 * prints one line per thread, the results' bits in hex.
 */
public final class FirstUseRace {
    static final int N = 48;
    static final int ROWS = 30;
    static final int COLS = 40;
    static final int NRHS = 3;

    private FirstUseRace() {
    }

    /** A symmetric positive semi-definite N×N Gram matrix of Gaussian data (rank N), fixed by its seed. */
    static double[] symmetric() {
        Random r = new Random(20261204L);
        int k = 2 * N;
        double[] x = new double[N * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[] a = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += x[i * k + t] * x[j * k + t];
                }
                a[i + j * N] = s / k;
            }
        }
        return a;
    }

    /** {@code A} (ROWS×COLS, column-major) and {@code B} (max(ROWS, COLS)×NRHS), fixed by their seed. */
    static double[][] leastSquaresProblem() {
        Random r = new Random(1204L);
        double[] a = new double[ROWS * COLS];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        int ldb = Math.max(ROWS, COLS);
        double[] b = new double[ldb * NRHS];
        for (int j = 0; j < NRHS; j++) {
            for (int i = 0; i < ROWS; i++) {
                b[i + j * ldb] = r.nextGaussian();
            }
        }
        return new double[][] {a, b};
    }

    /** Eigenvalues then the least-squares solution, concatenated, by {@code lapack}. */
    static double[] solveBoth(Lapack lapack) {
        double[] w = lapack.symmetricEigenvalues(N, symmetric());
        double[][] problem = leastSquaresProblem();
        int rank = lapack.leastSquares(ROWS, COLS, NRHS, problem[0], problem[1], Math.max(ROWS, COLS));
        double[] out = new double[w.length + problem[1].length + 1];
        System.arraycopy(w, 0, out, 0, w.length);
        System.arraycopy(problem[1], 0, out, w.length, problem[1].length);
        out[out.length - 1] = rank;
        return out;
    }

    /** The LAPACK a target names (made inside the calling thread: the first use is part of the race). */
    static Lapack lapack(String target) {
        return switch (target) {
            case "native" -> LinearAlgebra.get().lapack();
            case "java" -> LinearAlgebra.java().lapack();
            case "f2j-unguarded" -> new UnguardedF2j();
            default -> throw new IllegalArgumentException("target must be native, java or f2j-unguarded: " + target);
        };
    }

    /**
     * {@code threads} threads wait at a barrier, then each makes its first LAPACK calls; one result per
     * thread. A thread that has not finished within {@code timeoutSeconds} (f2j's {@code dlascl} can loop
     * forever on corrupted constants) fails the race with an exception naming it.
     */
    public static List<double[]> race(String target, int threads, long timeoutSeconds) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lapack-race");
            t.setDaemon(true);              // a thread stuck in dlascl must not keep the JVM alive
            return t;
        });
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return solveBoth(lapack(target));
                }));
            }
            List<double[]> results = new ArrayList<>();
            for (Future<double[]> f : futures) {
                results.add(f.get(timeoutSeconds, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code FirstUseRace TARGET THREADS}: races once in this fresh JVM and prints each thread's bits. */
    public static void main(String[] args) throws Exception {
        for (double[] result : race(args[0], Integer.parseInt(args[1]), 60)) {
            System.out.println(hex(result));
        }
        System.exit(0);
    }

    static String hex(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
        }
        return sb.toString().trim();
    }

    /** netlib's f2j LAPACK with no lock: the code before the fix. */
    private static final class UnguardedF2j implements Lapack {
        private final dev.ludovic.netlib.lapack.LAPACK lapack = dev.ludovic.netlib.lapack.JavaLAPACK.getInstance();

        @Override
        public double[] symmetricEigenvalues(int n, double[] a) {
            double[] work = a.clone();
            double[] w = new double[n];
            double[] query = new double[1];
            int[] iquery = new int[1];
            org.netlib.util.intW info = new org.netlib.util.intW(0);
            lapack.dsyevd("N", "U", n, work, n, w, query, -1, iquery, -1, info);
            int lwork = (int) query[0];
            lapack.dsyevd("N", "U", n, work, n, w, new double[lwork], lwork, new int[iquery[0]], iquery[0], info);
            return w;
        }

        @Override
        public int leastSquares(int rows, int cols, int nrhs, double[] a, double[] b, int ldb) {
            double[] s = new double[Math.min(rows, cols)];
            org.netlib.util.intW rank = new org.netlib.util.intW(0);
            org.netlib.util.intW info = new org.netlib.util.intW(0);
            double[] query = new double[1];
            double[] work = a.clone();
            lapack.dgelss(rows, cols, nrhs, work, rows, b, ldb, s, -1.0, rank, query, -1, info);
            int lwork = (int) query[0];
            lapack.dgelss(rows, cols, nrhs, work, rows, b, ldb, s, -1.0, rank, new double[lwork], lwork, info);
            return rank.val;
        }

        @Override
        public String implementation() {
            return "f2j, unguarded";
        }
    }
}
