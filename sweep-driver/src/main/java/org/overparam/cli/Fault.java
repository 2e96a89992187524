package org.overparam.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.overparam.sweep.tables.DamagedOutputException;

/**
 * A command's failure as the user needs it: its class ({@link FaultKind}), where it happened (a path, when one is
 * named anywhere in the exception chain), and the cause in one line. {@link #classify} reads the whole chain:
 * Spark wraps a task's {@code IOException: No space left on device} in several layers.
 *
 * @param kind  the class of failure
 * @param where the path it happened at, or null
 * @param verb  "writing" when the failing operation wrote, else "at"
 * @param cause the innermost cause, one line
 */
record Fault(FaultKind kind, String where, String verb, String cause) {
    /** A path with a scheme ({@code file:/x}, {@code hdfs://nn/x}) or an absolute path of two or more parts. */
    private static final Pattern PATH = Pattern.compile(
            "(?:\\b[a-z][a-z0-9+.-]*:/{1,3}|(?<![\\w.:/])/)(?:[\\w.@%+=~-]+/)+[\\w.@%+=~-]*");

    /** The class, place and cause of {@code t}. */
    static Fault classify(Throwable t) {
        List<Throwable> chain = chain(t);
        String cause = oneLine(innermost(t));
        for (Throwable x : chain) {
            if (x instanceof DamagedOutputException d) {
                return new Fault(FaultKind.DAMAGED, display(d.verification().root().toString()), "in", d.verification().damageLine());
            }
        }
        FaultKind kind = FaultKind.FAILED;
        if (chain.stream().anyMatch(x -> x instanceof OutOfMemoryError)) {
            kind = FaultKind.OUT_OF_MEMORY;
        } else if (any(chain, "No space left on device", "Disk quota exceeded", "QuotaExceeded")) {
            kind = FaultKind.DISK_FULL;
        } else if (chain.stream().anyMatch(x -> x instanceof java.nio.file.AccessDeniedException
                || x.getClass().getSimpleName().equals("AccessControlException")
                || x.getClass().getSimpleName().equals("AccessDeniedException")) || any(chain, "Permission denied")) {
            kind = FaultKind.PERMISSION_DENIED;
        } else if (chain.stream().anyMatch(x -> x instanceof java.net.ConnectException || x instanceof java.net.UnknownHostException
                || x instanceof java.net.NoRouteToHostException || x instanceof java.net.SocketTimeoutException)
                || any(chain, "Filesystem closed")) {
            kind = FaultKind.STORE_LOST;
        } else if (any(chain, "CANNOT_READ_FILE_FOOTER", "is not a Parquet file", "ParquetDecodingException", "ChecksumException",
                "Could not read footer", "FAILED_READ_FILE")) {
            kind = FaultKind.DAMAGED;
        }
        String where = null;
        String verb = "at";
        for (Throwable x : chain) {
            Matcher m = PATH.matcher(String.valueOf(x.getMessage()));
            if (m.find()) {
                where = display(m.group().replaceAll("[.:]+$", ""));
                String message = String.valueOf(x.getMessage()).toLowerCase(java.util.Locale.ROOT);
                verb = message.contains("writ") || message.contains("commit") ? "writing" : "at";
                break;
            }
        }
        return new Fault(kind, where, verb, cause);
    }

    /** This fault with another class (a probe of the store found it gone). */
    Fault as(FaultKind other) {
        return new Fault(other, where, verb, cause);
    }

    /**
     * The opening of the line: "no space left on device writing /x/_staging/…/curves"; for damage, what is damaged
     * ("damaged output in /x: trials/….parquet is truncated (…)").
     */
    String headline() {
        String head = kind == FaultKind.FAILED ? "failed (" + cause + ")" : kind.phrase();
        head = where == null ? head : head + " " + verb + " " + where;
        return kind == FaultKind.DAMAGED ? head + ": " + cause : head;
    }

    /** {@code t}, its causes and what they suppressed, each once, outermost first. */
    static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> queue = new ArrayList<>(List.of(t));
        while (!queue.isEmpty() && out.size() < 64) {
            Throwable x = queue.remove(0);
            if (x == null || !seen.add(x)) {
                continue;
            }
            out.add(x);
            queue.add(x.getCause());
            queue.addAll(List.of(x.getSuppressed()));
        }
        return out;
    }

    private static boolean any(List<Throwable> chain, String... words) {
        for (Throwable x : chain) {
            String text = x.getClass().getName() + ": " + x.getMessage();
            for (String w : words) {
                if (text.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable innermost(Throwable t) {
        Throwable x = t;
        for (int i = 0; i < 32 && x.getCause() != null && x.getCause() != x; i++) {
            x = x.getCause();
        }
        return x;
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String text = t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }

    /** {@code file:/x} as {@code /x}: local paths as the user typed them. */
    static String display(String path) {
        return path.replaceFirst("^file:/+", "/");
    }
}
