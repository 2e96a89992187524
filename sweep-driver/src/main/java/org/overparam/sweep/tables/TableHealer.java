package org.overparam.sweep.tables;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Heals an output folder before a writer continues it ({@code run --resume}): finishes or discards an interrupted
 * commit ({@link ParquetTableStore#recover()}), records the batches of a folder written before manifests, checks
 * every committed part (sizes and CRC32C), and moves each batch with a damaged part, files and manifest, to
 * {@code DIR/_quarantine/<batch>/}. Its trials are then no longer committed, so the run trains exactly them
 * again; trials are deterministic, so the healed tables equal an undamaged run's.
 */
public final class TableHealer {
    public static final String QUARANTINE = "_quarantine";

    private TableHealer() {
    }

    /** Heals {@code store}'s folder, saying on {@code log} what it quarantined; returns the verification after. */
    public static Verification heal(SparkSession spark, ParquetTableStore store, PrintStream log) {
        store.recover();
        Path root = store.root();
        FileSystem fs = CommittedTables.fileSystem(spark, root);
        try {
            CommitLog commits = new CommitLog(fs, root);
            if (!commits.recorded()) {
                adopt(spark, fs, root, commits, log);
            }
            commits.removeTemporaries();
            Verification v = TableVerifier.verify(fs, root, true);
            for (Map.Entry<String, List<Damage>> e : v.damageByBatch().entrySet()) {
                Damage first = e.getValue().get(0);
                Path to = quarantine(fs, root, e.getKey(), commits);
                log.printf(Locale.ROOT, "quarantined damaged batch %s (%s) into %s: %s%n", e.getKey(), first.describe(),
                        to.toString().replaceFirst("^file:/+", "/"),
                        first.kind() == Damage.Kind.MANIFEST ? "its trials run again"
                                : "its " + Verification.trials(first.trialIds().size()) + " run again");
            }
            return v.intact() ? v : TableVerifier.verify(fs, root, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot heal the tables of " + root, e);
        }
    }

    /**
     * Moves a batch out of the tables: its manifest first (from then on it is not committed; a crash here leaves
     * its files as leftovers that the next recovery removes), then its files. Returns the quarantine folder.
     */
    public static Path quarantine(FileSystem fs, Path root, String batch, CommitLog commits) throws IOException {
        Path to = new Path(new Path(root, QUARANTINE), batch);
        for (int k = 1; fs.exists(to); k++) {
            to = new Path(new Path(root, QUARANTINE), batch + "." + k);
        }
        fs.mkdirs(to);
        Path manifest = commits.path(batch);
        if (fs.exists(manifest) && !fs.rename(manifest, new Path(to, "manifest.json"))) {
            throw new IOException("cannot move " + manifest + " into " + to);
        }
        for (String table : TableVerifier.TABLES) {
            Path dir = new Path(root, table);
            if (!fs.exists(dir)) {
                continue;
            }
            for (FileStatus f : fs.listStatus(dir, p -> CommitLog.batchOf(p.getName()).equals(batch))) {
                Path target = new Path(new Path(to, table), f.getPath().getName());
                fs.mkdirs(target.getParent());
                if (!fs.rename(f.getPath(), target)) {
                    throw new IOException("cannot move " + f.getPath() + " into " + to);
                }
            }
        }
        return to;
    }

    /**
     * Records the batches of a folder written before manifests: each batch's trial ids read from its trials part,
     * its curves part's footer read, then its manifest written. A batch that cannot be read is quarantined.
     */
    static void adopt(SparkSession spark, FileSystem fs, Path root, CommitLog commits, PrintStream log) throws IOException {
        Map<String, List<FileStatus>> byBatch = new TreeMap<>();
        for (Map.Entry<String, FileStatus> e : TableVerifier.dataFiles(fs, root).entrySet()) {
            byBatch.computeIfAbsent(CommitLog.batchOf(e.getValue().getPath().getName()), k -> new ArrayList<>()).add(e.getValue());
        }
        int adopted = 0;
        for (Map.Entry<String, List<FileStatus>> e : byBatch.entrySet()) {
            List<String> trials = new ArrayList<>();
            List<String> curves = new ArrayList<>();
            for (FileStatus f : e.getValue()) {
                (f.getPath().getParent().getName().equals(ParquetTableStore.TRIALS) ? trials : curves).add(f.getPath().toString());
            }
            List<String> ids;
            try {
                ids = spark.read().parquet(trials.toArray(String[]::new)).select("trial_id").as(Encoders.STRING()).collectAsList();
                if (!curves.isEmpty()) {
                    spark.read().parquet(curves.toArray(String[]::new)).count();
                }
            } catch (Exception unreadable) {
                Path to = quarantine(fs, root, e.getKey(), commits);
                log.printf(Locale.ROOT, "quarantined unreadable batch %s (written before commit manifests: %s) into %s: its trials run again%n",
                        e.getKey(), oneLine(unreadable), to);
                continue;
            }
            List<BatchManifest.Part> parts = new ArrayList<>();
            for (FileStatus f : e.getValue()) {
                parts.add(CommitLog.describe(fs, root, f.getPath(), f.getPath().getParent().getName()));
            }
            commits.write(new BatchManifest(e.getKey(), parts, ids));
            adopted++;
        }
        commits.start();
        if (adopted > 0) {
            log.printf(Locale.ROOT, "recorded %d batches written before commit manifests (%s/)%n", adopted, CommitLog.DIR);
        }
    }

    private static String oneLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
