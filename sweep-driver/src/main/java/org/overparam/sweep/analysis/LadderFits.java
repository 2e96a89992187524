package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
import org.overparam.sweep.threshold.BudgetLadder;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.LeastSquaresLadder;
import org.overparam.sweep.threshold.TimedOutcome;
import org.overparam.trainer.gd.StuckRule;

/**
 * The budget ladder of every fit group (theory.md §8, {@link BudgetLadder}): the group's trials at every step
 * budget they ran with (the configured one, a ladder's reruns, a budget check's) taken together — one per trial,
 * its largest budget — and the exponent fitted at the budgets T, T/2, T/4, … below the largest, free from the
 * steps at which the trials converged. An adaptive search's groups are fitted jointly at each rung (the model of
 * {@link AdaptiveFits}); the other groups by least squares over their per-n thresholds m*(n; T) ({@link
 * ThresholdEstimator}, as {@link ScalingFit} does at the configured budget). Two outputs: the ladder columns of
 * each group's {@code scaling} row ({@link #SCALING_COLUMNS}) and the {@code ladder} table, one row per group,
 * rung and n (docs/tables.md). Fitted on the driver in a canonical order (n, m, seed): the tables depend only on
 * the set of trials.
 */
public final class LadderFits {
    /** The rungs fitted below a group's largest budget. */
    public static final int RUNGS_BELOW = 4;

    /** The ladder columns of {@code scaling} rows. */
    public static final List<StructField> SCALING_COLUMNS = List.of(
            DataTypes.createStructField("ladder_budgets", DataTypes.createArrayType(DataTypes.IntegerType, false), true),
            DataTypes.createStructField("ladder_p", DataTypes.createArrayType(DataTypes.DoubleType, true), true),
            DataTypes.createStructField("budget_converged", DataTypes.BooleanType, true),
            DataTypes.createStructField("settled_budget", DataTypes.IntegerType, true),
            DataTypes.createStructField("ladder_drift", DataTypes.DoubleType, true),
            DataTypes.createStructField("p_budget", DataTypes.DoubleType, true),
            DataTypes.createStructField("p_budget_lo", DataTypes.DoubleType, true),
            DataTypes.createStructField("p_budget_hi", DataTypes.DoubleType, true),
            DataTypes.createStructField("ladder_reason", DataTypes.StringType, true));

    /** The ladder summaries (fit-group columns, {@code method}, {@link #SCALING_COLUMNS}) and the {@code ladder} table. */
    public record Tables(Dataset<Row> summaries, Dataset<Row> ladder) {
    }

    private LadderFits() {
    }

    /**
     * The ladders of the groups of {@code trialRows}; {@code joint} fits the adaptive search's model at each rung,
     * else least squares over the per-n thresholds.
     */
    public static Tables of(SparkSession spark, Dataset<Row> trialRows, double delta, boolean joint) {
        Dataset<Row> withVariant = ModelVariant.withVariant(trialRows);
        // A hand-made or partial table without the steps its trials ran has no ladder to read.
        Dataset<Row> trials = java.util.Arrays.asList(withVariant.columns()).containsAll(List.of("steps", "max_steps", "seed"))
                ? withVariant
                : withVariant.limit(0).withColumn("steps", org.apache.spark.sql.functions.lit(0))
                        .withColumn("max_steps", org.apache.spark.sql.functions.lit(0)).withColumn("seed", org.apache.spark.sql.functions.lit(0L));
        List<String> key = FitGroup.COLUMNS.stream().filter(c -> !c.equals("max_steps")).toList();
        List<Column> cols = new ArrayList<>(key.stream().map(c -> col(c)).toList());
        for (String c : List.of("n", "m", "seed", "max_steps", "status", "steps")) {
            cols.add(col(c));
        }
        // The stuck rule's horizon says how far a stuck trial's verdict reaches (rows before issue 26: the default).
        cols.add(java.util.Arrays.asList(trials.columns()).contains("stuck_horizon")
                ? org.apache.spark.sql.functions.coalesce(col("stuck_horizon"), org.apache.spark.sql.functions.lit(StuckRule.DEFAULT_HORIZON))
                : org.apache.spark.sql.functions.lit(StuckRule.DEFAULT_HORIZON));
        Dataset<Row> obs = trials.select(cols.toArray(Column[]::new));
        int k = key.size();
        Map<String, Object[]> keyValues = new TreeMap<>();
        Map<String, Map<String, Object[]>> byGroup = new TreeMap<>();
        for (Row r : obs.collectAsList()) {
            StringBuilder g = new StringBuilder();
            Object[] values = new Object[k];
            for (int i = 0; i < k; i++) {
                values[i] = r.get(i);
                g.append(r.get(i)).append('|');
            }
            keyValues.putIfAbsent(g.toString(), values);
            // One row per trial (n, m, seed): its run with the largest budget holds all the others know.
            Object[] run = {r.getInt(k), r.getInt(k + 1), r.getLong(k + 2), r.getInt(k + 3), r.getString(k + 4), r.getInt(k + 5),
                    ((Number) r.get(k + 6)).intValue()};
            String trial = run[0] + "|" + run[1] + "|" + run[2];
            byGroup.computeIfAbsent(g.toString(), x -> new TreeMap<>())
                    .merge(trial, run, (a, b) -> (int) a[3] >= (int) b[3] ? a : b);
        }
        List<Row> summaries = new ArrayList<>();
        List<Row> rungRows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object[]>> e : byGroup.entrySet()) {
            List<Object[]> runs = new ArrayList<>(e.getValue().values());
            runs.sort(Comparator.<Object[]>comparingInt(a -> (int) a[0]).thenComparingInt(a -> (int) a[1])
                    .thenComparingLong(a -> (long) a[2]));
            int base = runs.stream().mapToInt(a -> (int) a[3]).min().orElseThrow();
            int[] ns = runs.stream().mapToInt(a -> (int) a[0]).distinct().sorted().toArray();
            BudgetLadder.Result result = joint ? jointLadder(runs, ns, delta) : leastSquaresLadder(runs, ns, delta);
            Object[] groupKey = withSteps(keyValues.get(e.getKey()), base, key);
            summaries.add(summary(groupKey, joint ? "adaptive" : "ols", result));
            for (BudgetLadder.Rung rung : result.rungs()) {
                for (int i = 0; i < ns.length; i++) {
                    Object[] row = Arrays.copyOf(groupKey, groupKey.length + 8);
                    int j = groupKey.length;
                    row[j++] = (int) rung.budget();
                    row[j++] = ns[i];
                    row[j++] = finite(rung.thresholds()[i]);
                    row[j++] = finite(rung.p());
                    row[j++] = finite(rung.pLow());
                    row[j++] = finite(rung.pHigh());
                    row[j++] = rung.trials();
                    row[j] = rung.imputed();
                    rungRows.add(RowFactory.create(row));
                }
            }
        }
        StructType groupSchema = new StructType(FitGroup.COLUMNS.stream().map(c -> trials.schema().apply(c)).toArray(StructField[]::new));
        StructType summarySchema = groupSchema.add("method", DataTypes.StringType, false);
        for (StructField f : SCALING_COLUMNS) {
            summarySchema = summarySchema.add(f);
        }
        StructType ladderSchema = groupSchema.add("budget", DataTypes.IntegerType, false)
                .add("n", DataTypes.IntegerType, false)
                .add("m_star", DataTypes.DoubleType, true)
                .add("p", DataTypes.DoubleType, true)
                .add("p_lo", DataTypes.DoubleType, true)
                .add("p_hi", DataTypes.DoubleType, true)
                .add("trials", DataTypes.IntegerType, false)
                .add("imputed", DataTypes.IntegerType, false);
        return new Tables(spark.createDataFrame(summaries, summarySchema), spark.createDataFrame(rungRows, ladderSchema));
    }

    /** The group's key values in {@link FitGroup#COLUMNS} order, with {@code max_steps} the group's configured budget. */
    private static Object[] withSteps(Object[] values, int steps, List<String> key) {
        Object[] out = new Object[FitGroup.COLUMNS.size()];
        for (int i = 0; i < out.length; i++) {
            String c = FitGroup.COLUMNS.get(i);
            out[i] = c.equals("max_steps") ? steps : values[key.indexOf(c)];
        }
        return out;
    }

    private static Row summary(Object[] key, String method, BudgetLadder.Result r) {
        Object[] row = Arrays.copyOf(key, key.length + 1 + SCALING_COLUMNS.size());
        int j = key.length;
        row[j++] = method;
        row[j++] = r.rungs().stream().map(g -> (int) g.budget()).toArray(Integer[]::new);
        row[j++] = r.rungs().stream().map(g -> finite(g.p())).toArray(Double[]::new);
        row[j++] = r.converged();
        row[j++] = r.settled() < 0 ? null : (int) r.settled();
        row[j++] = finite(r.drift());
        // The budget-free p is an answer only once the ladder has settled; before, the rungs say how far it is.
        row[j++] = r.converged() ? finite(r.p()) : null;
        row[j++] = r.converged() ? finite(r.pLow()) : null;
        row[j++] = r.converged() ? finite(r.pHigh()) : null;
        row[j] = r.converged() ? null : r.reason();
        return RowFactory.create(row);
    }

    /**
     * A ladder's rungs as text, {@code budget:p} pairs with p to two decimals ("4000:0.71 8000:0.43 …"), {@code none}
     * for a rung without a fit: the form of the run's summary and of the live page.
     */
    public static String rungText(List<Integer> budgets, List<Double> ps, String none) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < budgets.size(); i++) {
            out.append(i == 0 ? "" : " ").append(budgets.get(i)).append(':')
                    .append(ps.get(i) == null ? none : String.format(java.util.Locale.ROOT, "%.2f", ps.get(i)));
        }
        return out.toString();
    }

    /** Rows (n, m, seed, budget, status, steps, stuck horizon) as the ladder's trials; the repeat is the seed's rank at its point. */
    private static List<TimedOutcome> timed(List<Object[]> runs) {
        Map<Long, Integer> repeats = new HashMap<>();
        List<TimedOutcome> out = new ArrayList<>();
        for (Object[] a : runs) {
            int n = (int) a[0];
            int m = (int) a[1];
            int repeat = repeats.merge((long) n << 32 | m, 1, Integer::sum) - 1;
            TimedOutcome t = TimedOutcome.ofRow(n, m, repeat, (int) a[3], (String) a[4], (int) a[5], (int) a[6]);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static BudgetLadder.Result jointLadder(List<Object[]> runs, int[] ns, double delta) {
        List<TimedOutcome> timed = timed(runs);
        if (timed.isEmpty()) {
            return BudgetLadder.verdict(List.of(emptyRung(0, ns.length)));
        }
        return new BudgetLadder(delta, ns, RUNGS_BELOW).analyse(timed);
    }

    private static BudgetLadder.Result leastSquaresLadder(List<Object[]> runs, int[] ns, double delta) {
        List<TimedOutcome> timed = timed(runs);
        return timed.isEmpty() ? BudgetLadder.verdict(List.of(emptyRung(0, ns.length)))
                : LeastSquaresLadder.of(timed, ns, delta, RUNGS_BELOW);
    }

    private static BudgetLadder.Rung emptyRung(long budget, int ns) {
        double[] m = new double[ns];
        Arrays.fill(m, Double.NaN);
        return new BudgetLadder.Rung(budget, Double.NaN, Double.NaN, Double.NaN, m, 0, 0, null);
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
