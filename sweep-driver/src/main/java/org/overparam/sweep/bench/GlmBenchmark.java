package org.overparam.sweep.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.GlmCheck;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;
import org.overparam.sweep.threshold.ThresholdModel;

/**
 * MLlib's GLM ({@link GlmCheck}) against the custom fitter ({@link ThresholdFitter}: fit and profile interval,
 * what {@code AdaptiveFits} runs) on one fit group of simulated trials, no lapse: {@code P = F((ln m − a − p ln n)/s)}
 * with a = 0.5, p = 0.8, s = 0.35, n from 8 to 128, widths at z = −2…2 spreads around each n's threshold, seeds
 * added until the group has N trials. For each N, the median of {@code repeats} wall times after one warm-up
 * (the GLM's includes building its Dataset and summing the Fisher information on the executors), both p with
 * their 95 % intervals, and the time ratio. With {@code --agreement DIR…} it prints instead each adaptive row of
 * the folders' {@code scaling} tables: the joint fit's p and interval beside the GLM's and {@code glm_agrees}, then
 * the time of both fits over each folder's groups (AdaptiveFits.of against GlmCheck.of).
 *
 * <p>Usage: {@code GlmBenchmark [--master local[*]] [--sizes 1000,10000,100000] [--repeats 3]} or
 * {@code GlmBenchmark --agreement DIR…}; results in docs/benchmarks.md ("MLlib's GLM against the custom fitter").
 */
public final class GlmBenchmark {
    private GlmBenchmark() {
    }

    public static void main(String[] args) {
        String master = "local[*]";
        int[] sizes = {1_000, 10_000, 100_000};
        int repeats = 3;
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--master" -> master = args[++i];
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--agreement" -> {
                    while (i + 1 < args.length) {
                        dirs.add(args[++i]);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SparkSession spark = SparkSession.builder().master(master).appName("glm-benchmark").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            if (!dirs.isEmpty()) {
                agreement(spark, dirs);
            } else {
                timing(spark, sizes, repeats);
            }
        } finally {
            spark.stop();
        }
    }

    private static void timing(SparkSession spark, int[] sizes, int repeats) {
        System.out.printf(Locale.ROOT, "cores %d, master %s, %d repeats (median)%n", Runtime.getRuntime().availableProcessors(),
                spark.sparkContext().master(), repeats);
        System.out.println("| trials | custom fit + profile (s) | p [95 %] | MLlib GLM + delta method (s) | p [95 %] | GLM / custom |");
        System.out.println("| ---: | ---: | --- | ---: | --- | ---: |");
        ThresholdFitter fitter = new ThresholdFitter();
        for (int size : sizes) {
            List<Outcome> outcomes = simulate(size, 7);
            double[] custom = new double[repeats];
            double[] glm = new double[repeats];
            ThresholdFit c = null;
            GlmCheck.Fit g = null;
            for (int r = -1; r < repeats; r++) {
                long t0 = System.nanoTime();
                c = fitter.withProfile(fitter.fit(outcomes), outcomes);
                long t1 = System.nanoTime();
                Dataset<Row> obs = GlmCheck.observations(spark, outcomes).cache();
                g = GlmCheck.fit(obs);
                obs.unpersist();
                long t2 = System.nanoTime();
                if (r >= 0) {
                    custom[r] = (t1 - t0) / 1e9;
                    glm[r] = (t2 - t1) / 1e9;
                }
            }
            double mc = median(custom);
            double mg = median(glm);
            System.out.printf(Locale.ROOT, "| %,d | %.3f | %.3f [%.3f, %.3f] | %.3f | %.3f [%.3f, %.3f] | %.2f |%n", size, mc,
                    c.model().p(), c.pLow(), c.pHigh(), mg, g.p(), g.pLow(), g.pHigh(), mg / mc);
        }
    }

    private static void agreement(SparkSession spark, List<String> dirs) {
        System.out.println("| output | group | trials | joint p [95 %] | GLM p [95 %] | glm_agrees |");
        System.out.println("| --- | --- | ---: | --- | --- | --- |");
        for (String dir : dirs) {
            for (Row r : spark.read().parquet(dir + "/scaling").filter("method = 'adaptive'").orderBy("model", "variant", "alpha").collectAsList()) {
                Object alpha = r.getAs("alpha");
                String variant = r.getAs("variant");
                System.out.printf(Locale.ROOT, "| %s | %s%s%s | %s | %s | %s | %s |%n", dir.replaceAll(".*/", ""), r.getAs("model"),
                        variant == null || variant.isEmpty() ? "" : " " + variant, alpha == null ? "" : " α=" + alpha, r.getAs("glm_trials"),
                        interval(r, "exponent", "exponent_lo", "exponent_hi"), interval(r, "glm_p", "glm_p_lo", "glm_p_hi"), r.getAs("glm_agrees"));
            }
        }
        dirs.forEach(d -> aggregationTimes(spark, d));
    }

    private static String interval(Row r, String p, String lo, String hi) {
        Double v = r.getAs(p);
        Double l = r.getAs(lo);
        Double h = r.getAs(hi);
        return v == null ? "–" : String.format(Locale.ROOT, "%.3f [%s, %s]", v, l == null ? "–" : String.format(Locale.ROOT, "%.3f", l),
                h == null ? "–" : String.format(Locale.ROOT, "%.3f", h));
    }

    /** The time of the GLM check of every group of {@code dir} beside the joint fits' ({@code AdaptiveFits.of}), each the median of 3 after a warm-up. */
    private static void aggregationTimes(SparkSession spark, String dir) {
        try {
            org.overparam.sweep.analysis.Aggregation a = new org.overparam.sweep.analysis.Aggregation(spark, dir);
            org.overparam.sweep.analysis.AdaptiveFits.Settings settings = a.sweepAdaptive(a.sweepSettings().delta());
            Dataset<Row> trials = spark.read().parquet(dir + "/trials").cache();
            trials.count();
            double[] joint = new double[3];
            double[] glm = new double[3];
            long groups = 0;
            for (int r = -1; r < 3; r++) {
                long t0 = System.nanoTime();
                groups = org.overparam.sweep.analysis.AdaptiveFits.of(spark, trials, settings).scaling().count();
                long t1 = System.nanoTime();
                GlmCheck.of(spark, trials, settings).count();
                long t2 = System.nanoTime();
                if (r >= 0) {
                    joint[r] = (t1 - t0) / 1e9;
                    glm[r] = (t2 - t1) / 1e9;
                }
            }
            System.out.printf(Locale.ROOT, "%s: %d groups, joint fits (AdaptiveFits.of) %.2f s, GLM check (GlmCheck.of) %.2f s, ratio %.1f%n",
                    dir.replaceAll(".*/", ""), groups, median(joint), median(glm), median(glm) / median(joint));
            trials.unpersist();
        } catch (java.io.IOException | org.overparam.sweep.config.ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} outcomes of the no-lapse model, seeds spread over 5 n × 7 widths, from a fixed random stream. */
    static List<Outcome> simulate(int size, long seed) {
        ThresholdModel truth = new ThresholdModel(0.5, 0.8, Math.log(0.35), -30);
        int[] ns = {8, 16, 32, 64, 128};
        double[] zs = {-2, -1, -0.5, 0, 0.5, 1, 2};
        Random rng = new Random(seed);
        List<Outcome> out = new ArrayList<>(size);
        for (int k = 0; out.size() < size; k++) {
            int n = ns[k % ns.length];
            double z = zs[(k / ns.length) % zs.length];
            int m = (int) Math.max(1, Math.round(Math.exp(truth.a() + truth.p() * Math.log(n) + 0.35 * z)));
            out.add(new Outcome(n, m, rng.nextDouble() < truth.probability(m, n)));
        }
        return out;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
