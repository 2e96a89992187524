package org.overparam.sweep.tables;

import java.util.List;
import java.util.Locale;

/**
 * One damaged part of a committed batch, as {@link TableVerifier} finds it against the batch's manifest.
 *
 * @param batch         the batch tag
 * @param file          the part's path under the output folder (the manifest's path for {@link Kind#MANIFEST})
 * @param kind          what is wrong
 * @param expectedBytes the size the manifest records (-1 when unknown)
 * @param actualBytes   the size found (-1 when missing)
 * @param trialIds      the trials of the batch (empty when its manifest is unreadable)
 */
public record Damage(String batch, String file, Kind kind, long expectedBytes, long actualBytes, List<String> trialIds) {
    public Damage {
        trialIds = List.copyOf(trialIds);
    }

    /** What is wrong with a part. */
    public enum Kind {
        /** Named by the manifest, not in the folder. */
        MISSING,
        /** Shorter than the manifest says (a crash mid-copy, a full disk, a bad disk). */
        TRUNCATED,
        /** Longer than the manifest says. */
        RESIZED,
        /** Of the recorded size, but its checksum differs. */
        ALTERED,
        /** The batch's manifest itself cannot be read: its files cannot be checked. */
        MANIFEST
    }

    /** One phrase: what the file is and what is wrong with it. */
    public String describe() {
        return switch (kind) {
            case MISSING -> file + " is missing (" + bytes(expectedBytes) + " expected)";
            case TRUNCATED -> String.format(Locale.ROOT, "%s is truncated (%,d of %,d bytes)", file, actualBytes, expectedBytes);
            case RESIZED -> String.format(Locale.ROOT, "%s has changed size (%,d bytes, %,d expected)", file, actualBytes, expectedBytes);
            case ALTERED -> String.format(Locale.ROOT, "%s is altered (%,d bytes as expected, but its CRC32C checksum differs)",
                    file, actualBytes);
            case MANIFEST -> file + " (the commit manifest of batch " + batch + ") cannot be read";
        };
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes", n);
    }
}
