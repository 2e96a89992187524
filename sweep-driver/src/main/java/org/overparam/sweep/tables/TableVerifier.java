package org.overparam.sweep.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks an output folder's committed part files against their manifests ({@link CommitLog}): each must be
 * there with the recorded size and, when asked, the recorded CRC32C checksum. Sizes cost one listing per table
 * (every read checks them); checksums read every byte ({@code verify}, {@code aggregate}, {@code run --resume}).
 * Works through the Hadoop FileSystem API, so on any store Spark writes to.
 */
public final class TableVerifier {
    /** The data tables a batch writes. */
    public static final List<String> TABLES = List.of(ParquetTableStore.TRIALS, ParquetTableStore.CURVES);

    private TableVerifier() {
    }

    /** Verifies {@code root}: sizes always, contents when {@code checksums}. */
    public static Verification verify(FileSystem fs, Path root, boolean checksums) {
        try {
            Path qualified = fs.makeQualified(root);
            CommitLog log = new CommitLog(fs, qualified);
            Map<String, FileStatus> files = dataFiles(fs, qualified);
            List<String> pending = pendingJournals(fs, qualified);
            if (!log.recorded()) {
                return new Verification(qualified, false, checksums, List.of(), List.of(), new ArrayList<>(files.keySet()), pending);
            }
            List<BatchManifest> batches = new ArrayList<>();
            List<Damage> damage = new ArrayList<>();
            Set<String> named = new HashSet<>();
            Set<String> unreadable = new HashSet<>();
            for (String batch : log.batches()) {
                BatchManifest m;
                try {
                    m = log.read(batch);
                } catch (IOException | RuntimeException e) {
                    // A manifest is written whole (renamed into place): unreadable means the store damaged it.
                    damage.add(new Damage(batch, CommitLog.DIR + "/" + batch + ".json", Damage.Kind.MANIFEST, -1, -1, List.of()));
                    unreadable.add(batch);
                    continue;
                }
                batches.add(m);
                for (BatchManifest.Part p : m.parts()) {
                    named.add(p.file());
                    FileStatus f = files.get(p.file());
                    Damage d = check(fs, m, p, f, checksums);
                    if (d != null) {
                        damage.add(d);
                    }
                }
            }
            List<String> uncommitted = new ArrayList<>();
            for (String f : files.keySet()) {
                if (!named.contains(f) && !unreadable.contains(CommitLog.batchOf(new Path(f).getName()))) {
                    uncommitted.add(f);
                }
            }
            return new Verification(qualified, true, checksums, batches, damage, uncommitted, pending);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot verify the tables of " + root, e);
        }
    }

    private static Damage check(FileSystem fs, BatchManifest m, BatchManifest.Part p, FileStatus f, boolean checksums)
            throws IOException {
        if (f == null) {
            return new Damage(m.batch(), p.file(), Damage.Kind.MISSING, p.bytes(), -1, m.trialIds());
        }
        if (f.getLen() != p.bytes()) {
            return new Damage(m.batch(), p.file(), f.getLen() < p.bytes() ? Damage.Kind.TRUNCATED : Damage.Kind.RESIZED,
                    p.bytes(), f.getLen(), m.trialIds());
        }
        if (checksums && !CommitLog.crc32c(fs, f.getPath()).equals(p.crc32c())) {
            return new Damage(m.batch(), p.file(), Damage.Kind.ALTERED, p.bytes(), f.getLen(), m.trialIds());
        }
        return null;
    }

    /** The Parquet files of both tables, by path under root ({@code trials/<name>}); hidden names skipped. */
    static Map<String, FileStatus> dataFiles(FileSystem fs, Path root) throws IOException {
        Map<String, FileStatus> out = new java.util.TreeMap<>();
        for (String table : TABLES) {
            Path dir = new Path(root, table);
            if (!fs.exists(dir)) {
                continue;
            }
            for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_")
                    && !p.getName().startsWith("."))) {
                out.put(table + "/" + f.getPath().getName(), f);
            }
        }
        return out;
    }

    private static List<String> pendingJournals(FileSystem fs, Path root) throws IOException {
        Path dir = new Path(root, ParquetTableStore.JOURNAL);
        List<String> out = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".json"))) {
                out.add(ParquetTableStore.JOURNAL + "/" + f.getPath().getName());
            }
        }
        return out;
    }
}
