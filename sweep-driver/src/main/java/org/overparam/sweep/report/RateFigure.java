package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.sweep.analysis.ModelTheory;

/**
 * Each converged trial's fitted rate against its theorem's prediction, inside and outside each theorem's
 * step-size condition (theory.md §1–2); drawn when the trials carry predictions ({@code instruments.kernels}).
 */
final class RateFigure implements ReportFigure {
    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        // Converged trials: a run that stalled has a rate fitted to a flat curve, orders of magnitude below.
        List<Row> rows = trials.filter(col("rate").isNotNull().and(col("rate_pred_h").isNotNull()).and(col("status").equalTo("converged")))
                .select("model", "alpha", "eta", "rate", "rate_pred_v", "rate_pred_g", "rate_pred_h", "eta_max_v",
                        "lambda_max_lambda0").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        List<ModelTheory.Prediction> predictions = ModelTheory.predictions();
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Row r : rows) {
            String model = r.getAs("model");
            Double alpha = r.isNullAt(r.fieldIndex("alpha")) ? null : r.<Double>getAs("alpha");
            // A trial is compared with the first of its model's predictions whose α range holds it.
            ModelTheory.Prediction theory = predictions.stream()
                    .filter(p -> p.model().equals(model) && p.prediction().alpha().contains(alpha)).findFirst().orElse(null);
            if (theory == null) {
                continue;
            }
            double rate = r.getAs("rate");
            double eta = r.getAs("eta");
            double pred = r.<Double>getAs(theory.prediction().rate().column());
            String limit = theory.prediction().stepLimit().column();
            boolean met = !r.isNullAt(r.fieldIndex(limit)) && eta <= theory.prediction().stepBound(r.<Double>getAs(limit));
            String name = (met ? theory.prediction().name() + ": " : "outside " + theory.prediction().name() + ": ")
                    + theory.prediction().condition().replace("η ≤", met ? "η ≤" : "η >");
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {pred, rate});
            if (pred > 0 && rate > 0) {
                lo = Math.min(lo, Math.min(pred, rate));
                hi = Math.max(hi, Math.max(pred, rate));
            }
        }
        Chart chart = new Chart("Measured convergence rate against the theorems' predictions", "predicted rate (constants = 1)", "measured rate ρ", true, true);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            chart.scatter(e.getKey(), e.getValue().stream().mapToDouble(p -> p[0]).toArray(),
                    e.getValue().stream().mapToDouble(p -> p[1]).toArray());
        }
        if (hi > 0) {
            chart.reference("measured = predicted", new double[] {lo, hi}, new double[] {lo, hi});
        }
        sink.save(chart, "Theory: rates", "rate_vs_prediction.png",
                "Each converged trial's fitted per-step rate against its prediction (hidden constants 1); above the dashed line the predicted rate is beaten. Series separate trials inside and outside each theorem's step-size condition; no trial meets the width conditions with constants 1 (see summary.md).");
    }
}
