package org.overparam.sweep.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.threshold.FitGroup;

/**
 * Turns a sweep's {@code trials} into its derived tables, {@code DIR/thresholds}
 * ({@link ThresholdTable}), {@code DIR/scaling} ({@link ScalingFit}) and {@code DIR/rates}
 * ({@link RateRatios}). They are recomputed from the trials each time and replace what was there.
 */
public final class Aggregation {
    public static final String THRESHOLDS = "thresholds";
    public static final String SCALING = "scaling";
    public static final String RATES = "rates";
    public static final String LADDER = "ladder";

    private final SparkSession spark;
    private final Path dir;

    public Aggregation(SparkSession spark, String outputDir) throws IOException {
        this.spark = spark;
        Path p = new Path(outputDir);
        this.dir = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p);
    }

    /** What was written: the three tables, as read back. */
    public record Tables(Dataset<Row> thresholds, Dataset<Row> scaling, Dataset<Row> rates) {
    }

    /** The path of a table of this output. */
    public Path tablePath(String table) {
        return new Path(dir, table);
    }

    /**
     * The {@code thresholds:} settings the sweep ran with ({@code DIR/sweep.yaml}), the defaults when
     * it has none.
     */
    public ThresholdSettings sweepSettings() throws IOException, ConfigException {
        Path yaml = new Path(dir, "sweep.yaml");
        FileSystem fs = yaml.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(yaml)) {
            return ThresholdSettings.DEFAULT;
        }
        try (InputStream in = fs.open(yaml)) {
            return ConfigLoader.thresholdSettings(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * The adaptive search the sweep ran ({@code DIR/sweep.yaml}) with the step budget, at {@code delta}; null
     * when it ran none (or has no sweep.yaml).
     */
    public AdaptiveFits.Settings sweepAdaptive(double delta) throws IOException, ConfigException {
        Path yaml = new Path(dir, "sweep.yaml");
        FileSystem fs = yaml.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(yaml)) {
            return null;
        }
        String text;
        try (InputStream in = fs.open(yaml)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        org.overparam.sweep.config.AdaptiveSettings search = ConfigLoader.adaptiveSettings(text);
        return search == null ? null : new AdaptiveFits.Settings(search, ConfigLoader.trainSteps(text), delta);
    }

    /** The sweep's configured step budget ({@code train.steps} of {@code DIR/sweep.yaml}); null without a readable one. */
    private Integer sweepSteps() {
        Path yaml = new Path(dir, "sweep.yaml");
        try {
            FileSystem fs = yaml.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(yaml)) {
                return null;
            }
            try (InputStream in = fs.open(yaml)) {
                return ConfigLoader.trainSteps(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | ConfigException e) {
            return null;
        }
    }

    /** Computes and writes the three tables from {@code DIR/trials} (a grid or bisect sweep). */
    public Tables run(ThresholdSettings settings) {
        return run(settings, null);
    }

    /**
     * Computes and writes the three tables from {@code DIR/trials}; with {@code adaptive} (the sweep's
     * adaptive search), {@code scaling} gets each fit group's joint fit ({@code method = adaptive}) beside
     * the per-n regression ({@code method = ols}) and {@code thresholds} the model's m*(n).
     */
    public Tables run(ThresholdSettings settings, AdaptiveFits.Settings adaptive) {
        Dataset<Row> trials = org.overparam.sweep.tables.DistinctRows.trials(spark, new Path(dir, ParquetTableStore.TRIALS).toString(), System.err).cache();
        try {
            Column[] order = FitGroup.THRESHOLD_COLUMNS.stream().map(functions::col).toArray(Column[]::new);
            AdaptiveFits.Tables fits = adaptive == null ? null : AdaptiveFits.of(spark, trials, adaptive);
            // A search's runs at larger budgets (the ladder's reruns and designed trials, a budget check) are a sample
            // chosen near the thresholds, not a grid: the per-budget tables take the configured budget only, the
            // ladder takes them all.
            Integer steps = adaptive != null ? Integer.valueOf(adaptive.steps()) : sweepSteps();
            Dataset<Row> configured = steps == null ? trials : trials.filter(functions.col("max_steps").equalTo(steps));
            Dataset<Row> thresholds = ThresholdTable.of(configured, settings);
            thresholds = fits == null ? AdaptiveFits.withoutModelThresholds(thresholds)
                    : AdaptiveFits.withModelThresholds(thresholds, fits.thresholds());
            write(thresholds.orderBy(concat(order, functions.col("m"))), THRESHOLDS);
            Dataset<Row> written = read(THRESHOLDS);
            LadderFits.Tables ladders = LadderFits.of(spark, trials, settings.delta(), fits != null);
            write(ladders.ladder().orderBy(concat(concat(order(FitGroup.COLUMNS), functions.col("budget")), functions.col("n"))), LADDER);
            // MLlib's no-lapse GLM beside each adaptive fit, an independent check of its p (GlmCheck).
            write(GlmCheck.beside(withLadder(scaling(ScalingFit.of(written), fits), ladders.summaries()), GlmCheck.of(spark, trials, adaptive)), SCALING);
            write(RateRatios.of(configured), RATES);
            return new Tables(written, read(SCALING), read(RATES));
        } finally {
            trials.unpersist();
        }
    }

    private static Column[] order(List<String> columns) {
        return columns.stream().map(functions::col).toArray(Column[]::new);
    }

    /** {@code scaling} with each row's ladder columns ({@link LadderFits#SCALING_COLUMNS}; null where the row has no ladder). */
    private static Dataset<Row> withLadder(Dataset<Row> scaling, Dataset<Row> ladders) {
        List<String> on = new java.util.ArrayList<>(FitGroup.COLUMNS);
        on.add("method");
        Dataset<Row> right = ladders;
        for (String c : on) {
            right = right.withColumnRenamed(c, "__" + c);
        }
        Column cond = functions.lit(true);
        for (String c : on) {
            cond = cond.and(scaling.col(c).eqNullSafe(right.col("__" + c)));
        }
        Dataset<Row> joined = scaling.join(right, cond, "left");
        for (String c : on) {
            joined = joined.drop("__" + c);
        }
        List<String> first = new java.util.ArrayList<>(FitGroup.COLUMNS);
        first.add("method");
        return joined.orderBy(order(first));
    }

    /** The ols fits with {@code method} and the adaptive columns (null), then the adaptive fits' rows, if any. */
    private static Dataset<Row> scaling(Dataset<Row> ols, AdaptiveFits.Tables fits) {
        Dataset<Row> out = ols.withColumn("method", functions.lit("ols"));
        for (org.apache.spark.sql.types.StructField f : AdaptiveFits.SCALING_EXTRA) {
            out = out.withColumn(f.name(), functions.lit(null).cast(f.dataType()));
        }
        if (fits != null) {
            Dataset<Row> joint = fits.scaling()
                    .withColumn("r2", functions.lit(null).cast(org.apache.spark.sql.types.DataTypes.DoubleType))
                    .withColumn("theory_exponent", ScalingFit.theoryExponent())
                    .withColumn("theory", ScalingFit.theory());
            out = out.unionByName(joint.select(java.util.Arrays.stream(out.columns()).map(functions::col).toArray(Column[]::new)));
        }
        List<String> first = new java.util.ArrayList<>(FitGroup.COLUMNS);
        first.add("method");
        List<Column> cols = new java.util.ArrayList<>(first.stream().map(functions::col).toList());
        for (String c : out.columns()) {
            if (!first.contains(c)) {
                cols.add(functions.col(c));
            }
        }
        return out.select(cols.toArray(Column[]::new)).orderBy(first.stream().map(functions::col).toArray(Column[]::new));
    }

    private static Column[] concat(Column[] a, Column b) {
        Column[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private void write(Dataset<Row> table, String name) {
        table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(tablePath(name).toString());
    }

    private Dataset<Row> read(String name) {
        return spark.read().parquet(tablePath(name).toString());
    }

    /** Whether the output has all three tables (a report can show them). */
    public boolean exists() throws IOException {
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        for (String t : List.of(THRESHOLDS, SCALING, RATES)) {
            if (!fs.exists(tablePath(t))) {
                return false;
            }
        }
        return true;
    }
}
