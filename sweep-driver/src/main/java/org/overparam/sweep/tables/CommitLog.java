package org.overparam.sweep.tables;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The commit manifests of an output folder, {@code DIR/_commits/<batch>.json} ({@link BatchManifest}), through
 * the Hadoop FileSystem API (local disk, HDFS, S3A). A folder whose {@code _commits/} exists records its
 * commits: a data file no manifest names is not committed (an interrupted commit's leftover). A folder without
 * it was written before manifests existed; {@link TableHealer} records its batches on {@code run --resume}.
 */
public final class CommitLog {
    public static final String DIR = "_commits";
    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path dir;

    public CommitLog(FileSystem fs, Path root) {
        this.fs = fs;
        this.dir = new Path(root, DIR);
    }

    /** Whether the folder records its commits (a sweep started by this version, or one healed since). */
    public boolean recorded() throws IOException {
        return fs.exists(dir);
    }

    /** Starts recording commits (a new sweep, before its first batch). */
    public void start() throws IOException {
        fs.mkdirs(dir);
    }

    /** The manifest file of {@code batch}. */
    public Path path(String batch) {
        return new Path(dir, batch + SUFFIX);
    }

    /** The batch tags that have a manifest file (readable or not), sorted. */
    public List<String> batches() throws IOException {
        List<String> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(SUFFIX) && !p.getName().startsWith("_")
                && !p.getName().startsWith("."))) {
            String name = f.getPath().getName();
            out.add(name.substring(0, name.length() - SUFFIX.length()));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Reads one manifest; an unreadable one (damaged JSON) throws. */
    public BatchManifest read(String batch) throws IOException {
        try (InputStream in = fs.open(path(batch))) {
            return JSON.readValue(in, BatchManifest.class);
        }
    }

    /** Writes a manifest atomically: a temporary file renamed into place (the batch's commit point). */
    public void write(BatchManifest manifest) throws IOException {
        fs.mkdirs(dir);
        Path tmp = new Path(dir, "_" + manifest.batch() + SUFFIX + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            JSON.writeValue(out, manifest);
        }
        Path target = path(manifest.batch());
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot write the commit manifest " + target);
        }
    }

    /** Removes what a manifest write cut off (a full disk, a kill) left: its temporary file, never read. */
    public void removeTemporaries() throws IOException {
        if (fs.exists(dir)) {
            for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("_") && p.getName().endsWith(".tmp"))) {
                fs.delete(f.getPath(), false);
            }
        }
    }

    /** Removes a batch's manifest: its files are no longer committed. */
    public void delete(String batch) throws IOException {
        fs.delete(path(batch), false);
    }

    /** A part file as a manifest records it: table, path under {@code root}, size and checksum. */
    public static BatchManifest.Part describe(FileSystem fs, Path root, Path file, String table) throws IOException {
        return describe(fs, file, table, file.getName());
    }

    /** A staged part file as a manifest records it once it is renamed to {@code table/name}. */
    public static BatchManifest.Part describe(FileSystem fs, Path file, String table, String name) throws IOException {
        long bytes = fs.getFileStatus(file).getLen();
        return new BatchManifest.Part(table, table + "/" + name, bytes, crc32c(fs, file));
    }

    /**
     * The CRC32C checksum of a file's bytes, 8 hex digits. Read past Hadoop's own checksum layer (the local file
     * system's {@code .crc} sidecars), which would throw on the very damage this checksum is to find.
     */
    public static String crc32c(FileSystem fs, Path file) throws IOException {
        FileSystem raw = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checked ? checked.getRawFileSystem() : fs;
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = raw.open(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /** File names are {@code <batch>-part-…}; batch tags contain no "-part-". */
    public static String batchOf(String fileName) {
        int i = fileName.indexOf("-part-");
        return i < 0 ? fileName : fileName.substring(0, i);
    }
}
