package org.overparam.sweep.analysis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.ThresholdEstimator;

/**
 * {@code DIR/thresholds}: one row per group and tested width, with the group's threshold
 * ({@link ThresholdEstimator}) repeated on each of its rows. A Spark job over the trials table: the
 * trials are grouped by {@link FitGroup#THRESHOLD_COLUMNS} on the executors and each group is estimated there.
 * Columns: docs/tables.md.
 */
public final class ThresholdTable {

    private ThresholdTable() {
    }

    /** The schema: the group's columns (as in {@code trials}), the width's, then the group's threshold. */
    public static StructType schema(StructType groupSchema) {
        StructType s = groupSchema;
        s = s.add("m", DataTypes.IntegerType, false)
                .add("stage", DataTypes.IntegerType, false)
                .add("seeds", DataTypes.IntegerType, false)
                .add("converged", DataTypes.IntegerType, false)
                .add("success", DataTypes.DoubleType, false)
                .add("success_lo", DataTypes.DoubleType, false)
                .add("success_hi", DataTypes.DoubleType, false)
                .add("delta", DataTypes.DoubleType, false)
                .add("m_star", DataTypes.DoubleType, true)
                .add("m_star_lo", DataTypes.DoubleType, true)
                .add("m_star_hi", DataTypes.DoubleType, true)
                .add("m_star_status", DataTypes.StringType, false)
                .add("m_fail", DataTypes.IntegerType, true)
                .add("m_succeed", DataTypes.IntegerType, true)
                .add("widths", DataTypes.IntegerType, false)
                .add("bootstrap", DataTypes.IntegerType, false)
                .add("diverged", DataTypes.IntegerType, false);
        return s;
    }

    /** The status of a trial stopped by {@code train.time_limit}, left out of the estimates. */
    public static final String TIMEOUT = "timeout";

    /** The thresholds of every group of {@code trials} (a {@code stage} column is optional: 0 when absent). */
    public static Dataset<Row> of(Dataset<Row> trialRows, ThresholdSettings settings) {
        // A timeout (train.time_limit) or a failure is no evidence: neither a success nor a failure of its width. A
        // diverged trial is not either (the step is unstable there): counted per width, left out of the estimate.
        Dataset<Row> normalized = org.overparam.sweep.tables.TrialStatuses.normalized(trialRows);
        Dataset<Row> trials = ModelVariant.withVariant(normalized.filter(normalized.col("status").notEqual(TIMEOUT)
                .and(normalized.col("status").notEqual("failed"))));
        Column stage = List.of(trials.columns()).contains("stage") ? trials.col("stage") : org.apache.spark.sql.functions.lit(0);
        List<Column> cols = new ArrayList<>();
        FitGroup.THRESHOLD_COLUMNS.forEach(c -> cols.add(trials.col(c)));
        cols.add(trials.col("m"));
        cols.add(trials.col("seed"));
        cols.add(trials.col("status"));
        // Rows written before the stage column existed read as null (or the column is absent): grid sweeps.
        cols.add(org.apache.spark.sql.functions.coalesce(stage.cast(DataTypes.IntegerType), org.apache.spark.sql.functions.lit(0)).as("stage"));
        Dataset<Row> obs = trials.select(cols.toArray(Column[]::new));
        StructType groupSchema = new StructType(FitGroup.THRESHOLD_COLUMNS.stream().map(c -> obs.schema().apply(c)).toArray(StructField[]::new));
        StructType out = schema(groupSchema);
        int groupSize = FitGroup.THRESHOLD_COLUMNS.size();
        double delta = settings.delta();
        int bootstrap = settings.bootstrap();
        return obs.groupByKey((MapFunction<Row, Row>) r -> {
                    Object[] key = new Object[groupSize];
                    for (int i = 0; i < groupSize; i++) {
                        key[i] = r.get(i);
                    }
                    return RowFactory.create(key);
                }, Encoders.row(groupSchema))
                .flatMapGroups((FlatMapGroupsFunction<Row, Row, Row>) (key, rows) -> estimate(key, rows, delta, bootstrap, groupSize),
                        Encoders.row(out));
    }

    private static Iterator<Row> estimate(Row key, Iterator<Row> rows, double delta, int bootstrap, int groupSize) {
        List<ThresholdEstimator.Observation> obs = new ArrayList<>();
        java.util.TreeMap<Integer, int[]> diverged = new java.util.TreeMap<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            if ("diverged".equals(r.getString(groupSize + 2))) {
                diverged.computeIfAbsent(r.getInt(groupSize), m -> new int[] {Integer.MAX_VALUE, 0})[1]++;
                diverged.get(r.getInt(groupSize))[0] = Math.min(diverged.get(r.getInt(groupSize))[0], r.getInt(groupSize + 3));
                continue;
            }
            obs.add(new ThresholdEstimator.Observation(r.getInt(groupSize), r.getLong(groupSize + 1),
                    "converged".equals(r.getString(groupSize + 2)), r.getInt(groupSize + 3)));
        }
        if (obs.isEmpty()) {
            return divergedOnly(key, diverged, delta, bootstrap, groupSize).iterator();
        }
        String groupKey = java.util.stream.IntStream.range(0, groupSize).mapToObj(i -> String.valueOf(key.get(i)))
                .collect(Collectors.joining("|"));
        ThresholdEstimator.Estimate e = new ThresholdEstimator(delta, bootstrap).estimate(obs, groupKey);
        List<Row> out = new ArrayList<>();
        for (ThresholdEstimator.WidthSuccess w : e.widths()) {
            Object[] v = new Object[groupSize + 17];
            for (int i = 0; i < groupSize; i++) {
                v[i] = key.get(i);
            }
            int j = groupSize;
            v[j++] = w.m();
            v[j++] = w.stage();
            v[j++] = w.seeds();
            v[j++] = w.converged();
            v[j++] = w.success();
            v[j++] = w.successLo();
            v[j++] = w.successHi();
            v[j++] = delta;
            v[j++] = orNull(e.mStar());
            v[j++] = orNull(e.mStarLo());
            v[j++] = orNull(e.mStarHi());
            v[j++] = e.status().key();
            // No width succeeds: every tested width failed, so m_star lies above the largest.
            v[j++] = e.status() == ThresholdEstimator.Status.NOT_REACHED ? (Integer) e.bracket().largest() : e.bracket().failing();
            v[j++] = e.bracket().succeeding();
            v[j++] = e.widths().size();
            v[j++] = bootstrap;
            int[] d = diverged.remove(w.m());
            v[j] = d == null ? 0 : d[1];
            out.add(RowFactory.create(v));
        }
        out.addAll(divergedOnly(key, diverged, delta, bootstrap, groupSize));
        return out.iterator();
    }

    /**
     * Rows of the widths where every trial diverged: no success fraction (NaN) and no threshold; they say the step
     * is unstable there.
     */
    private static List<Row> divergedOnly(Row key, java.util.Map<Integer, int[]> diverged, double delta, int bootstrap, int groupSize) {
        List<Row> out = new ArrayList<>();
        for (java.util.Map.Entry<Integer, int[]> e : diverged.entrySet()) {
            Object[] v = new Object[groupSize + 17];
            for (int i = 0; i < groupSize; i++) {
                v[i] = key.get(i);
            }
            int j = groupSize;
            v[j++] = e.getKey();
            v[j++] = e.getValue()[0];
            v[j++] = 0;
            v[j++] = 0;
            v[j++] = Double.NaN;
            v[j++] = Double.NaN;
            v[j++] = Double.NaN;
            v[j++] = delta;
            v[j++] = null;
            v[j++] = null;
            v[j++] = null;
            v[j++] = "diverged";
            v[j++] = null;
            v[j++] = null;
            v[j++] = 0;
            v[j++] = bootstrap;
            v[j] = e.getValue()[1];
            out.add(RowFactory.create(v));
        }
        return out;
    }

    private static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
