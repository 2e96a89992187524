package org.overparam.sweep.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.schedule.CostBalancer;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.tables.TableStore;
import org.overparam.sweep.tables.TrialTables;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.Backend;
import org.overparam.trainer.backend.BackendKind;
import org.overparam.trainer.backend.BackendSelection;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.CpuBackend;
import org.overparam.trainer.backend.choice.Backends;
import org.overparam.trainer.backend.cuda.CudaBackend;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Runs a {@link SweepPlan} on Spark: the trials not yet in the output, in batches; each batch is
 * balanced into partitions by cost, trained in {@code mapPartitions}, and committed to the
 * {@link TableStore}. Resuming skips committed trials, so a sweep can be stopped and continued.
 */
public final class SweepRunner {
    /**
     * Options of one run.
     *
     * @param retry statuses whose committed trials run again, their rows replaced ({@code run --resume --retry})
     */
    public record Options(String outputDir, boolean resume, int batchSize, int partitionsPerCore, Set<String> retry) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            retry = Set.copyOf(retry);
        }

        /** Options that retry nothing. */
        public Options(String outputDir, boolean resume, int batchSize, int partitionsPerCore) {
            this(outputDir, resume, batchSize, partitionsPerCore, Set.of());
        }
    }

    /** What a run did. */
    public record Outcome(int planned, int skipped, int ran, String outputDir) {
    }

    private final SparkSession spark;
    private final PrintStream log;
    /** The lock of the output folder, checked before every commit; null when the caller holds none (tests). */
    private final OutputLock lock;
    /** Asked before each batch: true once the user interrupted the run (no new batch then starts). */
    private final java.util.function.BooleanSupplier stopRequested;
    private final StallWatchdog.Settings watchdog;
    /** CUDA's availability in local mode as {@link #checkBackend} found it (null: cluster or cpu). */
    private Availability localCuda;
    private boolean backendChecked;

    private final ProgressLine.Mode progressMode;

    /** A runner that reports progress on {@code log}, in place on a terminal (ProgressLine.Mode.detect()). */
    public SweepRunner(SparkSession spark, PrintStream log) {
        this(spark, log, (OutputLock) null);
    }

    /** A runner that reports progress in {@code progressMode} (tests choose it; the default detects a terminal). */
    public SweepRunner(SparkSession spark, PrintStream log, ProgressLine.Mode progressMode) {
        this(spark, log, null, () -> false, StallWatchdog.Settings.DEFAULT, progressMode);
    }

    /** A runner that checks, before every commit, that {@code lock} still names this driver. */
    public SweepRunner(SparkSession spark, PrintStream log, OutputLock lock) {
        this(spark, log, lock, () -> false);
    }

    /**
     * As the other constructor; {@code stopRequested} is asked before each batch, and once it says true
     * the run ends with a {@link java.util.concurrent.CancellationException} (what is committed stays).
     */
    public SweepRunner(SparkSession spark, PrintStream log, OutputLock lock, java.util.function.BooleanSupplier stopRequested) {
        this(spark, log, lock, stopRequested, StallWatchdog.Settings.DEFAULT, ProgressLine.Mode.detect());
    }

    private SweepRunner(SparkSession spark, PrintStream log, OutputLock lock, java.util.function.BooleanSupplier stopRequested,
                        StallWatchdog.Settings watchdog, ProgressLine.Mode progressMode) {
        this.spark = spark;
        this.log = log;
        this.lock = lock;
        this.stopRequested = stopRequested;
        this.watchdog = watchdog;
        this.progressMode = progressMode;
    }

    /** This runner with other stall-warning settings ({@link StallWatchdog}). */
    public SweepRunner withWatchdog(StallWatchdog.Settings settings) {
        return new SweepRunner(spark, log, lock, stopRequested, settings, progressMode);
    }

    /**
     * Runs the plan's trials (a width search's first stage, marked stage 1; a grid sweep's, stage 0)
     * after checking the output folder against the options and writing its manifest.
     */
    public Outcome run(SweepPlan plan, Options options) throws ConfigException {
        checkBackendOnce(plan.config().backend());
        ParquetTableStore store = new ParquetTableStore(spark, options.outputDir());
        prepareOutput(plan, options, store.root());
        return runTrials(plan, plan.trials(), plan.config().searched() ? 1 : 0, options, store);
    }

    /**
     * Checks the output folder against the options and writes its manifest, running nothing: an adaptive
     * search, whose every stage is a {@link #runStage}, starts with it.
     */
    public void prepare(SweepPlan plan, Options options) throws ConfigException {
        checkBackendOnce(plan.config().backend());
        prepareOutput(plan, options, new ParquetTableStore(spark, options.outputDir()).root());
    }

    /** Trial id → status and steps of every trial committed to the output so far. */
    public java.util.Map<String, ParquetTableStore.Verdict> committedVerdicts(Options options) {
        return new ParquetTableStore(spark, options.outputDir()).committedVerdicts();
    }

    /** Trial id → status of every trial committed to the output so far. */
    public java.util.Map<String, String> committedStatuses(Options options) {
        return new ParquetTableStore(spark, options.outputDir()).committedStatuses();
    }

    /**
     * Runs one later stage of a width search into the output {@link #run} prepared: the given trials
     * but those already committed (by any stage), their rows marked with {@code stage}.
     */
    public Outcome runStage(SweepPlan plan, List<TrialSpec> trials, int stage, Options options) throws ConfigException {
        checkBackendOnce(plan.config().backend());
        return runTrials(plan, trials, stage, options, new ParquetTableStore(spark, options.outputDir()));
    }

    /** How much longer than {@code train.time_limit} a timed-out trial may run when it is run again. */
    static final int RERUN_LIMIT = 4;

    private Outcome runTrials(SweepPlan plan, List<TrialSpec> trials, int stage, Options options, ParquetTableStore store) {
        store.recover();
        ResumePlan resume = ResumePlan.of(trials, store.committedStatuses(), options.retry());
        if (resume.skipped() > 0 || !resume.retried().isEmpty()) {
            log.println(resume.describe(trials.size(), options.retry()));
        }
        if (resume.todo().isEmpty()) {
            return new Outcome(trials.size(), resume.skipped(), 0, options.outputDir());
        }
        java.time.Duration limit = plan.config().train().timeLimit();
        trainInBatches(plan, resume.todo(), resume.retried(), stage, options, store, limit);
        if (limit != null) {
            // The time limit is a safety net, not data: a trial it stopped depends on the machine's load, so it runs
            // once more with RERUN_LIMIT × the limit (its row replaced). One that times out again stays a timeout:
            // no evidence either way, and the summary says the tables then depend on the machine.
            java.util.Map<String, String> status = store.committedStatuses();
            List<TrialSpec> timedOut = resume.todo().stream().filter(t -> "timeout".equals(status.get(t.id()))).toList();
            if (!timedOut.isEmpty()) {
                java.time.Duration longer = limit.multipliedBy(RERUN_LIMIT);
                log.printf(Locale.ROOT, "%d trials hit the time limit (%s): running them again with %s, their rows replaced%n",
                        timedOut.size(), org.overparam.trainer.gd.Deadline.format(limit), org.overparam.trainer.gd.Deadline.format(longer));
                trainInBatches(plan, timedOut, timedOut.stream().map(TrialSpec::id).collect(java.util.stream.Collectors.toSet()),
                        stage, options, store, longer);
                java.util.Map<String, String> after = store.committedStatuses();
                long again = timedOut.stream().filter(t -> "timeout".equals(after.get(t.id()))).count();
                if (again > 0) {
                    log.printf(Locale.ROOT, "%d trials hit the longer limit too: they are no evidence, and the tables depend on this"
                            + " machine's speed until train.time_limit is raised (run --resume --retry timeout)%n", again);
                }
            }
        }
        return new Outcome(trials.size(), resume.skipped(), resume.todo().size(), options.outputDir());
    }

    /**
     * Trains {@code todo} in batches of the options' size, each batch one Spark job balanced over the slots (by cost,
     * or onto the devices), then committed: appended, or replacing the rows of the trials in {@code replacing}.
     * Progress and stall listeners watch the batches; an interruption stops before the next one.
     */
    private void trainInBatches(SweepPlan plan, List<TrialSpec> todo, Set<String> replacing, int stage, Options options,
                                ParquetTableStore store, java.time.Duration timeLimit) {
        BackendSettings backend = plan.config().backend();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<DataSource> data = jsc.broadcast(plan.data());
        ProgressLine line = new ProgressLine(log, progressMode, System::nanoTime);
        ProgressReporter progress = new ProgressReporter(line, todo.size(), CostBalancer.cost(todo));
        spark.sparkContext().addSparkListener(progress);
        StallWatchdog stalls = new StallWatchdog(log, watchdog);
        spark.sparkContext().addSparkListener(stalls);
        String runTag = "r" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
        int batches = (todo.size() + options.batchSize() - 1) / options.batchSize();
        int slots = Math.max(1, jsc.defaultParallelism()) * Math.max(1, options.partitionsPerCore());
        int deviceSlots = deviceSlots(backend, localCuda, slots);
        try {
            for (int b = 0; b < batches; b++) {
                if (stopRequested.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("interrupted before batch " + (b + 1));
                }
                List<TrialSpec> batch = todo.subList(b * options.batchSize(), Math.min(todo.size(), (b + 1) * options.batchSize()));
                List<List<TrialSpec>> bins = deviceSlots > 0
                        ? CostBalancer.balanceForDevice(batch, deviceSlots, slots, backend.maxPack(), CudaBackend::trains)
                        : CostBalancer.balanceCpu(batch, slots);
                String label = (stage > 0 ? "stage " + stage + (batches > 1 ? ", " : "") : "")
                        + (batches > 1 ? String.format(Locale.ROOT, "batch %d/%d", b + 1, batches) : "");
                progress.beginBatch(label, bins);
                stalls.beginBatch(label, bins);
                JavaRDD<TrialResult> results = jsc.parallelize(bins, bins.size())
                        .mapPartitions(new TrainPartition(data, backend, timeLimit))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                jsc.setLocalProperty(ProgressReporter.BATCH_PROPERTY, runTag + "-b" + b);
                jsc.setJobGroup("overparam-" + runTag, "train " + plan.config().name() + " batch " + (b + 1) + "/" + batches, false);
                try {
                    results.count();
                } finally {
                    jsc.setLocalProperty(ProgressReporter.BATCH_PROPERTY, null);
                    jsc.clearJobGroup();
                }
                // Stages of a search may start within the same second: the stage keeps their batch tags apart.
                String tag = stage == 0 ? String.format(Locale.ROOT, "%s-b%05d", runTag, b)
                        : String.format(Locale.ROOT, "%s-s%d-b%05d", runTag, stage, b);
                commit(plan, results, batch, replacing, stage, tag, store);
                int failed = (int) results.filter(r -> r.status() == org.overparam.trainer.gd.Outcome.DIVERGED || r.status() == org.overparam.trainer.gd.Outcome.FAILED).count();
                progress.batchCommitted((label.isEmpty() ? "batch" : label) + " committed", failed);
                results.unpersist(false);
            }
        } finally {
            spark.sparkContext().removeSparkListener(progress);
            line.finish();
            spark.sparkContext().removeSparkListener(stalls);
            stalls.close();
            data.destroy();
        }
    }

    /** Commits one trained batch under {@code tag}, replacing the rows of its trials in {@code replacing}. */
    private void commit(SweepPlan plan, JavaRDD<TrialResult> results, List<TrialSpec> batch, Set<String> replacing, int stage,
                        String tag, ParquetTableStore store) {
        String sweep = plan.config().name();
        String version = CodeVersion.get();
        Dataset<Row> rows = spark.createDataFrame(results.map(r -> TrialTables.trialRow(sweep, r, version, stage)), TrialTables.TRIALS);
        Dataset<Row> curves = spark.createDataFrame(results.flatMap(r -> TrialTables.curveRows(r).iterator()), TrialTables.CURVES);
        if (lock != null) {
            lock.verify();
        }
        Set<String> replaced = new java.util.HashSet<>();
        for (TrialSpec t : batch) {
            if (replacing.contains(t.id())) {
                replaced.add(t.id());
            }
        }
        if (replaced.isEmpty()) {
            store.commitBatch(tag, rows, curves);
        } else {
            store.replaceBatch(tag, rows, curves, replaced);
        }
    }

    /**
     * In {@code local} mode the driver's machine is the executor's: a sweep asking for {@code cuda} where
     * CUDA cannot run is refused here, before anything is written, and {@code auto}'s choice is printed.
     * On a cluster each task decides on its executor (and a {@code cuda} task without a GPU fails).
     *
     * @return CUDA's availability in local mode, null on a cluster or for {@code cpu}
     */
    private void checkBackendOnce(BackendSettings backend) throws ConfigException {
        if (!backendChecked) {
            localCuda = checkBackend(backend);
            backendChecked = true;
        }
    }

    private Availability checkBackend(BackendSettings backend) throws ConfigException {
        if (backend.kind() == BackendKind.CPU || !spark.sparkContext().isLocal()) {
            return null;
        }
        Availability cuda = CudaBackend.probe();
        if (backend.kind() == BackendKind.CUDA && !cuda.available()) {
            throw new ConfigException("backend", "cuda requested, but CUDA is unavailable on this machine: " + cuda.reason());
        }
        log.println(BackendSelection.choose(backend.kind(), cuda).reason());
        return cuda;
    }

    /**
     * How many packed partitions to make for a device backend (0: the CPU's cost-balanced bins). Local
     * mode: the visible GPUs × {@code tasks_per_gpu}. A cluster: executors × GPUs per executor ÷ GPU per
     * task, from {@code spark.executor.resource.gpu.amount} and {@code spark.task.resource.gpu.amount};
     * without those, the CPU slots.
     */
    private int deviceSlots(BackendSettings backend, Availability localCuda, int cpuSlots) {
        if (backend.kind() == BackendKind.CPU) {
            return 0;
        }
        if (localCuda != null) {
            return localCuda.available() ? localCuda.devices().size() * backend.tasksPerGpu() : 0;
        }
        org.apache.spark.SparkConf conf = spark.sparkContext().getConf();
        double perExecutor = conf.getDouble("spark.executor.resource.gpu.amount", 0);
        double perTask = conf.getDouble("spark.task.resource.gpu.amount", 0);
        if (perExecutor <= 0 || perTask <= 0) {
            return cpuSlots;
        }
        int executors = Math.max(1, Math.max(conf.getInt("spark.executor.instances", 0),
                spark.sparkContext().getExecutorMemoryStatus().size() - 1));
        return Math.max(1, executors * (int) Math.floor(perExecutor / perTask + 1e-9));
    }

    /** Checks the output folder against the options and writes the manifest of a new sweep. */
    private void prepareOutput(SweepPlan plan, Options options, Path root) throws ConfigException {
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            boolean hasManifest = SweepManifest.exists(fs, root);
            if (options.resume() && hasManifest) {
                SweepManifest manifest = SweepManifest.read(fs, root);
                if (!manifest.fingerprint().equals(plan.fingerprint())) {
                    throw new ConfigException("--resume", options.outputDir() + " was written by a different config (sweep '"
                            + manifest.sweep() + "', " + manifest.trials() + " trials); use another --out");
                }
                // Damaged batches (a bad disk, a half-copied file) are quarantined here and their trials run again.
                org.overparam.sweep.tables.TableHealer.heal(spark, new ParquetTableStore(spark, options.outputDir()), log);
                return;
            }
            // What a first run killed (or out of space) before its manifest leaves: its config copy, the manifest's temporary.
            java.util.function.Predicate<String> leftOfPrepare = name -> options.resume()
                    && (name.equals("sweep.yaml") || name.startsWith("_" + SweepManifest.FILE));
            if (fs.exists(root) && fs.listStatus(root, p -> !p.getName().startsWith(OutputLock.FILE) && !leftOfPrepare.test(p.getName())).length > 0) {
                throw new ConfigException("--out", options.resume()
                        ? options.outputDir() + " holds files but no " + SweepManifest.FILE + ": not a sweep output, refusing to resume into it"
                        : options.outputDir() + " already holds files; pass --resume to continue that sweep or --overwrite to replace it");
            }
            new SweepManifest(plan.config().name(), plan.fingerprint(), plan.trials().size(), CodeVersion.get())
                    .write(fs, root, plan.config().source());
            new org.overparam.sweep.tables.CommitLog(fs, root).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output folder " + options.outputDir(), e);
        }
    }

    /**
     * Trains the trials of one partition (one cost-balanced bin, or whole packs for a device backend) on
     * the backend the settings choose on this executor, opened for the task and closed after it. A
     * partition without a trial the kernels train (bn, grelu, deep-relu, smooth under {@code auto}) trains
     * on the CPU trainer and takes no GPU.
     */
    private static final class TrainPartition implements FlatMapFunction<Iterator<List<TrialSpec>>, TrialResult> {
        private static final long serialVersionUID = 3L;
        private final Broadcast<DataSource> data;
        private final BackendSettings settings;
        private final java.time.Duration timeLimit;

        TrainPartition(Broadcast<DataSource> data, BackendSettings settings, java.time.Duration timeLimit) {
            this.data = data;
            this.settings = settings;
            this.timeLimit = timeLimit;
        }

        @Override
        public Iterator<TrialResult> call(Iterator<List<TrialSpec>> bins) throws InterruptedException {
            DataSource source = data.value();
            List<TrialSpec> trials = new ArrayList<>();
            while (bins.hasNext()) {
                trials.addAll(bins.next());
            }
            boolean device = settings.kind() != BackendKind.CPU && trials.stream().anyMatch(CudaBackend::trains);
            try (Backend backend = device ? Backends.open(settings, new TaskDevices(settings.tasksPerGpu()), timeLimit)
                    : new CpuBackend(org.overparam.trainer.run.TrialRunner.withTimeLimit(timeLimit))) {
                return new ArrayList<>(backend.run(trials, source)).iterator();
            }
        }
    }
}
