package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.threshold.BudgetCheck;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.GoodnessOfFit;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;

/**
 * The joint fits of an adaptive search ({@code search: {m: adaptive}}): for every fit group
 * ({@link ScalingFit#FIT_GROUP} at the configured step budget) the model
 * {@code P(m, n) = (1 − λ) F((ln m − a − p ln n)/s)} fitted to all its trials (timeouts left out), its
 * goodness of fit ({@link GoodnessOfFit}), its budget check ({@link BudgetCheck}, from the group's trials
 * at {@code budget_check ×} the steps) and its thresholds m*(n) at 1 − δ with 95 % intervals. The trials
 * are few (hundreds a group): they are fitted on the driver, in a canonical order (n, m, seed), so the
 * tables depend only on the set of trials. Columns: docs/tables.md ({@code scaling} rows with
 * {@code method = adaptive}; {@code thresholds.m_star_model*}).
 */
public final class AdaptiveFits {
    /** The half-width of p's interval a fit aims at, the budget factor, the configured steps and δ. */
    public record Settings(AdaptiveSettings search, int steps, double delta) {
    }

    /** The fits' rows of {@code scaling} and the model thresholds by (fit group, n). */
    public record Tables(Dataset<Row> scaling, Dataset<Row> thresholds) {
    }


    private AdaptiveFits() {
    }

    /** The extra columns of {@code scaling} rows (null on the ols rows). */
    public static final List<StructField> SCALING_EXTRA = List.of(
            DataTypes.createStructField("slope_s", DataTypes.DoubleType, true),
            DataTypes.createStructField("lapse", DataTypes.DoubleType, true),
            DataTypes.createStructField("trials", DataTypes.IntegerType, true),
            DataTypes.createStructField("target_reached", DataTypes.BooleanType, true),
            DataTypes.createStructField("gof_power_p", DataTypes.DoubleType, true),
            DataTypes.createStructField("gof_shape_p", DataTypes.DoubleType, true),
            DataTypes.createStructField("misfit", DataTypes.StringType, true),
            DataTypes.createStructField("budget_steps", DataTypes.IntegerType, true),
            DataTypes.createStructField("budget_ratio", DataTypes.DoubleType, true),
            DataTypes.createStructField("budget_ratio_lo", DataTypes.DoubleType, true),
            DataTypes.createStructField("budget_ratio_hi", DataTypes.DoubleType, true),
            DataTypes.createStructField("budget_flag", DataTypes.BooleanType, true),
            DataTypes.createStructField("diverged", DataTypes.IntegerType, true),
            DataTypes.createStructField("local_p", DataTypes.DoubleType, true),
            DataTypes.createStructField("local_p_lo", DataTypes.DoubleType, true),
            DataTypes.createStructField("local_p_hi", DataTypes.DoubleType, true),
            DataTypes.createStructField("local_n_min", DataTypes.IntegerType, true),
            DataTypes.createStructField("local_n_max", DataTypes.IntegerType, true),
            DataTypes.createStructField("verdict", DataTypes.StringType, true));

    public static Tables of(SparkSession spark, Dataset<Row> trialRows, Settings settings) {
        // Evidence about the width only: a diverged trial says the step is unstable there (counted per group), a
        // timeout or a failure says nothing.
        Dataset<Row> trials = ModelVariant.withVariant(trialRows.filter(col("status").isin("converged", "censored", "max_steps", "stuck", "diverged")));
        List<Column> cols = new ArrayList<>();
        FitGroup.COLUMNS.forEach(c -> cols.add(col(c)));
        for (String c : List.of("n", "m", "seed", "status")) {
            cols.add(col(c));
        }
        Dataset<Row> obs = trials.select(cols.toArray(Column[]::new));
        StructType keySchema = new StructType(FitGroup.COLUMNS.stream().map(c -> obs.schema().apply(c)).toArray(StructField[]::new));
        int k = FitGroup.COLUMNS.size();
        int stepsAt = FitGroup.COLUMNS.indexOf("max_steps");
        int budgetSteps = settings.search().budgetCheck() * settings.steps();
        // Group key without max_steps → (main outcomes, budget outcomes), each as (n, m, seed, converged) rows.
        Map<String, Object[]> keyValues = new TreeMap<>();
        Map<String, List<long[]>> main = new TreeMap<>();
        Map<String, List<long[]>> budget = new TreeMap<>();
        Map<String, Integer> diverged = new TreeMap<>();
        for (Row r : obs.collectAsList()) {
            int steps = ((Number) r.get(stepsAt)).intValue();
            if (steps != settings.steps() && (budgetSteps == 0 || steps != budgetSteps)) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            Object[] values = new Object[k];
            for (int i = 0; i < k; i++) {
                values[i] = r.get(i);
                if (i != stepsAt) {
                    key.append(r.get(i)).append('|');
                }
            }
            values[stepsAt] = settings.steps();
            keyValues.putIfAbsent(key.toString(), values);
            if ("diverged".equals(r.getString(k + 3))) {
                diverged.merge(key.toString(), 1, Integer::sum);
                continue;
            }
            long[] o = {r.getInt(k), r.getInt(k + 1), r.getLong(k + 2), "converged".equals(r.getString(k + 3)) ? 1 : 0};
            (steps == settings.steps() ? main : budget).computeIfAbsent(key.toString(), x -> new ArrayList<>()).add(o);
        }
        List<Row> scaling = new ArrayList<>();
        List<Row> thresholds = new ArrayList<>();
        for (Map.Entry<String, List<long[]>> e : main.entrySet()) {
            Object[] key = keyValues.get(e.getKey());
            List<Outcome> outcomes = outcomes(e.getValue());
            List<Outcome> checks = outcomes(budget.getOrDefault(e.getKey(), List.of()));
            fitGroup(key, outcomes, checks, settings, budgetSteps, diverged.getOrDefault(e.getKey(), 0), scaling, thresholds);
        }
        StructType scalingSchema = keySchema.add("method", DataTypes.StringType, false)
                .add("groups", DataTypes.LongType, true)
                .add("points", DataTypes.IntegerType, true)
                .add("n_min", DataTypes.IntegerType, true)
                .add("n_max", DataTypes.IntegerType, true)
                .add("intercept", DataTypes.DoubleType, true)
                .add("exponent", DataTypes.DoubleType, true)
                .add("exponent_se", DataTypes.DoubleType, true)
                .add("exponent_lo", DataTypes.DoubleType, true)
                .add("exponent_hi", DataTypes.DoubleType, true);
        for (StructField f : SCALING_EXTRA) {
            scalingSchema = scalingSchema.add(f);
        }
        StructType thresholdSchema = keySchema.add("n", DataTypes.IntegerType, false)
                .add("m_star_model", DataTypes.DoubleType, true)
                .add("m_star_model_lo", DataTypes.DoubleType, true)
                .add("m_star_model_hi", DataTypes.DoubleType, true)
                .add("m_star_model_status", DataTypes.StringType, true);
        return new Tables(spark.createDataFrame(scaling, scalingSchema), spark.createDataFrame(thresholds, thresholdSchema));
    }

    /** Outcomes in the canonical order (n, m, seed): the fit does not depend on the table's row order. */
    private static List<Outcome> outcomes(List<long[]> rows) {
        return rows.stream()
                .sorted(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]).thenComparingLong(o -> o[2])
                        .thenComparingLong(o -> o[3]))
                .map(o -> new Outcome((int) o[0], (int) o[1], o[3] == 1))
                .toList();
    }

    private static void fitGroup(Object[] key, List<Outcome> outcomes, List<Outcome> checks, Settings settings, int budgetSteps,
                                 int diverged, List<Row> scaling, List<Row> thresholds) {
        int[] ns = outcomes.stream().mapToInt(Outcome::n).distinct().sorted().toArray();
        long successes = outcomes.stream().filter(Outcome::success).count();
        Object[] row = new Object[key.length + 10 + SCALING_EXTRA.size()];
        System.arraycopy(key, 0, row, 0, key.length);
        int j = key.length;
        row[j++] = "adaptive";
        row[j++] = (long) ns.length;
        row[j++] = ns.length;
        row[j++] = ns[0];
        row[j++] = ns[ns.length - 1];
        int extra = key.length + 10;
        row[extra + 2] = outcomes.size();
        row[extra + 3] = false;
        row[extra + 12] = diverged;
        if (successes == 0 || successes == outcomes.size()) {
            row[extra + 6] = successes == 0 ? "no_fit: no trial converged" : "no_fit: every trial converged";
            scaling.add(RowFactory.create(row));
            return;
        }
        ThresholdFit fit;
        try {
            ThresholdFitter fitter = new ThresholdFitter();
            fit = fitter.withProfile(fitter.fit(outcomes), outcomes);
        } catch (RuntimeException e) {
            row[extra + 6] = "no_fit: " + e.getMessage();
            scaling.add(RowFactory.create(row));
            return;
        }
        row[j++] = fit.model().a();
        row[j++] = fit.model().p();
        row[j++] = finite(fit.pStdErr());
        row[j++] = finite(fit.pLow());
        row[j] = finite(fit.pHigh());
        double half = (fit.pHigh() - fit.pLow()) / 2;
        GoodnessOfFit gof = GoodnessOfFit.of(fit, outcomes);
        row[extra] = fit.model().s();
        row[extra + 1] = fit.model().lambda();
        // A law the data reject has no interval worth reaching: the verdict says what they support instead.
        row[extra + 3] = Double.isFinite(half) && half <= settings.search().target() && !gof.misfit();
        row[extra + 4] = gof.powerLawP();
        row[extra + 5] = gof.shapeP();
        row[extra + 6] = gof.misfitKinds();
        if (gof.misfit()) {
            LocalLaw local = LocalLaw.of(outcomes);
            if (local != null) {
                row[extra + 13] = local.fit().model().p();
                row[extra + 14] = finite(local.fit().pLow());
                row[extra + 15] = finite(local.fit().pHigh());
                row[extra + 16] = local.nMin();
                row[extra + 17] = local.nMax();
            }
            row[extra + 18] = verdict(gof, local, diverged);
        } else if (diverged > 0) {
            row[extra + 18] = diverged + " diverged trials left out: the step is unstable at those points, not the width"
                    + " (see thresholds.diverged; a smaller eta or an eta_per rule would train them)";
        }
        if (budgetSteps > 0 && !checks.isEmpty()) {
            BudgetCheck.Ratio ratio = BudgetCheck.ratio(fit, checks);
            row[extra + 7] = budgetSteps;
            row[extra + 8] = ratio.ratio();
            row[extra + 9] = ratio.low();
            row[extra + 10] = ratio.high();
            row[extra + 11] = ratio.flagged();
        }
        scaling.add(RowFactory.create(row));
        for (int n : ns) {
            Object[] t = new Object[key.length + 5];
            System.arraycopy(key, 0, t, 0, key.length);
            t[key.length] = n;
            double m = fit.model().threshold(n, settings.delta());
            if (Double.isFinite(m) && m >= settings.search().lo() && m <= settings.search().hi()) {
                double[] ci = fit.thresholdInterval(n, settings.delta());
                t[key.length + 1] = m;
                t[key.length + 2] = finite(ci[0]);
                t[key.length + 3] = finite(ci[1]);
                t[key.length + 4] = "in_range";
            } else {
                // Outside the searched widths the model extrapolates: not a measured width.
                t[key.length + 4] = !Double.isFinite(m) ? "none" : m < settings.search().lo() ? "below_range" : "above_range";
            }
            thresholds.add(RowFactory.create(t));
        }
    }

    /** Why the joint law does not hold and what the data support instead. */
    private static String verdict(GoodnessOfFit gof, LocalLaw local, int diverged) {
        StringBuilder s = new StringBuilder("the data reject the ");
        s.append(gof.powerLawMisfit() && gof.shapeMisfit() ? "power law in n and the curve shape"
                : gof.powerLawMisfit() ? "power law in n" : "curve shape");
        s.append(String.format(java.util.Locale.ROOT, " (p-values %.2g, %.2g): p and its interval do not hold as a law;"
                + " the per-n thresholds are thresholds.m_star", gof.powerLawP(), gof.shapeP()));
        if (local != null) {
            s.append(String.format(java.util.Locale.ROOT, "; the law holds over n %d..%d with p = %.3g", local.nMin(), local.nMax(),
                    local.fit().model().p()));
        }
        if (diverged > 0) {
            s.append("; ").append(diverged).append(" diverged trials left out (the step is unstable there, not the width)");
        }
        return s.toString();
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    /** {@code thresholds} with the model columns joined on (fit group, n); null where no adaptive fit covers the row. */
    public static Dataset<Row> withModelThresholds(Dataset<Row> thresholds, Dataset<Row> model) {
        Dataset<Row> right = model;
        List<String> on = new ArrayList<>(FitGroup.COLUMNS);
        on.add("n");
        for (String c : on) {
            right = right.withColumnRenamed(c, "__" + c);
        }
        Column cond = lit(true);
        for (String c : on) {
            cond = cond.and(thresholds.col(c).eqNullSafe(right.col("__" + c)));
        }
        Dataset<Row> joined = thresholds.join(right, cond, "left");
        for (String c : on) {
            joined = joined.drop("__" + c);
        }
        return joined;
    }

    /** {@code thresholds} with the model columns, all null: a sweep without an adaptive search. */
    public static Dataset<Row> withoutModelThresholds(Dataset<Row> thresholds) {
        return thresholds.withColumn("m_star_model", lit(null).cast(DataTypes.DoubleType))
                .withColumn("m_star_model_lo", lit(null).cast(DataTypes.DoubleType))
                .withColumn("m_star_model_hi", lit(null).cast(DataTypes.DoubleType))
                .withColumn("m_star_model_status", lit(null).cast(DataTypes.StringType));
    }
}
