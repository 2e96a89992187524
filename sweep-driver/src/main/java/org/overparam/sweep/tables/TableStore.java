package org.overparam.sweep.tables;

import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a sweep's tables live, committed batch by batch. A batch becomes visible to readers all at
 * once or not at all, so an interrupted sweep leaves only whole batches, and {@link #committedTrialIds}
 * tells a resumed sweep what is already done.
 */
public interface TableStore {

    /** Removes what an interrupted batch left behind (staging files, uncommitted curves). */
    void recover();

    /** Ids of the trials whose rows are committed. */
    Set<String> committedTrialIds();

    /** Writes one batch's rows and makes them visible atomically (trials last, as the commit point). */
    void commitBatch(String batchTag, Dataset<Row> trials, Dataset<Row> curves);

    /** Status by trial id of the committed rows. */
    java.util.Map<String, String> committedStatuses();

    /**
     * Commits a batch of rerun trials ({@code run --retry}): their new rows replace the committed rows of
     * {@code replaced} (trial ids), all or nothing, so no trial ever has two rows once this returns or after
     * {@link #recover()} following a crash.
     */
    void replaceBatch(String batchTag, Dataset<Row> trials, Dataset<Row> curves, java.util.Set<String> replaced);
}
