package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Owned by {@code grelu} and {@code deep-relu}: their paper's (002) Figure 2a–c.
 */
final class DeepDynamicsFigures implements ReportFigure {
    @Override
    public java.util.List<org.overparam.trainer.trial.ModelKind> models() {
        return java.util.List.of(org.overparam.trainer.trial.ModelKind.GRELU, org.overparam.trainer.trial.ModelKind.DEEP_RELU);
    }

    /**
     * Paper 002 Figure 2a–c for grelu and deep-relu, one line per model and width: the MSE {@code 2·loss/(n d_y)}
     * against the step, the maximum over seeds at widths {@code m ≥ n²L d_y} (Theorem 1's) and the minimum
     * below, as the paper plots (2a); {@code ‖g_t − g_{t−1}‖} (2b) and the fraction of gates changed by each
     * step (2c), means over seeds. At each step, over the seeds still running there.
     */
    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        if (!java.util.Arrays.asList(trials.columns()).contains("L")) {
            return;
        }
        Dataset<Row> deep = trials.filter(col("L").isNotNull()).select("trial_id", "model", "n", "d_y", "L", "m");
        List<Row> rows = curves.join(deep, "trial_id")
                .groupBy("model", "n", "d_y", "L", "m", "step")
                .agg(org.apache.spark.sql.functions.max("loss").as("max_loss"), org.apache.spark.sql.functions.min("loss").as("min_loss"),
                        org.apache.spark.sql.functions.avg("grad_change").as("grad_change"),
                        org.apache.spark.sql.functions.avg("pattern_hamming").as("hamming"))
                .orderBy("model", "n", "d_y", "L", "m", "step").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(r.getAs("model") + " n=" + r.getAs("n") + " m=" + r.getAs("m"), k -> new ArrayList<>()).add(r);
        }
        Chart mse = new Chart("MSE against step (paper 002 Figure 2a)", "step", "MSE: max over seeds at m ≥ n²L d_y, min below", true, true);
        Chart grad = new Chart("Gradient differences (paper 002 Figure 2b)", "step", "‖g_t − g_{t−1}‖ (mean over seeds)", true, true);
        Chart hamming = new Chart("Changed ReLU patterns (paper 002 Figure 2c)", "step", "fraction of gates changed by the step (mean over seeds)", true, false);
        int g = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (g++ >= ReportWriter.MAX_GROUPS) {
                break;
            }
            Row first = e.getValue().get(0);
            double n = ((Number) first.getAs("n")).doubleValue();
            double dy = ((Number) first.getAs("d_y")).doubleValue();
            double depth = ((Number) first.getAs("L")).doubleValue();
            boolean theory = ((Number) first.getAs("m")).doubleValue() >= n * n * depth * dy;
            double[] step = Format.column(e.getValue(), "step");
            double[] loss = Format.column(e.getValue(), theory ? "max_loss" : "min_loss");
            for (int i = 0; i < loss.length; i++) {
                loss[i] *= 2.0 / (n * dy);
            }
            mse.line(e.getKey() + (theory ? " (max over seeds)" : " (min over seeds)"), step, loss);
            grad.line(e.getKey(), step, Format.column(e.getValue(), "grad_change"));
            hamming.line(e.getKey(), step, Format.column(e.getValue(), "hamming"));
        }
        String section = "Paper figures";
        sink.save(mse, section, "deep_mse_vs_step.png", "Paper 002 Figure 2a: training MSE against the step; at Theorem 1's width "
                + "n²L d_y and above the worst seed, below it the best seed.");
        sink.save(grad, section, "deep_grad_change_vs_step.png", "Paper 002 Figure 2b: ‖g_t − g_{t−1}‖ between successive gradients, mean over seeds.");
        sink.save(hamming, section, "deep_hamming_vs_step.png", "Paper 002 Figure 2c: fraction of the ReLU gates changed by each step "
                + "(0 for GReLU, whose gates are fixed), mean over seeds.");
    }
}
