package org.overparam.sweep.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files {@code overparam serve} may send: those directly in a sweep's {@code DIR/report/}, nothing else.
 * A request names one file by a single path segment, decoded once, that must look like a name the report
 * writes ({@code FigureSink} keeps file names to {@code [A-Za-z0-9._-]}): no slash or backslash, no
 * {@code ..}, no leading dot, no percent sign left after decoding (a double-encoded traversal), no NUL.
 * On a local disk the file's real path (symlinks resolved) must still lie directly in the report folder's
 * real path, so a link pointing out of it is not followed. Whatever fails is "not found": the server
 * answers 404 and says no more.
 */
public final class ReportFiles {
    /** A file name the report writes; anything else is not served. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "png", "image/png", "pdf", "application/pdf",
            "md", "text/markdown; charset=utf-8", "svg", "image/svg+xml", "json", "application/json");

    private final FileSystem fs;
    private final Path reportDir;

    /** The report folder of {@code dir} ({@code DIR/report/}), on {@code fs}. */
    public ReportFiles(FileSystem fs, Path dir) {
        this.fs = fs;
        this.reportDir = new Path(fs.makeQualified(dir), "report");
    }

    /** A file found: its name, content type, size and last modification (epoch ms). */
    public record Found(String name, String contentType, long size, long modified) {
    }

    /**
     * The report file that the raw (still percent-encoded) name {@code rawName} names, if it is one that may be
     * served and exists as a regular file directly in the report folder.
     */
    public Optional<Found> find(String rawName) {
        String name = decodeOnce(rawName);
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(ext);
        if (type == null) {
            return Optional.empty();
        }
        try {
            Path file = new Path(reportDir, name);
            if (isLocal()) {
                java.nio.file.Path folder = java.nio.file.Path.of(reportDir.toUri()).toRealPath();
                java.nio.file.Path real = java.nio.file.Path.of(file.toUri()).toRealPath();
                if (!folder.equals(real.getParent()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                return Optional.of(new Found(name, type, Files.size(real), Files.getLastModifiedTime(real).toMillis()));
            }
            FileStatus st = fs.getFileStatus(file);
            return st.isFile() ? Optional.of(new Found(name, type, st.getLen(), st.getModificationTime())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Opens a file {@link #find} returned. */
    public InputStream open(Found found) throws IOException {
        if (isLocal()) {
            return Files.newInputStream(java.nio.file.Path.of(new Path(reportDir, found.name()).toUri()).toRealPath());
        }
        return fs.open(new Path(reportDir, found.name()));
    }

    /**
     * The PNG files of the report whose names start with one of {@code prefixes}, in that order (then by name):
     * {@code name → modified}. Empty when the report folder does not exist yet.
     */
    public Map<String, Long> figures(java.util.List<String> prefixes) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try {
            if (!fs.exists(reportDir)) {
                return out;
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            for (FileStatus f : fs.listStatus(reportDir)) {
                names.add(f.getPath().getName());
            }
            java.util.Collections.sort(names);
            for (String prefix : prefixes) {
                for (String n : names) {
                    if (n.startsWith(prefix) && n.endsWith(".png")) {
                        find(n).ifPresent(f -> out.put(n, f.modified()));
                    }
                }
            }
        } catch (IOException e) {
            // The report is being rewritten: no figures this time.
        }
        return out;
    }

    private boolean isLocal() {
        return "file".equals(reportDir.toUri().getScheme());
    }

    /**
     * {@code raw} with its percent escapes decoded once (a {@code +} stays a plus), or null when an escape is
     * malformed or the result has a percent sign, a NUL or a separator (what a traversal would need).
     */
    static String decodeOnce(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String s;
        try {
            s = uriDecode(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (s.indexOf('%') >= 0 || s.indexOf('\0') >= 0 || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
            return null;
        }
        return s;
    }

    private static String uriDecode(String raw) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("raw non-ASCII");
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
