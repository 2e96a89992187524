package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.sweep.analysis.ModelVariant;

/**
 * The budget ladder of every fit group (docs/tables.md, "The budget ladder"): the exponent p refitted at each step
 * budget (log scale), one line per group; where the ladder is budget-converged, its budget-free p with its interval
 * drawn at the largest budget and the line solid, else dashed — an exponent that still moves with the budget is
 * about the budget.
 */
final class LadderFigure {
    static final String FILE = "ladder.png";
    static final String SECTION = "Atlas";
    static final String CAPTION = "The budget ladder: each fit group's exponent p refitted with the outcomes at each step budget"
            + " (the rungs below the configured budget are free: the steps each trial converged at; an adaptive search's"
            + " ladder stages run the larger ones). Solid with a bar at the right: budget-converged (p moved ≤ 0.05 per"
            + " doubling over the last two and m*(n) ≤ 10 %), the bar the budget-free p with its 95 % interval; dashed: p"
            + " still moves with the budget.";

    private LadderFigure() {
    }

    /** The chart of {@code scaling}'s ladder columns, or null when no row has a ladder. */
    static Chart of(Dataset<Row> scaling) {
        if (!Arrays.asList(scaling.columns()).contains("ladder_budgets")) {
            return null;
        }
        List<org.apache.spark.sql.Column> order = new java.util.ArrayList<>(
                List.of(col("model"), col("alpha"), col("d"), col("eta")));
        if (Arrays.asList(scaling.columns()).contains("method")) {
            order.add(col("method"));
        }
        List<Row> rows = ModelVariant.labelModel(scaling).filter(col("ladder_budgets").isNotNull())
                .orderBy(order.toArray(new org.apache.spark.sql.Column[0])).collectAsList();
        if (rows.isEmpty()) {
            return null;
        }
        Chart chart = new Chart("Budget ladder: the exponent against the step budget", "step budget T (log scale)",
                "exponent p fitted at T", true, false);
        chart.log2X();
        for (Row r : rows) {
            List<Integer> budgets = r.getList(r.fieldIndex("ladder_budgets"));
            List<Double> ps = r.getList(r.fieldIndex("ladder_p"));
            double[] x = budgets.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = ps.stream().mapToDouble(p -> p == null ? Double.NaN : p).toArray();
            boolean converged = Boolean.TRUE.equals(r.getAs("budget_converged"));
            String alpha = r.isNullAt(r.fieldIndex("alpha")) ? "" : " α=" + Format.num(r.getAs("alpha"));
            String name = r.getAs("model") + alpha + (converged
                    ? String.format(java.util.Locale.ROOT, ": p = %s [%s, %s]", Format.fmt(r.getAs("p_budget")),
                            Format.fmt(r.getAs("p_budget_lo")), Format.fmt(r.getAs("p_budget_hi")))
                    : ": not budget-converged");
            Color color = chart.nextColor();
            if (converged) {
                chart.line(name, x, y, color, true);
                double top = x[x.length - 1];
                chart.intervals(new double[] {top}, new double[] {r.getAs("p_budget_lo")}, new double[] {r.getAs("p_budget_hi")}, color);
            } else {
                chart.reference(name, x, y, color, new float[] {6f, 4f});
                if (chart.points(name + " (rungs)", x, y, color)) {
                    chart.hideLast();
                }
            }
        }
        return chart;
    }
}
