package org.overparam.sweep.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Parquet tables under one output folder (any Hadoop file system: local, HDFS, S3A):
 * {@code DIR/trials/} and {@code DIR/curves/}, each a folder of files named
 * {@code <batch>-part-*.parquet}. A batch is written by Spark into {@code DIR/_staging/<batch>/}, then
 * its files are renamed into place, curves first and trials last: a batch is committed exactly when
 * its trials file is present. Readers skip names starting with {@code _} or {@code .}.
 *
 * <p>A batch of retried trials ({@link #replaceBatch}) also rewrites, without the retried trials, the
 * committed files that hold their old rows. Everything is staged first; then a redo journal
 * {@code DIR/_replace/<batch>.json} (written by an atomic rename) lists the renames and deletions, and is
 * carried out. The journal is the commit point: {@link #recover()} finishes a journal it finds (roll
 * forward) and discards staging without one (roll back), so a crash never leaves a trial with two rows
 * or none.
 */
public final class ParquetTableStore implements TableStore {
    public static final String TRIALS = "trials";
    public static final String CURVES = "curves";
    private static final String STAGING = "_staging";
    public static final String JOURNAL = "_replace";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The redo log of one replacement: staged file → final name, the commit manifests to write and those to remove
     * ({@link CommitLog}; absent from journals written before manifests), then the files to delete.
     */
    public record Journal(java.util.List<String[]> moves, java.util.List<String> deletes, java.util.List<BatchManifest> commits,
                          java.util.List<String> uncommits) {
        public Journal {
            commits = commits == null ? List.of() : List.copyOf(commits);
            uncommits = uncommits == null ? List.of() : List.copyOf(uncommits);
        }
    }

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    public ParquetTableStore(SparkSession spark, String outputDir) {
        this.spark = spark;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path p = new Path(outputDir);
            this.fs = p.getFileSystem(conf);
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output folder " + outputDir, e);
        }
    }

    /** The output folder, fully qualified. */
    public Path root() {
        return root;
    }

    public Path tablePath(String table) {
        return new Path(root, table);
    }

    @Override
    public void recover() {
        try {
            Path journals = new Path(root, JOURNAL);
            if (fs.exists(journals)) {
                for (FileStatus j : fs.listStatus(journals, p -> p.getName().endsWith(".json"))) {
                    Journal journal;
                    try (java.io.InputStream in = fs.open(j.getPath())) {
                        journal = JSON.readValue(in, Journal.class);
                    }
                    carryOut(journal);
                    fs.delete(j.getPath(), false);
                }
                fs.delete(journals, true);
            }
            fs.delete(new Path(root, STAGING), true);
            CommitLog commits = new CommitLog(fs, root);
            if (commits.recorded()) {
                // Committed means named by a manifest: files of a batch without one are an interrupted commit's.
                Set<String> recorded = new HashSet<>(commits.batches());
                for (String table : List.of(CURVES, TRIALS)) {
                    for (FileStatus f : dataFiles(table)) {
                        if (!recorded.contains(batchTag(f.getPath().getName()))) {
                            fs.delete(f.getPath(), false);
                        }
                    }
                }
                return;
            }
            Set<String> committed = batchTags(TRIALS);
            for (FileStatus f : dataFiles(CURVES)) {
                if (!committed.contains(batchTag(f.getPath().getName()))) {
                    fs.delete(f.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + root, e);
        }
    }

    @Override
    public Set<String> committedTrialIds() {
        Verification v = TableVerifier.verify(fs, root, false);
        if (v.recorded()) {
            // The manifests name every committed trial: no need to read the tables (Spark may be stopping).
            if (!v.intact()) {
                throw new DamagedOutputException(v);
            }
            return v.intactTrialIds();
        }
        if (dataFiles(TRIALS).isEmpty()) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        for (Row r : CommittedTables.read(spark, tablePath(TRIALS).toString()).select("trial_id").collectAsList()) {
            ids.add(r.getString(0));
        }
        return ids;
    }

    @Override
    public void commitBatch(String batchTag, Dataset<Row> trials, Dataset<Row> curves) {
        Path staging = new Path(new Path(root, STAGING), batchTag);
        trials.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(staging, TRIALS).toString());
        curves.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(staging, CURVES).toString());
        try {
            CommitLog commits = new CommitLog(fs, root);
            List<String> ids = commits.recorded() ? trials.select("trial_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList() : null;
            List<Path> moved = new java.util.ArrayList<>(moveInto(new Path(staging, CURVES), CURVES, batchTag));
            moved.addAll(moveInto(new Path(staging, TRIALS), TRIALS, batchTag));
            if (ids != null) {
                // The manifest last, renamed into place: the commit point readers and recovery go by.
                List<BatchManifest.Part> parts = new java.util.ArrayList<>();
                for (Path f : moved) {
                    parts.add(CommitLog.describe(fs, root, f, f.getParent().getName()));
                }
                commits.write(new BatchManifest(batchTag, parts, ids));
            }
            fs.delete(new Path(root, STAGING), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit batch " + batchTag + " into " + root, e);
        }
    }

    /** A committed trial's verdict: its status and the steps it ran (the step it converged at, when it did). */
    public record Verdict(String status, int steps) {
    }

    /** Trial id → status and steps of every committed trial. */
    public java.util.Map<String, Verdict> committedVerdicts() {
        java.util.Map<String, Verdict> out = new java.util.HashMap<>();
        if (dataFiles(TRIALS).isEmpty()) {
            return out;
        }
        for (Row r : CommittedTables.read(spark, tablePath(TRIALS).toString()).select("trial_id", "status", "steps").collectAsList()) {
            out.put(r.getString(0), new Verdict(TrialStatuses.normalize(r.getString(1)), r.getInt(2)));
        }
        return out;
    }

    @Override
    public java.util.Map<String, String> committedStatuses() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        if (dataFiles(TRIALS).isEmpty()) {
            return out;
        }
        for (Row r : CommittedTables.read(spark, tablePath(TRIALS).toString()).select("trial_id", "status").collectAsList()) {
            out.put(r.getString(0), TrialStatuses.normalize(r.getString(1)));
        }
        return out;
    }

    @Override
    public void replaceBatch(String batchTag, Dataset<Row> trials, Dataset<Row> curves, Set<String> replaced) {
        Path staging = new Path(new Path(root, STAGING), batchTag);
        trials.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(staging, TRIALS).toString());
        curves.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(staging, CURVES).toString());
        try {
            java.util.List<String[]> moves = new java.util.ArrayList<>();
            java.util.List<String> deletes = new java.util.ArrayList<>();
            // With manifests: each kept file's batch and the new batch get one, the affected batches lose theirs.
            boolean recorded = new CommitLog(fs, root).recorded();
            java.util.Map<String, List<BatchManifest.Part>> keptParts = new java.util.TreeMap<>();
            java.util.Map<String, List<String>> keptIds = new java.util.TreeMap<>();
            // The committed batches holding old rows of the replaced trials: rewritten without them.
            Set<String> affected = new java.util.TreeSet<>();
            List<String> ids = List.copyOf(replaced);
            for (Row r : spark.read().parquet(tablePath(TRIALS).toString())
                    .filter(org.apache.spark.sql.functions.col("trial_id").isin(ids.toArray()))
                    .select(org.apache.spark.sql.functions.input_file_name()).distinct().collectAsList()) {
                affected.add(batchTag(new Path(r.getString(0)).getName()));
            }
            int k = 0;
            for (String table : List.of(CURVES, TRIALS)) {
                for (FileStatus f : dataFiles(table)) {
                    String tag = batchTag(f.getPath().getName());
                    if (!affected.contains(tag)) {
                        continue;
                    }
                    Dataset<Row> kept = spark.read().parquet(f.getPath().toString())
                            .filter(org.apache.spark.sql.functions.not(
                                    org.apache.spark.sql.functions.col("trial_id").isin(ids.toArray())));
                    // Kept rows go under a tag of their own, sorting after the old one (the old file's name stays unique).
                    String keptTag = tag + "-k" + batchTag;
                    if (!kept.isEmpty()) {
                        Path dir = new Path(new Path(staging, "kept-" + k++), table);
                        kept.coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.toString());
                        for (FileStatus part : stagedParts(dir)) {
                            String name = keptTag + "-" + part.getPath().getName();
                            moves.add(new String[] {part.getPath().toString(), new Path(tablePath(table), name).toString()});
                            if (recorded) {
                                keptParts.computeIfAbsent(keptTag, t -> new java.util.ArrayList<>())
                                        .add(CommitLog.describe(fs, part.getPath(), table, name));
                            }
                        }
                        if (recorded && table.equals(TRIALS)) {
                            keptIds.put(keptTag, kept.select("trial_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
                        }
                    }
                    deletes.add(f.getPath().toString());
                }
            }
            // The new rows: curves before trials, as a plain commit moves them.
            List<BatchManifest.Part> newParts = new java.util.ArrayList<>();
            for (String table : List.of(CURVES, TRIALS)) {
                for (FileStatus part : stagedParts(new Path(staging, table))) {
                    String name = batchTag + "-" + part.getPath().getName();
                    moves.add(new String[] {part.getPath().toString(), new Path(tablePath(table), name).toString()});
                    if (recorded) {
                        newParts.add(CommitLog.describe(fs, part.getPath(), table, name));
                    }
                }
            }
            List<BatchManifest> commits = new java.util.ArrayList<>();
            if (recorded) {
                keptParts.forEach((tag, parts) -> commits.add(new BatchManifest(tag, parts, keptIds.getOrDefault(tag, List.of()))));
                commits.add(new BatchManifest(batchTag, newParts,
                        trials.select("trial_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
            }
            applyJournal(batchTag, new Journal(moves, deletes, commits, recorded ? List.copyOf(affected) : List.of()));
            fs.delete(new Path(root, STAGING), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the retried batch " + batchTag + " into " + root, e);
        }
    }

    /**
     * Commits a change of many files at once: writes {@code journal} (by an atomic rename: the commit point), carries
     * it out and removes it. A crash after the rename is finished by {@link #recover()}. Used by {@link #replaceBatch}
     * and {@link TableCompactor}.
     */
    void applyJournal(String tag, Journal journal) throws IOException {
        Path journals = new Path(root, JOURNAL);
        fs.mkdirs(journals);
        Path tmp = new Path(journals, "_" + tag + ".tmp");
        try (java.io.OutputStream out = fs.create(tmp, true)) {
            JSON.writeValue(out, journal);
        }
        Path file = new Path(journals, tag + ".json");
        if (!fs.rename(tmp, file)) {
            throw new IOException("cannot write the journal " + file);
        }
        carryOut(journal);
        fs.delete(file, false);
        fs.delete(journals, true);
    }

    /**
     * Does what a journal says; every step may be repeated (a move whose source is gone, a deleted file, are done).
     * New manifests are written before old ones go and old files are deleted last, so a reader meanwhile sees every
     * row at least once (duplicates are dropped by {@link DistinctRows}).
     */
    private void carryOut(Journal journal) throws IOException {
        for (String[] move : journal.moves()) {
            Path from = new Path(move[0]);
            Path to = new Path(move[1]);
            if (fs.exists(from)) {
                fs.mkdirs(to.getParent());
                if (!fs.rename(from, to)) {
                    throw new IOException("rename " + from + " -> " + to + " failed");
                }
            }
        }
        CommitLog commits = new CommitLog(fs, root);
        for (BatchManifest m : journal.commits()) {
            commits.write(m);
        }
        for (String batch : journal.uncommits()) {
            if (journal.commits().stream().noneMatch(m -> m.batch().equals(batch))) {
                commits.delete(batch);
            }
        }
        for (String d : journal.deletes()) {
            fs.delete(new Path(d), false);
        }
    }

    private List<FileStatus> stagedParts(Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return List.of();
        }
        return List.of(fs.listStatus(dir, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_")
                && !p.getName().startsWith(".")));
    }

    private List<Path> moveInto(Path stagedTable, String table, String batchTag) throws IOException {
        Path target = tablePath(table);
        fs.mkdirs(target);
        List<Path> moved = new java.util.ArrayList<>();
        for (FileStatus f : fs.listStatus(stagedTable)) {
            String name = f.getPath().getName();
            if (name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) {
                Path dest = new Path(target, batchTag + "-" + name);
                if (!fs.rename(f.getPath(), dest)) {
                    throw new IOException("rename " + f.getPath() + " -> " + dest + " failed");
                }
                moved.add(dest);
            }
        }
        return moved;
    }

    private List<FileStatus> dataFiles(String table) {
        try {
            Path dir = tablePath(table);
            if (!fs.exists(dir)) {
                return List.of();
            }
            return List.of(fs.listStatus(dir, p -> p.getName().endsWith(".parquet")
                    && !p.getName().startsWith("_") && !p.getName().startsWith(".")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + table + " under " + root, e);
        }
    }

    private Set<String> batchTags(String table) {
        Set<String> tags = new HashSet<>();
        for (FileStatus f : dataFiles(table)) {
            tags.add(batchTag(f.getPath().getName()));
        }
        return tags;
    }

    /** File names are {@code <batchTag>-part-…}; batch tags contain no "-part-". */
    private static String batchTag(String fileName) {
        int i = fileName.indexOf("-part-");
        return i < 0 ? fileName : fileName.substring(0, i);
    }
}
