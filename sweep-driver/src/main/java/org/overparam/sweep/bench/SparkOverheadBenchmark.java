package org.overparam.sweep.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.ProgressReporter;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.TrialSpec;

/**
 * What Spark costs a sweep: the same trials through {@link SweepRunner} on a {@code local[*]} session
 * (training, result collection and the Parquet commit of both tables) and in a plain loop, a fixed
 * pool of as many threads as Spark has cores, each calling {@link TrialRunner#run} on trials in plan
 * order. Both run in this JVM after a warm-up of each path, so JIT, BLAS and session start-up are
 * outside the timed part; the runs alternate ({@code loop, spark, loop, spark, …}) and each side's
 * median is taken. Prints {@code spark_overhead=(spark − loop)/loop}.
 *
 * <p>Usage: {@code SparkOverheadBenchmark CONFIG.yaml [--repeats R] [--master URL] [--partitions-per-core K] [--batch-size N]}
 * (defaults 3 and 512, as {@code overparam run}); run by
 * {@code scripts/bench-cpu.sh} with {@code conf/sweeps/bench-spark-overhead.yaml} (200 trials).
 */
public final class SparkOverheadBenchmark {
    private SparkOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        int repeats = 2;
        String master = "local[*]";
        int partitionsPerCore = 3;
        int batchSize = 512;
        for (int a = 1; a < args.length; a += 2) {
            switch (args[a]) {
                case "--repeats" -> repeats = Integer.parseInt(args[a + 1]);
                case "--master" -> master = args[a + 1];
                case "--partitions-per-core" -> partitionsPerCore = Integer.parseInt(args[a + 1]);
                case "--batch-size" -> batchSize = Integer.parseInt(args[a + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        SweepPlan plan = GridExpander.plan(ConfigLoader.load(config), false);
        SparkSession spark = SparkSession.builder().master(master).appName("overparam spark-overhead bench")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.adaptive.enabled", "true")
                .getOrCreate();
        Path scratch = Files.createTempDirectory("overparam-spark-overhead");
        try {
            int cores = spark.sparkContext().defaultParallelism();
            // Warm-up: the cheapest few trials through both paths (class loading, JIT, Parquet writers).
            List<TrialSpec> cheap = new ArrayList<>(plan.trials());
            cheap.sort(Comparator.comparingDouble(TrialModels::estimatedCost));
            SweepPlan warm = new SweepPlan(plan.config(), plan.data(), cheap.subList(0, Math.min(4 * cores, cheap.size())),
                    SweepPlan.fingerprintOf(cheap.subList(0, Math.min(4 * cores, cheap.size()))));
            loop(warm.trials(), plan.data(), cores);
            sweep(spark, warm, scratch.resolve("warm"), batchSize, partitionsPerCore);

            JobClock clock = new JobClock();
            spark.sparkContext().addSparkListener(clock);
            double[] loopS = new double[repeats];
            double[] sparkS = new double[repeats];
            double[] trainS = new double[repeats];
            int converged = 0;
            for (int r = 0; r < repeats; r++) {
                loopCpuNs.set(0);
                long t0 = System.nanoTime();
                List<TrialResult> results = loop(plan.trials(), plan.data(), cores);
                loopS[r] = (System.nanoTime() - t0) * 1e-9;
                converged = (int) results.stream().filter(x -> x.status() == Outcome.CONVERGED).count();
                clock.reset();
                long t1 = System.nanoTime();
                sweep(spark, plan, scratch.resolve("run" + r), batchSize, partitionsPerCore);
                sparkS[r] = (System.nanoTime() - t1) * 1e-9;
                trainS[r] = clock.jobSeconds(true);
                System.out.printf(Locale.ROOT, "spark_run repeat=%d loop_s=%.3f loop_cpu_s=%.3f spark_s=%.3f %s load=%s%n", r, loopS[r],
                        loopCpuNs.get() * 1e-9, sparkS[r],
                        clock.describe(), loadAverage());
            }
            double loop = median(loopS);
            double sweep = median(sparkS);
            double train = median(trainS);
            System.out.printf(Locale.ROOT, "spark trials=%d converged=%d cores=%d master=%s batch_size=%d partitions_per_core=%d repeats=%d loop_s=%.3f spark_s=%.3f "
                            + "spark_train_jobs_s=%.3f spark_overhead_train_jobs=%.4f spark_overhead=%.4f%n", plan.trials().size(), converged,
                    cores, spark.sparkContext().master(), batchSize, partitionsPerCore, repeats, loop, sweep, train, (train - loop) / loop,
                    (sweep - loop) / loop);
        } finally {
            spark.stop();
            deleteTree(scratch);
        }
    }

    /**
     * Where the Spark run's time goes: wall time of its training jobs (the ones carrying
     * {@link ProgressReporter#BATCH_PROPERTY}, one per batch) and of its other jobs (the table
     * writes), and the training tasks' summed run and CPU time.
     */
    static final class JobClock extends SparkListener {
        private final java.util.Map<Integer, long[]> jobs = new java.util.LinkedHashMap<>(); // id -> {start, end, train?1:0}
        private final java.util.Map<Integer, Integer> stageJob = new java.util.HashMap<>();
        private long trainRunMs;
        private long trainCpuNs;

        synchronized void reset() {
            jobs.clear();
            stageJob.clear();
            trainRunMs = 0;
            trainCpuNs = 0;
        }

        @Override
        public synchronized void onJobStart(SparkListenerJobStart e) {
            boolean train = e.properties() != null && e.properties().getProperty(ProgressReporter.BATCH_PROPERTY) != null;
            jobs.put(e.jobId(), new long[] {e.time(), -1, train ? 1 : 0});
            for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds())) {
                stageJob.put((Integer) id, e.jobId());
            }
        }

        @Override
        public synchronized void onJobEnd(SparkListenerJobEnd e) {
            long[] j = jobs.get(e.jobId());
            if (j != null) {
                j[1] = e.time();
            }
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
            Integer job = stageJob.get(e.stageId());
            if (job != null && jobs.get(job) != null && jobs.get(job)[2] == 1 && e.taskMetrics() != null) {
                trainRunMs += e.taskMetrics().executorRunTime();
                trainCpuNs += e.taskMetrics().executorCpuTime();
            }
        }

        /** Summed wall seconds of the training jobs ({@code train = true}) or of the other jobs. */
        synchronized double jobSeconds(boolean train) {
            long ms = 0;
            for (long[] j : jobs.values()) {
                if ((j[2] == 1) == train && j[1] >= 0) {
                    ms += j[1] - j[0];
                }
            }
            return ms * 1e-3;
        }

        synchronized String describe() {
            return String.format(Locale.ROOT, "jobs=%d train_jobs_s=%.3f write_jobs_s=%.3f train_tasks_busy_s=%.3f train_tasks_cpu_s=%.3f",
                    jobs.size(), jobSeconds(true), jobSeconds(false), trainRunMs * 1e-3, trainCpuNs * 1e-9);
        }
    }

    /** CPU time the loop's workers spent in {@link TrialRunner#run}, for the report. */
    static final java.util.concurrent.atomic.AtomicLong loopCpuNs = new java.util.concurrent.atomic.AtomicLong();

    /** The plain loop: {@code threads} workers over the trials in plan order. */
    static List<TrialResult> loop(List<TrialSpec> trials, DataSource data, int threads) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            TrialRunner runner = new TrialRunner();
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            List<Future<TrialResult>> futures = new ArrayList<>();
            for (TrialSpec t : trials) {
                futures.add(pool.submit(() -> {
                    long c0 = mx.getCurrentThreadCpuTime();
                    TrialResult res = runner.run(t, data);
                    loopCpuNs.addAndGet(mx.getCurrentThreadCpuTime() - c0);
                    return res;
                }));
            }
            List<TrialResult> out = new ArrayList<>();
            for (Future<TrialResult> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /** The real sweep runner into a fresh folder (its progress log is swallowed). */
    static void sweep(SparkSession spark, SweepPlan plan, Path out, int batchSize, int partitionsPerCore) throws ConfigException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new SweepRunner(spark, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(plan, new SweepRunner.Options(out.toString(), false, batchSize, partitionsPerCore));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
