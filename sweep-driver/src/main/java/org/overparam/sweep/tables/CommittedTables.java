package org.overparam.sweep.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the {@code trials} or {@code curves} table of an output folder as its commit manifests describe it: the
 * part files of committed batches, each checked against its recorded size first, so a reader never trips over a
 * half-copied file or one an interrupted commit left behind. A damaged part stops the read with a
 * {@link DamagedOutputException} naming it, unless the session's {@value #SKIP_DAMAGED} is {@code true}
 * ({@code aggregate --skip-damaged}): then contents are checked too (CRC32C) and damaged batches are left out.
 * A folder written before manifests is read as it is.
 */
public final class CommittedTables {
    /** Session conf key: leave damaged batches out of every read instead of failing (as Spark's ignoreCorruptFiles). */
    public static final String SKIP_DAMAGED = "overparam.tables.skipDamaged";

    private CommittedTables() {
    }

    /** The table at {@code tablePath} ({@code DIR/trials} or {@code DIR/curves}): its committed, intact parts. */
    public static Dataset<Row> read(SparkSession spark, String tablePath) {
        boolean skip = Boolean.parseBoolean(spark.conf().get(SKIP_DAMAGED, "false"));
        Path table = new Path(tablePath);
        Verification v = TableVerifier.verify(fileSystem(spark, table), table.getParent(), skip);
        if (!v.intact() && !skip) {
            throw new DamagedOutputException(v);
        }
        return read(spark, tablePath, v);
    }

    /** The table at {@code tablePath}, the files {@code v} found intact (every file of a folder without manifests). */
    public static Dataset<Row> read(SparkSession spark, String tablePath, Verification v) {
        String name = new Path(tablePath).getName();
        if (!v.recorded()) {
            return spark.read().parquet(tablePath);
        }
        List<Path> files = v.readableFiles(name);
        if (files.isEmpty()) {
            StructType schema = ParquetTableStore.TRIALS.equals(name) ? TrialTables.TRIALS
                    : ParquetTableStore.CURVES.equals(name) ? TrialTables.CURVES : null;
            if (schema == null) {
                return spark.read().parquet(tablePath);
            }
            return spark.createDataFrame(List.of(), schema);
        }
        return spark.read().parquet(files.stream().map(Path::toString).toArray(String[]::new));
    }

    /** The Hadoop file system of {@code path} in {@code spark}'s configuration. */
    public static FileSystem fileSystem(SparkSession spark, Path path) {
        try {
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }
}
