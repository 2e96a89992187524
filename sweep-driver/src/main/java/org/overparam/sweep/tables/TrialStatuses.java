package org.overparam.sweep.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.trainer.gd.Outcome;

/**
 * The {@code status} values as readers see them: outputs written before issue 26 hold {@code max_steps} for what
 * is now {@code censored} (the budget ran out; no verdict on the width), and every reader treats the two alike.
 */
public final class TrialStatuses {
    /** The status of a trial whose budget ran out. */
    public static final String CENSORED = Outcome.CENSORED.key();
    /** Its name in outputs written before issue 26. */
    public static final String LEGACY_CENSORED = Outcome.LEGACY_CENSORED;

    private TrialStatuses() {
    }

    /** {@code status} with the legacy {@code max_steps} read as {@code censored}; other values (and null) unchanged. */
    public static String normalize(String status) {
        return LEGACY_CENSORED.equals(status) ? CENSORED : status;
    }

    /**
     * {@code trials} with its {@code status} column normalized ({@link #normalize}) and, in outputs written before the
     * training loss was a parameter, {@code loss = mse}; rows without a status unchanged.
     */
    public static Dataset<Row> normalized(Dataset<Row> trials) {
        if (!java.util.List.of(trials.columns()).contains("status")) {
            return trials;
        }
        Dataset<Row> out = java.util.List.of(trials.columns()).contains("loss") ? trials : trials.withColumn("loss", lit("mse"));
        return out.withColumn("status", when(col("status").equalTo(LEGACY_CENSORED), lit(CENSORED)).otherwise(col("status")));
    }
}
