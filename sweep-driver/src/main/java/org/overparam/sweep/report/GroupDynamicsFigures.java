package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per group (model with its variant, α, n, d, η: {@link ReportWriter#GROUP}), one series per width m, medians over
 * seeds: loss/loss0, flipped activations, largest weight movement and λmin(Λ(s)) against the GD step, for
 * the first {@link ReportWriter#MAX_GROUPS} groups. A group with more than {@link ReportWriter#MAX_WIDTHS}
 * widths (a width search) gets lines for that many, spread evenly in log m.
 */
final class GroupDynamicsFigures implements ReportFigure {
    private final List<Row> groups;

    /** @param groups the groups in order ({@link ReportWriter#GROUP} columns) */
    GroupDynamicsFigures(List<Row> groups) {
        this.groups = groups;
    }

    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        Map<String, Map<Integer, List<Row>>> medians = curveMedians(trials, curves);
        int plotted = 0;
        for (Row g : groups) {
            if (plotted++ >= ReportWriter.MAX_GROUPS) {
                break;
            }
            groupPlots(g, medians.getOrDefault(Format.groupKey(g), Map.of()), sink);
        }
    }

    /** Medians over seeds per (group, m, step): group key → m → rows ordered by step. */
    private Map<String, Map<Integer, List<Row>>> curveMedians(Dataset<Row> trials, Dataset<Row> curves) {
        Dataset<Row> joined = curves.join(trials.select("trial_id", "model", "alpha", "n", "d", "eta", "m", "loss0", "steps"), "trial_id")
                .withColumn("width_key", concat_ws("|", col("model"), coalesce(col("alpha").cast("string"), lit("-")),
                        col("n"), col("d"), col("eta"), col("m")));
        // A trial that stopped early (converged or diverged) stays where training left it: carry its last
        // values to the later steps of its width's other seeds, so that each median is over every seed
        // rather than over the slowest ones still running. Steps where some seed has no value (another
        // seed's last step, off the common log-spaced steps) are left out.
        Dataset<Row> steps = joined.select(col("width_key"), col("step").as("later_step")).distinct();
        Dataset<Row> carried = joined.filter(col("step").equalTo(col("steps")))
                .join(steps, "width_key")
                .filter(col("later_step").gt(col("steps")))
                .drop("step")
                .withColumnRenamed("later_step", "step");
        Dataset<Row> seedsPerWidth = joined.groupBy("width_key").agg(countDistinct("trial_id").as("width_seeds"));
        List<Row> rows = joined.unionByName(carried).groupBy("width_key", "model", "alpha", "n", "d", "eta", "m", "step")
                .agg(percentile_approx(col("loss").divide(col("loss0")), lit(0.5), lit(1000)).as("rel_loss"),
                        percentile_approx(col("act_flip_frac"), lit(0.5), lit(1000)).as("flips"),
                        percentile_approx(col("max_move_w"), lit(0.5), lit(1000)).as("move"),
                        percentile_approx(col("lambda_min_lambda"), lit(0.5), lit(1000)).as("lambda_min"),
                        count(lit(1)).as("seeds"))
                .join(seedsPerWidth, "width_key")
                .filter(col("seeds").equalTo(col("width_seeds")))
                .orderBy("model", "alpha", "n", "d", "eta", "m", "step").collectAsList();
        Map<String, Map<Integer, List<Row>>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(Format.groupKey(r), k -> new TreeMap<>())
                    .computeIfAbsent(r.<Integer>getAs("m"), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private void groupPlots(Row group, Map<Integer, List<Row>> byWidth, FigureSink sink) throws IOException {
        String title = Format.groupTitle(group);
        String slug = Format.slug(group);
        String section = "Training dynamics: " + title;
        // When some widths finish ten times sooner than the slowest, a linear step axis crushes them
        // against step 0: draw the steps on a log axis (from step 1) instead.
        int firstEnd = Integer.MAX_VALUE;
        int lastEnd = 0;
        for (List<Row> rows : byWidth.values()) {
            int end = rows.get(rows.size() - 1).<Integer>getAs("step");
            firstEnd = Math.min(firstEnd, end);
            lastEnd = Math.max(lastEnd, end);
        }
        boolean logSteps = lastEnd >= 10L * Math.max(1, firstEnd);
        String stepAxis = logSteps ? "GD step (log scale)" : "GD step";
        Chart loss = new Chart("Loss, " + title, stepAxis, "loss / loss0 (median over seeds)", logSteps, true);
        Chart flips = new Chart("Flipped activation patterns, " + title, stepAxis, "fraction of 1{w_k·x_i ≥ 0} changed since init", logSteps, false);
        Chart move = new Chart("Largest weight movement, " + title, stepAxis, "max_k ‖w_k(s) − w_k(0)‖", logSteps, false);
        Chart lambda = new Chart("λmin(Λ(s)), " + title, stepAxis, "smallest eigenvalue of the training kernel", logSteps, true);
        java.util.Set<Integer> shown = Format.spreadInLog(byWidth.keySet(), ReportWriter.MAX_WIDTHS);
        double largestLambda = byWidth.values().stream().flatMap(List::stream)
                .filter(r -> !r.isNullAt(r.fieldIndex("lambda_min"))).mapToDouble(r -> r.<Double>getAs("lambda_min")).max().orElse(0);
        for (Map.Entry<Integer, List<Row>> e : byWidth.entrySet()) {
            if (!shown.contains(e.getKey())) {
                continue;
            }
            String name = "m=" + e.getKey();
            List<Row> rows = e.getValue();
            double[] steps = Format.column(rows, "step");
            loss.line(name, steps, Format.column(rows, "rel_loss"));
            // Flips and movements exist at the instrumented steps only (a few, log-spaced): markers, not
            // lines, so that nothing is implied between them.
            double[][] f = Format.nonNull(rows, "flips");
            flips.markers(name, f[0], f[1]);
            double[][] mv = Format.nonNull(rows, "move");
            move.markers(name, mv[0], mv[1]);
            double[][] lm = Format.nonNull(rows, "lambda_min");
            // A kernel of rank below n (m·d < n) has λmin zero up to rounding (1e-17…1e-15): not drawn,
            // or it would stretch the log axis over a dozen decades.
            for (int i = 0; i < lm[1].length; i++) {
                if (lm[1][i] <= ReportWriter.SINGULAR * largestLambda) {
                    lm[1][i] = Double.NaN;
                }
            }
            lambda.markers(name, lm[0], lm[1]);
        }
        sink.save(loss, section, "loss_" + slug + ".png", "Training loss relative to its initial value, median over seeds (a seed that stopped"
                + " keeps its last value), one line per width.");
        sink.save(flips, section, "flips_" + slug + ".png", "Fraction of activation indicators 1{w_k·x_i ≥ 0} that differ from init (Du et al. Fig. 1b).");
        sink.save(move, section, "move_" + slug + ".png", "Largest distance of a neuron's effective weights from init (Du et al. Fig. 1c).");
        sink.save(lambda, section, "lambda_" + slug + ".png", "Smallest eigenvalue of Λ(s) = V/α² + G (wn) or H (relu) at the instrumented steps"
                + " (where the kernel is singular, λmin ≤ 1e-10 of the group's largest value, i.e. zero to rounding, no point is drawn).");
    }
}
