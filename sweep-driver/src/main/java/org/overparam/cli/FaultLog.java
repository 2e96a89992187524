package org.overparam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Where the details of a failure go: the file Spark's own log is routed to ({@code conf/log4j2.properties}), the
 * system property {@code overparam.log} (the launcher sets one per run), else {@code <tmp>/overparam-spark.log}.
 */
final class FaultLog {
    private FaultLog() {
    }

    static Path file() {
        String p = System.getProperty("overparam.log");
        return p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("java.io.tmpdir"), "overparam-spark.log");
    }

    /** Appends {@code t}'s trace under a header naming the line; the file, or null when it cannot be written. */
    static Path append(Throwable t, String line) {
        Path file = file();
        StringWriter trace = new StringWriter();
        try (PrintWriter w = new PrintWriter(trace)) {
            w.println("== " + Instant.now() + " pid " + ProcessHandle.current().pid() + ": overparam: " + line);
            t.printStackTrace(w);
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, trace.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return file;
        } catch (IOException | RuntimeException e) {
            return null; // a full disk, say: the line still says what happened
        }
    }
}
