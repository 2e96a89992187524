package org.overparam.sweep.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.run.Dynamics;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Schemas of the {@code trials} and {@code curves} tables and the conversion of a
 * {@link TrialResult} to their rows. Every column is documented in {@code docs/tables.md};
 * undefined values (NaN) are written as null so any Parquet reader sees a missing value.
 */
public final class TrialTables {
    private TrialTables() {
    }

    private static final StructField[] TRIAL_BASE = {
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
        field("device", DataTypes.StringType, false),
        field("precision", DataTypes.StringType, false),
        field("blas", DataTypes.StringType, false),
        field("data", DataTypes.StringType, false),
        field("max_steps", DataTypes.IntegerType, false),
        field("tolerance", DataTypes.DoubleType, false),
        field("code_version", DataTypes.StringType, false),
    };

    /**
     * The model-specific parameters ({@link ModelParams}; null where the trial's model has none), after the
     * base columns and before the metrics.
     */
    private static final StructField[] MODEL_PARAMS = {
        field("L", DataTypes.IntegerType, true),
        field("d_y", DataTypes.IntegerType, true),
        field("omega1", DataTypes.DoubleType, true),
        field("omega2", DataTypes.DoubleType, true),
        field("activation", DataTypes.StringType, true),
        field("optimizer", DataTypes.StringType, true),
        field("epsilon", DataTypes.DoubleType, true),
        field("batch", DataTypes.IntegerType, true),
        field("convert_at", DataTypes.IntegerType, true),
    };

    /**
     * The trials schema: the fixed columns, the model parameters, one nullable double per
     * {@link TrialMetric}, then {@code stage} (0 for a grid sweep, 1, 2, … for the stages of a width search),
     * {@code eta_per} (the step rule, null for the plain step) and {@code step_size} (the step taken), then the
     * training loss and stuck horizon and the dynamics of issue 26 ({@link Dynamics}): the tolerance ladder's
     * {@code hit_tolerance} and {@code hit_step} (null elements: never reached), {@code pl_ratio},
     * {@code log_slope}, {@code projected_steps} and {@code unfitted}.
     */
    public static final StructType TRIALS = withMetrics(concat(TRIAL_BASE, MODEL_PARAMS),
            java.util.Arrays.stream(TrialMetric.values()).map(TrialMetric::column).toList())
            .add(field("stage", DataTypes.IntegerType, false))
            .add(field("eta_per", DataTypes.StringType, true))
            .add(field("step_size", DataTypes.DoubleType, true))
            .add(field("loss", DataTypes.StringType, false))
            .add(field("stuck_horizon", DataTypes.IntegerType, false))
            .add(field("hit_tolerance", DataTypes.createArrayType(DataTypes.DoubleType, false), false))
            .add(field("hit_step", DataTypes.createArrayType(DataTypes.IntegerType, true), false))
            .add(field("pl_ratio", DataTypes.DoubleType, true))
            .add(field("log_slope", DataTypes.DoubleType, true))
            .add(field("projected_steps", DataTypes.DoubleType, true))
            .add(field("unfitted", DataTypes.IntegerType, true));

    /** The curves schema: trial, step, loss, then one nullable double per {@link CurveMetric}, then {@code unfitted}. */
    public static final StructType CURVES = withMetrics(new StructField[] {
        field("trial_id", DataTypes.StringType, false),
        field("step", DataTypes.IntegerType, false),
        field("loss", DataTypes.DoubleType, true),
    }, java.util.Arrays.stream(CurveMetric.values()).map(CurveMetric::column).toList())
            .add(field("unfitted", DataTypes.IntegerType, true));

    private static StructField[] concat(StructField[] a, StructField[] b) {
        StructField[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static StructType withMetrics(StructField[] base, List<String> metrics) {
        List<StructField> fields = new ArrayList<>(List.of(base));
        for (String m : metrics) {
            fields.add(field(m, DataTypes.DoubleType, true));
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    /** Columns that measure the run rather than the mathematics: they differ between identical reruns. */
    public static final List<String> TIMING_COLUMNS = List.of("wall_ms");

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** One {@link #TRIALS} row of a grid sweep (stage 0). */
    public static Row trialRow(String sweep, TrialResult r, String codeVersion) {
        return trialRow(sweep, r, codeVersion, 0);
    }

    /** One {@link #TRIALS} row of the given stage. */
    public static Row trialRow(String sweep, TrialResult r, String codeVersion, int stage) {
        TrialSpec s = r.spec();
        List<Object> values = new ArrayList<>(List.of(r.trialId(), sweep, s.model().key()));
        values.add(s.alpha());
        values.addAll(List.of(s.m(), s.n(), s.d(), s.eta(), s.seed(), r.status().key()));
        values.add(r.message());
        values.add(r.steps());
        values.add(orNull(r.loss0()));
        values.add(orNull(r.lossFinal()));
        values.add(orNull(r.rate()));
        values.add(orNull(r.rateR2()));
        values.addAll(List.of(r.wallMs(), r.backend(), r.device(), r.precision(), r.blas(), s.data(), s.steps(), s.tolerance(), codeVersion));
        values.addAll(modelParamValues(s.params()));
        for (TrialMetric metric : TrialMetric.values()) {
            values.add(orNull(r.metric(metric)));
        }
        values.add(stage);
        values.add(s.stepRule().equals(org.overparam.trainer.trial.StepRule.NONE) ? null : s.stepRule().canonical());
        values.add(s.stepSize());
        values.add(s.loss().key());
        values.add(s.stuckHorizon());
        Dynamics dyn = r.dynamics();
        Double[] levels = new Double[dyn.hitTolerances().length];
        Integer[] hits = new Integer[dyn.hitSteps().length];
        for (int k = 0; k < levels.length; k++) {
            levels[k] = dyn.hitTolerances()[k];
            hits[k] = dyn.hitSteps()[k] < 0 ? null : dyn.hitSteps()[k];
        }
        values.add(levels);
        values.add(hits);
        values.add(orNull(dyn.plRatio()));
        values.add(orNull(dyn.logSlope()));
        values.add(orNull(dyn.projectedSteps()));
        values.add(dyn.unfitted() < 0 ? null : dyn.unfitted());
        return RowFactory.create(values.toArray());
    }

    private static List<Object> modelParamValues(ModelParams p) {
        return java.util.Arrays.asList(p.depth(), p.outputs(), p.omega1(), p.omega2(),
                p.activation() == null ? null : p.activation().key(), p.optimizer() == null ? null : p.optimizer().key(),
                p.epsilon(), p.batch(), p.convertAt());
    }

    /** The {@link #CURVES} rows of one trial. */
    public static List<Row> curveRows(TrialResult r) {
        List<Row> rows = new ArrayList<>(r.curveSteps().length);
        CurveMetric[] metrics = CurveMetric.values();
        int[] unfitted = r.dynamics().curveUnfitted();
        for (int j = 0; j < r.curveSteps().length; j++) {
            Object[] values = new Object[4 + metrics.length];
            values[0] = r.trialId();
            values[1] = r.curveSteps()[j];
            values[2] = orNull(r.curveLosses()[j]);
            for (CurveMetric metric : metrics) {
                double[] series = r.curveMetrics().get(metric);
                values[3 + metric.ordinal()] = series == null ? null : orNull(series[j]);
            }
            values[3 + metrics.length] = unfitted == null || unfitted[j] < 0 ? null : unfitted[j];
            rows.add(RowFactory.create(values));
        }
        return rows;
    }

    private static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
