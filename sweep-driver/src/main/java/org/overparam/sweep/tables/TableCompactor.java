package org.overparam.sweep.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Rewrites the many small batch files of a sweep's {@code trials} and {@code curves} as one batch of few files
 * ({@code overparam compact DIR}): a sweep of 10⁵ trials in batches of 512 leaves 196 files a table, 10⁶ about
 * 1,950. The rows are copied unchanged (trials sorted by id, curves by id and step), checked against the
 * originals (row count and an order-free digest of every column), and switched in by one redo journal
 * ({@link ParquetTableStore#applyJournal}): the new files and manifest in, the old manifests and files out. A
 * crash after the journal is written is finished by the next writer; before it, nothing has changed.
 */
public final class TableCompactor {
    /**
     * What a compaction did.
     *
     * @param batchesBefore committed batches before
     * @param filesBefore   their part files
     * @param filesAfter    part files after (0 when nothing was done)
     * @param trials        trial rows
     * @param curveRows     curve rows
     * @param batch         the tag of the compacted batch (null when nothing was done)
     */
    public record Result(int batchesBefore, int filesBefore, int filesAfter, long trials, long curveRows, String batch) {
    }

    private TableCompactor() {
    }

    /**
     * Compacts {@code store}'s folder into files of at most {@code maxRowsPerFile} rows; the caller holds its
     * writer lock. A damaged folder is refused ({@link DamagedOutputException}): {@code run --resume} heals it first.
     */
    public static Result compact(SparkSession spark, ParquetTableStore store, long maxRowsPerFile, PrintStream log) {
        store.recover();
        Path root = store.root();
        FileSystem fs = CommittedTables.fileSystem(spark, root);
        try {
            CommitLog commits = new CommitLog(fs, root);
            if (!commits.recorded()) {
                TableHealer.adopt(spark, fs, root, commits, log);
            }
            Verification v = TableVerifier.verify(fs, root, true);
            if (!v.intact()) {
                throw new DamagedOutputException(v);
            }
            int files = v.readableFiles(ParquetTableStore.TRIALS).size() + v.readableFiles(ParquetTableStore.CURVES).size();
            long trialRows = v.batches().stream().mapToLong(b -> b.trialIds().size()).sum();
            if (v.batches().size() <= 1) {
                return new Result(v.batches().size(), files, 0, trialRows, -1, null);
            }
            String tag = "r" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")) + "-compact";
            Path staging = new Path(new Path(root, "_staging"), tag);
            long[] counts = new long[2];
            List<String[]> moves = new ArrayList<>();
            List<BatchManifest.Part> parts = new ArrayList<>();
            int k = 0;
            for (String table : List.of(ParquetTableStore.CURVES, ParquetTableStore.TRIALS)) {
                Dataset<Row> rows = CommittedTables.read(spark, store.tablePath(table).toString(), v);
                Column[] order = table.equals(ParquetTableStore.TRIALS) ? new Column[] {col("trial_id")}
                        : new Column[] {col("trial_id"), col("step")};
                Path dir = new Path(staging, table);
                rows.repartition(1).sortWithinPartitions(order).write().mode(SaveMode.Overwrite)
                        .option("maxRecordsPerFile", maxRowsPerFile).parquet(dir.toString());
                Dataset<Row> written = spark.read().parquet(dir.toString());
                Row before = digest(rows);
                Row after = digest(written);
                if (!before.equals(after)) {
                    throw new IllegalStateException("the compacted " + table + " differ from the originals (rows and digest "
                            + before + " against " + after + "); nothing was changed");
                }
                counts[k++] = before.getLong(0);
                for (FileStatus part : fs.listStatus(dir, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_")
                        && !p.getName().startsWith("."))) {
                    String name = tag + "-" + part.getPath().getName();
                    moves.add(new String[] {part.getPath().toString(), new Path(store.tablePath(table), name).toString()});
                    parts.add(CommitLog.describe(fs, part.getPath(), table, name));
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            List<String> deletes = new ArrayList<>();
            List<String> old = new ArrayList<>();
            for (BatchManifest b : v.batches()) {
                ids.addAll(b.trialIds());
                old.add(b.batch());
                b.parts().forEach(p -> deletes.add(new Path(root, p.file()).toString()));
            }
            store.applyJournal(tag, new ParquetTableStore.Journal(moves, deletes,
                    List.of(new BatchManifest(tag, parts, List.copyOf(ids))), old));
            fs.delete(new Path(root, "_staging"), true);
            return new Result(v.batches().size(), files, parts.size(), counts[1], counts[0], tag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the tables of " + root, e);
        }
    }

    /** Row count and the sum of every row's 64-bit hash over all columns: equal for equal multisets of rows. */
    private static Row digest(Dataset<Row> rows) {
        Column[] all = java.util.Arrays.stream(rows.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        return rows.select(xxhash64(all).cast(DataTypes.createDecimalType(38, 0)).as("h"))
                .agg(count("*"), sum(col("h"))).first();
    }
}
