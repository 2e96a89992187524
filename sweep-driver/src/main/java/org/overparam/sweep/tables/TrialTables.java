package org.overparam.sweep.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.overparam.trainer.trial.TrialResult;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Schemas of the {@code trials} and {@code curves} tables and the conversion of a
 * {@link TrialResult} to their rows. Every column is documented in {@code docs/tables.md};
 * undefined values (NaN) are written as null so any Parquet reader sees a missing value.
 */
public final class TrialTables {
    private TrialTables() {
    }

    public static final StructType TRIALS = new StructType(new StructField[] {
        field("trial_id", DataTypes.StringType, false),
        field("sweep", DataTypes.StringType, false),
        field("model", DataTypes.StringType, false),
        field("alpha", DataTypes.DoubleType, true),
        field("m", DataTypes.IntegerType, false),
        field("n", DataTypes.IntegerType, false),
        field("d", DataTypes.IntegerType, false),
        field("eta", DataTypes.DoubleType, false),
        field("seed", DataTypes.LongType, false),
        field("status", DataTypes.StringType, false),
        field("message", DataTypes.StringType, true),
        field("steps", DataTypes.IntegerType, false),
        field("loss0", DataTypes.DoubleType, true),
        field("loss_final", DataTypes.DoubleType, true),
        field("rate", DataTypes.DoubleType, true),
        field("rate_r2", DataTypes.DoubleType, true),
        field("wall_ms", DataTypes.LongType, false),
        field("backend", DataTypes.StringType, false),
        field("blas", DataTypes.StringType, false),
        field("data", DataTypes.StringType, false),
        field("max_steps", DataTypes.IntegerType, false),
        field("tolerance", DataTypes.DoubleType, false),
        field("code_version", DataTypes.StringType, false),
    });

    public static final StructType CURVES = new StructType(new StructField[] {
        field("trial_id", DataTypes.StringType, false),
        field("step", DataTypes.IntegerType, false),
        field("loss", DataTypes.DoubleType, true),
    });

    /** Columns that measure the run rather than the mathematics: they differ between identical reruns. */
    public static final List<String> TIMING_COLUMNS = List.of("wall_ms");

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** One {@link #TRIALS} row. */
    public static Row trialRow(String sweep, TrialResult r, String codeVersion) {
        TrialSpec s = r.spec();
        return RowFactory.create(r.trialId(), sweep, s.model().key(), s.alpha(), s.m(), s.n(), s.d(), s.eta(),
                s.seed(), r.status().key(), r.message(), r.steps(), orNull(r.loss0()), orNull(r.lossFinal()),
                orNull(r.rate()), orNull(r.rateR2()), r.wallMs(), r.backend(), r.blas(), s.data(), s.steps(),
                s.tolerance(), codeVersion);
    }

    /** The {@link #CURVES} rows of one trial. */
    public static List<Row> curveRows(TrialResult r) {
        List<Row> rows = new ArrayList<>(r.curveSteps().length);
        for (int j = 0; j < r.curveSteps().length; j++) {
            rows.add(RowFactory.create(r.trialId(), r.curveSteps()[j], orNull(r.curveLosses()[j])));
        }
        return rows;
    }

    private static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
