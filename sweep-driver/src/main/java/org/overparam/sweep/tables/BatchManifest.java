package org.overparam.sweep.tables;

import java.util.List;
import java.util.Objects;

/**
 * What one committed batch wrote, {@code DIR/_commits/<batch>.json} ({@link CommitLog}): its part files with
 * their sizes and CRC32C checksums, and the ids of its trials. Written after the batch's files are in place,
 * by an atomic rename, so a batch is committed exactly when its manifest exists; readers check every part
 * against it ({@link TableVerifier}), and the trials of a damaged part are known without reading it.
 *
 * @param batch    the batch tag, the prefix of its files' names
 * @param parts    its files, trials and curves
 * @param trialIds the trials whose rows (and curves) it holds
 */
public record BatchManifest(String batch, List<Part> parts, List<String> trialIds) {
    public BatchManifest {
        Objects.requireNonNull(batch, "batch");
        parts = List.copyOf(parts);
        trialIds = List.copyOf(trialIds);
    }

    /**
     * One part file.
     *
     * @param table  {@code trials} or {@code curves}
     * @param file   its path under the output folder, e.g. {@code trials/<batch>-part-….parquet}
     * @param bytes  its size
     * @param crc32c its CRC32C checksum, 8 hex digits
     */
    public record Part(String table, String file, long bytes, String crc32c) {
        public Part {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(crc32c, "crc32c");
        }
    }
}
