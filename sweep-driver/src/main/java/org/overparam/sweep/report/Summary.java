package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.sweep.analysis.ModelTheory;

/** The Markdown part of the report, {@code summary.md} (the numbers; {@link HtmlReport} writes the page). */
final class Summary {
    private Summary() {
    }

    static String markdown(Dataset<Row> trials, int groups, int plottedGroups) {
        StringBuilder md = new StringBuilder("# Sweep summary\n\n");
        long total = trials.count();
        md.append(total).append(" trials in ").append(groups).append(" groups (model, α, n, d, η)");
        if (plottedGroups < groups) {
            md.append("; per-group plots for the first ").append(plottedGroups);
        }
        md.append(".\n\n| status | trials |\n| --- | --- |\n");
        for (Row r : trials.groupBy("status").count().orderBy("status").collectAsList()) {
            md.append("| ").append(r.getString(0)).append(" | ").append(r.getLong(1)).append(" |\n");
        }
        md.append("\n## Convergence by group and width\n\n")
                .append("| model | α | n | d | η | m | converged | median steps | median rate |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : trials.groupBy("model", "alpha", "n", "d", "eta", "m")
                .agg(count(lit(1)).as("total"), sum(when(col("status").equalTo("converged"), 1).otherwise(0)).as("conv"),
                        percentile_approx(col("steps"), lit(0.5), lit(1000)).as("steps"),
                        percentile_approx(col("rate"), lit(0.5), lit(1000)).as("rate"))
                .orderBy("model", "alpha", "n", "d", "eta", "m").collectAsList()) {
            md.append("| ").append(r.getString(0)).append(" | ").append(r.isNullAt(1) ? "–" : Format.num(r.getDouble(1)))
                    .append(" | ").append(r.getInt(2)).append(" | ").append(r.getInt(3)).append(" | ")
                    .append(Format.num(r.getDouble(4))).append(" | ").append(r.getInt(5)).append(" | ")
                    .append(r.getLong(7)).append("/").append(r.getLong(6)).append(" | ").append(r.get(8)).append(" | ")
                    .append(r.isNullAt(9) ? "–" : Format.fmt(r.getDouble(9))).append(" |\n");
        }
        if (trials.filter(col("rate_pred_h").isNotNull()).isEmpty()) {
            md.append("\nKernel instruments were off (`instruments: {kernels: true}` adds the theory comparisons).\n");
            return md.toString();
        }
        md.append("\n## Theory\n\nInfinite-width quantities depend on the data only (one row per data set):\n\n")
                .append("| n | d | λmin(H∞) | λ0 = λmin(V∞) | μ0 = λmin(G∞) | ‖V∞‖ |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Row r : trials.filter(col("lambda_min_h_inf").isNotNull()).groupBy("n", "d", "data")
                .agg(min("lambda_min_h_inf"), min("lambda0_inf"), min("mu0_inf"), max("lambda_max_v_inf"))
                .orderBy("n", "d").collectAsList()) {
            md.append("| ").append(r.getInt(0)).append(" | ").append(r.getInt(1)).append(" | ")
                    .append(cell(r, 3)).append(" | ").append(cell(r, 4)).append(" | ").append(cell(r, 5)).append(" | ")
                    .append(cell(r, 6)).append(" |\n");
        }
        md.append("\nMeasured rate against the prediction, on the trials whose step size meets the theorem's condition"
                + " (hidden constants = 1). With constants 1 the width conditions ask for m ≥ `width_pred_*`,"
                + " which no trial here reaches (largest m vs smallest required width below), so these are the"
                + " theorems' rates tested beyond their proven range.\n\n")
                .append("| theorem | condition | trials | rate ≥ prediction | median measured/predicted | largest m | smallest width_pred |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (ModelTheory.Prediction theory : ModelTheory.predictions()) {
            Column cond = theory.applies().and(theory.stepMet());
            String pred = theory.prediction().rate().column();
            String width = theory.prediction().width().column();
            Row r = trials.filter(cond.and(col("rate").isNotNull()))
                    .agg(count(lit(1)), sum(when(col("rate").geq(col(pred)), 1).otherwise(0)),
                            percentile_approx(col("rate").divide(col(pred)), lit(0.5), lit(1000)), max("m"), min(width))
                    .first();
            if (r.getLong(0) == 0) {
                continue;
            }
            md.append("| ").append(theory.prediction().name()).append(" | ").append(theory.prediction().condition()).append(" | ").append(r.getLong(0))
                    .append(" | ").append(r.getLong(1)).append(" | ").append(cell(r, 2)).append(" | ").append(r.get(3))
                    .append(" | ").append(cell(r, 4)).append(" |\n");
        }
        return md.toString();
    }

    /** The derived tables' part of {@code summary.md}: thresholds per group, success per width, scaling fits, rate ratios. */
    static String thresholds(Dataset<Row> thresholds, Dataset<Row> scaling, Dataset<Row> rates) {
        List<Row> widths = thresholds.orderBy("model", "alpha", "d", "eta", "n", "m").collectAsList();
        if (widths.isEmpty()) {
            return "";
        }
        double delta = widths.get(0).getAs("delta");
        StringBuilder md = new StringBuilder("\n## Thresholds\n\n")
                .append("A width succeeds when at least 1 − δ = ").append(Format.num(1 - delta))
                .append(" of its seeds converged within the step budget. m_star interpolates in log m between the largest width")
                .append(" below the smallest succeeding width and that width (`m_fail`, `m_succeed`); its interval is the 2.5–97.5 %")
                .append(" range over bootstrap redraws of the seeds (docs/tables.md, `thresholds`).\n\n")
                .append("| model | α | n | d | η | widths | m_star | 95% interval | bracket | status |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        String last = null;
        for (Row r : widths) {
            String key = r.getAs("model") + "|" + r.getAs("alpha") + "|" + r.getAs("n") + "|" + r.getAs("d") + "|" + r.getAs("eta");
            if (key.equals(last)) {
                continue;
            }
            last = key;
            md.append("| ").append(groupCells(r)).append(" | ").append(r.<Integer>getAs("widths")).append(" | ")
                    .append(cell(r, r.fieldIndex("m_star"))).append(" | [").append(cell(r, r.fieldIndex("m_star_lo"))).append(", ")
                    .append(cell(r, r.fieldIndex("m_star_hi"))).append("] | ")
                    .append(r.isNullAt(r.fieldIndex("m_fail")) ? "–" : r.getAs("m_fail").toString()).append(" → ")
                    .append(r.isNullAt(r.fieldIndex("m_succeed")) ? "–" : r.getAs("m_succeed").toString()).append(" | ")
                    .append(r.<String>getAs("m_star_status")).append(" |\n");
        }
        md.append("\n### Success by width\n\n| model | α | n | d | η | m | stage | converged | success | Wilson 95% |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : widths) {
            md.append("| ").append(groupCells(r)).append(" | ").append(r.<Integer>getAs("m")).append(" | ").append(r.<Integer>getAs("stage"))
                    .append(" | ").append(r.<Integer>getAs("converged")).append("/").append(r.<Integer>getAs("seeds")).append(" | ")
                    .append(Format.num(r.<Double>getAs("success"))).append(" | [")
                    .append(Format.fmt(r.<Double>getAs("success_lo"))).append(", ")
                    .append(Format.fmt(r.<Double>getAs("success_hi"))).append("] |\n");
        }
        md.append("\n## Scaling\n\nLeast squares `ln m_star = a + p ln n` over the bracketed groups of each (model, α, d, η);")
                .append(" the interval is p ± t·SE(p), Student's t with points − 2 degrees of freedom. The theory exponent is that of n")
                .append(" in the theorem's width condition (logarithms and the data-dependent λ0, μ0 aside).\n\n")
                .append("| model | α | d | η | points | n | exponent p | 95% interval | r² | theory exponent | theorem |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : scaling.collectAsList()) {
            md.append("| ").append(r.getString(0)).append(" | ").append(r.isNullAt(1) ? "–" : Format.num(r.getDouble(1)))
                    .append(" | ").append(r.<Integer>getAs("d")).append(" | ").append(Format.num(r.<Double>getAs("eta")))
                    .append(" | ").append(r.<Integer>getAs("points")).append(" | ")
                    .append(r.isNullAt(r.fieldIndex("n_min")) ? "–" : r.getAs("n_min") + "–" + r.getAs("n_max")).append(" | ")
                    .append(cell(r, r.fieldIndex("exponent"))).append(" | [").append(cell(r, r.fieldIndex("exponent_lo")))
                    .append(", ").append(cell(r, r.fieldIndex("exponent_hi"))).append("] | ").append(cell(r, r.fieldIndex("r2")))
                    .append(" | ").append(cell(r, r.fieldIndex("theory_exponent"))).append(" | ")
                    .append(r.isNullAt(r.fieldIndex("theory")) ? "–" : r.<String>getAs("theory")).append(" |\n");
        }
        List<Row> ratios = rates.orderBy("model", "alpha", "d", "eta", "prediction", "n").collectAsList();
        md.append("\n## Rates against predictions\n\n");
        if (ratios.isEmpty()) {
            return md.append("No predictions: kernel instruments were off (`instruments: {kernels: true}`).\n").toString();
        }
        md.append("Converged trials only, all widths and seeds of a group; `applies` marks the theorem stated for the group's")
                .append(" model and α (Thm 4.1: wn, α ≤ 1; Thm 4.2: wn, α ≥ 1; Du et al.: relu), its width and step-size conditions aside.\n\n")
                .append("| model | α | n | d | η | prediction | applies | trials | median rate | predicted | median ratio | quartiles |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : ratios) {
            md.append("| ").append(groupCells(r)).append(" | ").append(ThresholdFigures.predictionName(r.getAs("prediction")))
                    .append(" | ").append(r.<Boolean>getAs("applies") ? "yes" : "no").append(" | ").append(r.<Long>getAs("trials"))
                    .append(" | ").append(cell(r, r.fieldIndex("rate_median"))).append(" | ").append(cell(r, r.fieldIndex("predicted_median")))
                    .append(" | ").append(cell(r, r.fieldIndex("ratio_median"))).append(" | [").append(cell(r, r.fieldIndex("ratio_q25")))
                    .append(", ").append(cell(r, r.fieldIndex("ratio_q75"))).append("] |\n");
        }
        return md.toString();
    }

    /** The atlas in {@code summary.md} (adaptive search only; empty otherwise): one row per variant, as in index.html. */
    static String atlas(List<Atlas.Variant> atlas) {
        if (atlas.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Atlas\n\nJoint fit `P(m, n) = (1 − λ) F((ln m − a − p ln n)/s)` of each variant's trials")
                .append(" (adaptive search; docs/tables.md, `scaling` with `method = adaptive`). Budget ratio: m* with more steps over m*")
                .append(" with the configured ones (flagged outside [0.8, 1.25]).\n\n")
                .append("| variant | p | 95% interval | budget-converged p [95%] | theory | budget ratio | 95% interval | trials | target reached | misfit | λ | s |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Atlas.Variant v : atlas) {
            Row r = v.fit();
            boolean flag = !v.isNull("budget_flag") && r.<Boolean>getAs("budget_flag");
            String misfit = v.isNull("misfit") ? "" : r.getAs("misfit");
            md.append("| ").append(v.label()).append(" | ").append(cell(v, "exponent")).append(" | [").append(cell(v, "exponent_lo"))
                    .append(", ").append(cell(v, "exponent_hi")).append("] | ").append(ladder(v)).append(" | ")
                    .append(v.isNull("theory_exponent") ? "–" : cell(v, "theory_exponent") + (v.isNull("theory") ? "" : " (" + r.getAs("theory") + ")"))
                    .append(" | ").append(cell(v, "budget_ratio")).append(flag ? " **threshold measures the step budget**" : "").append(" | [")
                    .append(cell(v, "budget_ratio_lo")).append(", ").append(cell(v, "budget_ratio_hi")).append("] | ")
                    .append(v.isNull("trials") ? "–" : r.get(r.fieldIndex("trials")).toString()).append(" | ")
                    .append(v.isNull("target_reached") ? "–" : r.<Boolean>getAs("target_reached") ? "yes" : "no").append(" | ")
                    .append(misfit.isEmpty() ? "fits" : "**" + HtmlReport.misfitText(misfit) + "**").append(" | ")
                    .append(cell(v, "lapse")).append(" | ").append(cell(v, "slope_s")).append(" |\n");
        }
        return md.toString();
    }

    /** The budget ladder's verdict, as in index.html's atlas table. */
    private static String ladder(Atlas.Variant v) {
        if (v.isNull("budget_converged")) {
            return "–";
        }
        Row r = v.fit();
        return r.<Boolean>getAs("budget_converged")
                ? "**" + cell(v, "p_budget") + "** [" + cell(v, "p_budget_lo") + ", " + cell(v, "p_budget_hi") + "] from "
                        + r.get(r.fieldIndex("settled_budget")) + " steps"
                : "**not budget-converged**";
    }

    private static String cell(Atlas.Variant v, String column) {
        return v.isNull(column) ? "–" : Format.fmt(v.d(column));
    }

    private static String groupCells(Row r) {
        return r.getAs("model") + " | " + (r.isNullAt(r.fieldIndex("alpha")) ? "–" : Format.num(r.<Double>getAs("alpha")))
                + " | " + r.getAs("n") + " | " + r.getAs("d") + " | " + Format.num(r.<Double>getAs("eta"));
    }

    private static String cell(Row r, int i) {
        return r.isNullAt(i) ? "–" : Format.fmt(((Number) r.get(i)).doubleValue());
    }

}
