package org.overparam.sweep.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.row_number;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Reads the {@code trials} and {@code curves} tables with at most one row per trial id (per trial id and
 * step for curves), whatever the folder holds: the second line of defence behind the one-writer lock
 * ({@link org.overparam.sweep.run.OutputLock}), for folders written before it or by hand. Of duplicates
 * the row of the latest batch file (batch tags sort by run time) is kept; the log says how many were dropped.
 * Every derived table (thresholds, scaling, rates, summary, report) reads through here.
 */
public final class DistinctRows {
    private static final String FILE = "_source_file";

    private DistinctRows() {
    }

    /** The {@code trials} table at {@code path}, one row per {@code trial_id}, legacy statuses normalized ({@link TrialStatuses}). */
    public static Dataset<Row> trials(SparkSession spark, String path, PrintStream log) {
        return TrialStatuses.normalized(distinct(CommittedTables.read(spark, path), "trials", log, "trial_id"));
    }

    /** The {@code curves} table at {@code path}, one row per {@code (trial_id, step)}. */
    public static Dataset<Row> curves(SparkSession spark, String path, PrintStream log) {
        return distinct(CommittedTables.read(spark, path), "curves", log, "trial_id", "step");
    }

    /** {@code rows} with one row per key, the one from the latest file kept; logs the number dropped. */
    public static Dataset<Row> distinct(Dataset<Row> rows, String table, PrintStream log, String... key) {
        if (!java.util.List.of(rows.columns()).containsAll(java.util.List.of(key))) {
            return rows; // a hand-made table without ids: nothing to tell apart
        }
        long all = rows.count();
        long distinct = rows.select(key[0], java.util.Arrays.copyOfRange(key, 1, key.length)).distinct().count();
        if (all == distinct) {
            return rows;
        }
        log.printf(Locale.ROOT, "note: %s holds %d rows for %d distinct %s: %d duplicate rows dropped"
                + " (the latest batch's kept); was the folder written by two drivers at once?%n",
                table, all, distinct, String.join(", ", key), all - distinct);
        var window = Window.partitionBy(java.util.Arrays.stream(key).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).orderBy(col(FILE).desc());
        return rows.withColumn(FILE, input_file_name())
                .withColumn("_rank", row_number().over(window))
                .filter(col("_rank").equalTo(1))
                .drop("_rank", FILE);
    }
}
