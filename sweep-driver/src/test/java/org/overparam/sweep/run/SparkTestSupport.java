package org.overparam.sweep.run;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.search.WidthSearch;
import org.overparam.sweep.tables.TrialTables;

/** Real local Spark sessions and small real sweeps for the end-to-end tests. */
public final class SparkTestSupport {
    private SparkTestSupport() {
    }

    /** A small sweep: both models, two widths, a diverging step size, two seeds (32 trials, seconds). */
    public static final String SMALL_SWEEP = """
            name: small
            model: [relu, wn]
            data: {kind: sphere, target: sign}
            grid:
              alpha: [0.5, 2.0]
              m: [16, 128]
              n: [10]
              d: [20]
              eta: [0.5, 300]
            seeds: 2
            train: {steps: 400, tolerance: 1.0e-6}
            """;

    public static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("overparam-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    public static SweepPlan plan(String yaml) throws ConfigException {
        return GridExpander.plan(ConfigLoader.parse(yaml, Path.of(".")), false);
    }

    /** Runs a plan into {@code out} and returns the log the runner printed. */
    public static String run(SparkSession spark, SweepPlan plan, Path out, boolean resume, int batchSize)
            throws ConfigException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new SweepRunner(spark, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(plan, new SweepRunner.Options(out.toString(), resume, batchSize, 3));
        return log.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs a plan's width search (whatever its {@code search:}, listed widths included) into {@code out}, its log
     * discarded; batches of {@code batchSize} trials, {@code partitionsPerCore} partitions a core.
     */
    public static WidthSearch.Counts search(SparkSession spark, SweepPlan plan, Path out, boolean resume, int batchSize,
                                            int partitionsPerCore) throws ConfigException {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return WidthSearch.of(plan.config().widths(), spark, new SweepRunner(spark, log), log)
                .run(plan, new SweepRunner.Options(out.toString(), resume, batchSize, partitionsPerCore));
    }

    /**
     * {@code read} applied to a local Spark session of one core, stopped after: for tests that read tables a
     * command line or another process wrote.
     */
    public static <T> T withLocalSession(java.util.function.Function<SparkSession, T> read) {
        SparkSession spark = session("local[1]");
        try {
            return read.apply(spark);
        } finally {
            spark.stop();
        }
    }

    public static Dataset<Row> trials(SparkSession spark, Path out) {
        return spark.read().parquet(out.resolve("trials").toString());
    }

    public static Dataset<Row> curves(SparkSession spark, Path out) {
        return spark.read().parquet(out.resolve("curves").toString());
    }

    /** The trials rows without timing columns, sorted by id: what must be identical across reruns. */
    public static List<Row> comparableTrials(SparkSession spark, Path out) {
        return trials(spark, out).drop(TrialTables.TIMING_COLUMNS.toArray(String[]::new))
                .orderBy("trial_id").collectAsList();
    }

    public static List<Row> sortedCurves(SparkSession spark, Path out) {
        return curves(spark, out).orderBy("trial_id", "step").collectAsList();
    }
}
