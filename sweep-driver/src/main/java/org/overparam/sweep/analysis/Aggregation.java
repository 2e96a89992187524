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

/**
 * Turns a sweep's {@code trials} into its derived tables, {@code DIR/thresholds}
 * ({@link ThresholdTable}), {@code DIR/scaling} ({@link ScalingFit}) and {@code DIR/rates}
 * ({@link RateRatios}). They are recomputed from the trials each time and replace what was there.
 */
public final class Aggregation {
    public static final String THRESHOLDS = "thresholds";
    public static final String SCALING = "scaling";
    public static final String RATES = "rates";

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

    /** Computes and writes the three tables from {@code DIR/trials}. */
    public Tables run(ThresholdSettings settings) {
        Dataset<Row> trials = org.overparam.sweep.tables.DistinctRows.trials(spark, new Path(dir, ParquetTableStore.TRIALS).toString(), System.err).cache();
        try {
            Column[] order = ThresholdTable.GROUP.stream().map(functions::col).toArray(Column[]::new);
            Dataset<Row> thresholds = ThresholdTable.of(trials, settings);
            write(thresholds.orderBy(concat(order, functions.col("m"))), THRESHOLDS);
            Dataset<Row> written = read(THRESHOLDS);
            write(ScalingFit.of(written), SCALING);
            write(RateRatios.of(trials), RATES);
            return new Tables(written, read(SCALING), read(RATES));
        } finally {
            trials.unpersist();
        }
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
