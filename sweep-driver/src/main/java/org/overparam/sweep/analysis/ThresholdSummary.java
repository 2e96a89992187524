package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The text printed after aggregating: each group's {@code m_star}, then each scaling fit; for an adaptive
 * search, each variant's model thresholds m*(n), then its joint fit.
 */
public final class ThresholdSummary {
    private ThresholdSummary() {
    }

    public static String format(Aggregation.Tables tables) {
        StringBuilder sb = new StringBuilder();
        List<Row> groups = groupRows(ModelVariant.labelModel(tables.thresholds()));
        if (groups.isEmpty()) {
            return "thresholds: no trials\n";
        }
        Dataset<Row> scalingRows = ModelVariant.labelModel(tables.scaling());
        if (java.util.Arrays.asList(scalingRows.columns()).contains("method")
                && !scalingRows.filter(col("method").equalTo("adaptive")).isEmpty()) {
            // An adaptive search: its per-n brackets rest on a seed or two per width; the model's m*(n) is the estimate.
            modelThresholds(sb, ModelVariant.labelModel(tables.thresholds()));
            List<Row> joint = scalingRows.filter(col("method").equalTo("adaptive")).collectAsList();
            adaptive(sb, joint);
            ladder(sb, joint);
            return sb.toString();
        }
        double delta = groups.get(0).getAs("delta");
        sb.append(String.format(Locale.ROOT, "thresholds: m_star = smallest width at which >= %s of the seeds converge (delta %s), 95%% bootstrap interval:%n",
                num(1 - delta), num(delta)));
        int width = 5;
        for (Row r : groups) {
            width = Math.max(width, r.getString(0).length());
        }
        String model = "%-" + width + "s";
        sb.append(String.format(Locale.ROOT, model + " %6s %5s %5s %7s %7s %9s  %-21s %s%n",
                "model", "alpha", "n", "d", "eta", "widths", "m_star", "[lo, hi]", "bracket"));
        for (Row r : groups) {
            String status = r.getAs("m_star_status");
            String bracket = switch (status) {
                case "bracketed" -> "(" + r.getAs("m_fail") + ", " + r.getAs("m_succeed") + "]";
                case "at_lo" -> "<= " + r.getAs("m_succeed") + " (smallest width tested)";
                default -> "> " + r.getAs("m_fail") + " (no width succeeded)";
            };
            sb.append(String.format(Locale.ROOT, model + " %6s %5d %5d %7s %7d %9s  %-21s %s%n",
                    r.getString(0), r.isNullAt(1) ? "-" : num(r.getDouble(1)), r.<Integer>getAs("n"), r.<Integer>getAs("d"),
                    num(r.<Double>getAs("eta")), r.<Integer>getAs("widths"), cell(r, "m_star"),
                    "[" + cell(r, "m_star_lo") + ", " + cell(r, "m_star_hi") + "]", bracket));
        }
        Dataset<Row> scaling = ModelVariant.labelModel(tables.scaling());
        boolean methods = java.util.Arrays.asList(scaling.columns()).contains("method");
        List<Row> fits = (methods ? scaling.filter(col("method").equalTo("ols")) : scaling).collectAsList();
        if (!fits.isEmpty()) {
            sb.append("scaling: ln m_star = a + p ln n over the bracketed groups, p with its 95% interval:\n");
            int fitWidth = 5;
            for (Row r : fits) {
                fitWidth = Math.max(fitWidth, r.getString(0).length());
            }
            String fitModel = "%-" + fitWidth + "s";
            sb.append(String.format(Locale.ROOT, fitModel + " %6s %5s %7s %6s %23s %6s  %s%n",
                    "model", "alpha", "d", "eta", "points", "p [lo, hi]", "r2", "theory"));
            for (Row r : fits) {
                String p = cell(r, "exponent") + " [" + cell(r, "exponent_lo") + ", " + cell(r, "exponent_hi") + "]";
                String theory = r.isNullAt(r.fieldIndex("theory_exponent")) ? "-"
                        : num(r.<Double>getAs("theory_exponent")) + " (" + r.getAs("theory") + ")";
                sb.append(String.format(Locale.ROOT, fitModel + " %6s %5d %7s %6d %23s %6s  %s%n",
                        r.getString(0), r.isNullAt(r.fieldIndex("alpha")) ? "-" : num(r.<Double>getAs("alpha")), r.<Integer>getAs("d"),
                        num(r.<Double>getAs("eta")), r.<Integer>getAs("points"), p, cell(r, "r2"), theory));
            }
        }
        if (methods) {
            adaptive(sb, scaling.filter(col("method").equalTo("adaptive")).collectAsList());
        }
        ladder(sb, fits);
        return sb.toString();
    }

    /**
     * Each fit's budget ladder: p at the rungs T/16 … T (the last the largest budget run), and whether p has
     * stopped moving with the budget: then the budget-free p with its interval, else why not.
     */
    private static void ladder(StringBuilder sb, List<Row> fits) {
        List<Row> rows = fits.stream().filter(r -> java.util.Arrays.asList(r.schema().fieldNames()).contains("ladder_budgets")
                && !r.isNullAt(r.fieldIndex("ladder_budgets"))).toList();
        if (rows.isEmpty()) {
            return;
        }
        sb.append("budget ladder: p refitted at smaller budgets (free: the steps each trial converged at) and, for an adaptive\n")
                .append("  search, at larger ones; budget-converged = p moved <= 0.05 per doubling over the last two and m*(n) <= 10 %:\n");
        int w = 5;
        for (Row r : rows) {
            w = Math.max(w, r.getString(0).length());
        }
        String model = "%-" + w + "s";
        for (Row r : rows) {
            String rungs = LadderFits.rungText(r.getList(r.fieldIndex("ladder_budgets")), r.getList(r.fieldIndex("ladder_p")), "-");
            String verdict = Boolean.TRUE.equals(r.getAs("budget_converged"))
                    ? String.format(Locale.ROOT, "budget-converged from %s steps: p = %s [%s, %s]", r.getAs("settled_budget"),
                            cell(r, "p_budget"), cell(r, "p_budget_lo"), cell(r, "p_budget_hi"))
                    : "not budget-converged: " + r.getAs("ladder_reason");
            sb.append(String.format(Locale.ROOT, model + " %6s  %s%n  %" + w + "s %6s  %s%n", r.getString(0),
                    r.isNullAt(r.fieldIndex("alpha")) ? "-" : num(r.<Double>getAs("alpha")), rungs, "", "", verdict));
        }
    }

    /** The joint fits' thresholds m*(n) with their intervals, one line per variant and n. */
    private static void modelThresholds(StringBuilder sb, Dataset<Row> thresholds) {
        List<Row> rows = thresholds.filter(col("m_star_model").isNotNull())
                .select(col("model"), col("alpha"), col("n"), col("d"), col("eta"), col("delta"), col("m_star_model"),
                        col("m_star_model_lo"), col("m_star_model_hi"))
                .distinct().orderBy("model", "alpha", "d", "eta", "n").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        double delta = rows.get(0).getAs("delta");
        sb.append(String.format(Locale.ROOT, "thresholds: m*(n) = the width at which a seed converges with chance %s (delta %s),"
                + " from the joint fit of every trial, 95%% interval:%n", num(1 - delta), num(delta)));
        int width = 5;
        for (Row r : rows) {
            width = Math.max(width, r.getString(0).length());
        }
        String model = "%-" + width + "s";
        sb.append(String.format(Locale.ROOT, model + " %6s %5s %5s %7s %9s  %s%n", "model", "alpha", "n", "d", "eta", "m*", "[lo, hi]"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, model + " %6s %5d %5d %7s %9s  %s%n", r.getString(0),
                    r.isNullAt(1) ? "-" : num(r.getDouble(1)), r.<Integer>getAs("n"), r.<Integer>getAs("d"), num(r.<Double>getAs("eta")),
                    cell(r, "m_star_model"), "[" + cell(r, "m_star_model_lo") + ", " + cell(r, "m_star_model_hi") + "]"));
        }
    }

    /** The adaptive search's joint fits, one line each. */
    private static void adaptive(StringBuilder sb, List<Row> fits) {
        if (fits.isEmpty()) {
            return;
        }
        sb.append("adaptive fits: P(m, n) = (1 - lapse) F((ln m - a - p ln n)/s) over every trial of the group, p with its 95% interval;\n")
                .append("  budget = m* with more steps / m* (flag outside [0.8, 1.25]); misfit = the power law or the curve shape does not fit:\n");
        int w = 5;
        for (Row r : fits) {
            w = Math.max(w, r.getString(0).length());
        }
        String model = "%-" + w + "s";
        sb.append(String.format(Locale.ROOT, model + " %6s %5s %7s %6s %25s %6s %6s %6s %21s  %s%n",
                "model", "alpha", "d", "eta", "trials", "p [lo, hi]", "s", "lapse", "theory", "budget [lo, hi]", "misfit"));
        for (Row r : fits) {
            String p = cell(r, "exponent") + " [" + cell(r, "exponent_lo") + ", " + cell(r, "exponent_hi") + "]"
                    + (Boolean.TRUE.equals(r.getAs("target_reached")) ? "" : "*");
            String budget = r.isNullAt(r.fieldIndex("budget_ratio")) ? "-"
                    : cell(r, "budget_ratio") + " [" + cell(r, "budget_ratio_lo") + ", " + cell(r, "budget_ratio_hi") + "]"
                    + (Boolean.TRUE.equals(r.getAs("budget_flag")) ? " !" : "");
            String misfit = r.isNullAt(r.fieldIndex("misfit")) || r.<String>getAs("misfit").isEmpty() ? "-" : r.getAs("misfit");
            sb.append(String.format(Locale.ROOT, model + " %6s %5d %7s %6s %25s %6s %6s %6s %21s  %s%n",
                    r.getString(0), r.isNullAt(r.fieldIndex("alpha")) ? "-" : num(r.<Double>getAs("alpha")), r.<Integer>getAs("d"),
                    num(r.<Double>getAs("eta")), r.isNullAt(r.fieldIndex("trials")) ? "-" : r.<Integer>getAs("trials").toString(), p,
                    cell(r, "slope_s"), cell(r, "lapse"), cell(r, "theory_exponent"), budget, misfit));
        }
        if (fits.stream().anyMatch(r -> !Boolean.TRUE.equals(r.getAs("target_reached")))) {
            sb.append("  (* target not reached: p's interval is wider than search.target, or the data reject the law (misfit);"
                    + " the search ran to max_trials)\n");
        }
    }

    /** One row per group (the threshold columns are the same on each of its widths). */
    static List<Row> groupRows(Dataset<Row> thresholds) {
        return thresholds.select(col("model"), col("alpha"), col("n"), col("d"), col("eta"), col("widths"), col("delta"),
                        col("m_star"), col("m_star_lo"), col("m_star_hi"), col("m_star_status"), col("m_fail"), col("m_succeed"))
                .distinct().orderBy("model", "alpha", "d", "eta", "n").collectAsList();
    }

    private static String cell(Row r, String column) {
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? "-" : String.format(Locale.ROOT, "%.3g", ((Number) r.get(i)).doubleValue());
    }

    private static String num(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
