package org.overparam.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.OutputLock;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.sweep.run.SweepSummary;
import org.overparam.sweep.search.WidthSearch;
import org.overparam.sweep.tables.DistinctRows;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.trainer.linalg.RowMajorBlas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code overparam run CONFIG}: runs a sweep on Spark ({@code local[*]} unless {@code --master} or
 * {@code spark-submit} says otherwise), or a width search stage by stage ({@code search:}), writes
 * {@code DIR/trials} and {@code DIR/curves}, prints a summary, then (unless {@code --no-report})
 * aggregates and reports as {@code overparam report DIR}. Bad input exits with 2 before anything is written.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a sweep and write its Parquet tables.")
final class RunCommand implements Callable<Integer>, FaultContext {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The sweep config (YAML).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (any Hadoop path). Default: out/<name>.")
    String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master. Default: the one spark-submit set, else local[*].")
    String master;

    @Option(names = "--resume", description = "Continue the sweep in DIR: run only the trials with no row yet"
            + " (and take over the lock of a driver that died, once its heartbeat is stale).")
    boolean resume;

    @Option(names = "--retry", paramLabel = "STATUS[,STATUS]", split = ",",
            description = "With --resume: run again the committed trials with these statuses (timeout, failed, diverged,"
                    + " censored, stuck; max_steps is censored's old name), replacing their rows (e.g. --retry timeout,failed"
                    + " after raising train.time_limit, --retry censored,stuck after raising train.steps).")
    java.util.List<String> retry = java.util.List.of();

    @Option(names = "--overwrite", description = "Delete DIR first if it holds anything.")
    boolean overwrite;

    @Option(names = "--force", description = "Accept grids over the size limit (100000 trials).")
    boolean force;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "512",
            description = "Trials per committed batch (default: ${DEFAULT-VALUE}). Smaller batches lose less on interruption.")
    int batchSize;

    @Option(names = "--partitions-per-core", paramLabel = "K", defaultValue = "3",
            description = "Training partitions per Spark core, for load balance (default: ${DEFAULT-VALUE}).")
    int partitionsPerCore;

    @Option(names = "--no-report", description = "Skip the aggregation (DIR/thresholds, scaling, rates) and the report (DIR/report) at the end.")
    boolean noReport;

    /** For the failure line ({@link RunFaults}): the output folder, the trials planned (-1: a search), whether reporting. */
    private String outputDir;
    private int planned = -1;
    private boolean reporting;

    /**
     * The statuses {@code --retry} accepts: every one but {@code converged}, and {@code max_steps}, the name older
     * outputs hold for {@code censored} (either name retries both).
     */
    static final java.util.List<String> RETRYABLE = java.util.List.of("timeout", "failed", "diverged", "censored", "stuck", "max_steps");

    @Override
    public Integer call() throws Exception {
        SweepPlan plan;
        try {
            if (resume && overwrite) {
                throw new ConfigException("--resume", "cannot be combined with --overwrite");
            }
            if (batchSize < 1) {
                throw new ConfigException("--batch-size", "must be >= 1, got " + batchSize);
            }
            if (!retry.isEmpty() && !resume) {
                throw new ConfigException("--retry", "needs --resume (it reruns trials of an existing sweep)");
            }
            for (String s : retry) {
                if (!RETRYABLE.contains(s)) {
                    throw new ConfigException("--retry", "unknown status '" + s + "'; one or more of " + String.join(", ", RETRYABLE));
                }
            }
            if (partitionsPerCore < 1) {
                throw new ConfigException("--partitions-per-core", "must be >= 1, got " + partitionsPerCore);
            }
            plan = GridExpander.plan(ConfigLoader.load(config), force);
        } catch (ConfigException e) {
            System.err.println("overparam: " + config + ": " + e.getMessage());
            return OverparamCli.BAD_INPUT;
        }
        String dir = out != null ? out : "out/" + plan.config().name();
        outputDir = dir;
        planned = plan.config().searched() ? -1 : plan.trials().size();

        SparkSession spark = Sessions.create("overparam " + plan.config().name(), master);
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            OutputLock lock;
            try {
                lock = OutputLock.acquire(fs, root, resume || overwrite, System.err);
            } catch (ConfigException e) {
                System.err.println("overparam: " + e.getMessage());
                return OverparamCli.BAD_INPUT;
            }
            try (lock; Interruption interruption = Interruption.install(spark, System.err)) {
                try {
                    return run(spark, plan, dir, fs, root, lock, interruption);
                } catch (Exception | Error e) {
                    if (!interruption.happened()) {
                        throw e;
                    }
                    return interrupted(spark, plan, dir, interruption);
                }
            }
        } finally {
            spark.stop();
        }
    }

    private int run(SparkSession spark, SweepPlan plan, String dir, FileSystem fs, org.apache.hadoop.fs.Path root,
                    OutputLock lock, Interruption interruption) throws IOException {
        System.err.printf(Locale.ROOT, "sweep %s%n  -> %s on %s (%d cores), trainer BLAS %s%n",
                PlanDescription.of(plan), dir, spark.sparkContext().master(),
                spark.sparkContext().defaultParallelism(), RowMajorBlas.best().implementation());
        if (overwrite && fs.exists(root)) {
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(root, p -> !p.getName().equals(OutputLock.FILE))) {
                fs.delete(f.getPath(), true);
            }
        }
        WidthSearch.Counts counts;
        try {
            SweepRunner runner = new SweepRunner(spark, System.err, lock, interruption::happened);
            SweepRunner.Options options = new SweepRunner.Options(dir, resume, batchSize, partitionsPerCore, java.util.Set.copyOf(retry));
            counts = WidthSearch.of(plan.config().widths(), spark, runner, System.err).run(plan, options);
        } catch (ConfigException e) {
            System.err.println("overparam: " + e.getMessage());
            return OverparamCli.BAD_INPUT;
        }
        ParquetTableStore store = new ParquetTableStore(spark, dir);
        Dataset<Row> trials = DistinctRows.trials(spark, store.tablePath(ParquetTableStore.TRIALS).toString(), System.err);
        boolean searched = plan.config().searched();
        if (!searched) {
            System.out.print(SweepSummary.format(trials));
        }
        System.out.printf(Locale.ROOT, "ran %d trials (%d already done) in %s%s%n", counts.ran(), counts.skipped(), dir,
                searched ? " over " + counts.stages() + " search stages" : "");
        System.out.printf(Locale.ROOT, "tables: %s  %s  (columns: docs/tables.md)%n",
                store.tablePath(ParquetTableStore.TRIALS), store.tablePath(ParquetTableStore.CURVES));
        if (!noReport) {
            reporting = true;
            return AggregateCommand.aggregate(spark, dir, null, null, true, System.out, System.err);
        }
        return 0;
    }

    @Override
    public String outputDir() {
        return outputDir;
    }

    @Override
    public String line(Fault fault) {
        return RunFaults.line(fault, outputDir, planned, reporting, outputDir == null ? "" : resumeCommand(outputDir));
    }

    @Override
    public int exitCode(Fault fault) {
        return reporting ? FaultKind.REPORT_FAILED : fault.kind().exitCode();
    }

    /** After SIGINT/SIGTERM: one line with what is committed and the command that continues; 130 or 143. */
    private int interrupted(SparkSession spark, SweepPlan plan, String dir, Interruption interruption) {
        String committed;
        try {
            int n = new ParquetTableStore(spark, dir).committedTrialIds().size();
            committed = !plan.config().searched()
                    ? String.format(Locale.ROOT, "%d of %d trials committed", n, plan.trials().size())
                    : String.format(Locale.ROOT, "%d trials committed", n);
        } catch (RuntimeException e) {
            committed = "the committed batches are kept";
        }
        System.err.printf(Locale.ROOT, "overparam: interrupted (SIG%s): %s in %s; continue with: %s%n",
                interruption.signalName(), committed, dir, resumeCommand(dir));
        System.err.flush();
        return interruption.exitCode();
    }

    /** The command line that continues this sweep: the same options, with {@code --out} and {@code --resume}. */
    String resumeCommand(String dir) {
        List<String> args = new ArrayList<>();
        args.add(System.getProperty("overparam.launcher", "overparam"));
        args.add("run");
        args.add(config.toString());
        args.add("--out");
        args.add(dir);
        args.add("--resume");
        if (!retry.isEmpty()) {
            args.add("--retry");
            args.add(String.join(",", retry));
        }
        if (master != null) {
            args.add("--master");
            args.add(master);
        }
        if (batchSize != 512) {
            args.add("--batch-size");
            args.add(Integer.toString(batchSize));
        }
        if (partitionsPerCore != 3) {
            args.add("--partitions-per-core");
            args.add(Integer.toString(partitionsPerCore));
        }
        if (force) {
            args.add("--force");
        }
        if (noReport) {
            args.add("--no-report");
        }
        return String.join(" ", args.stream().map(RunCommand::shellQuote).toList());
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
