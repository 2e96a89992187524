package org.overparam.trainer.models;

import java.util.List;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** {@code wn}: the weight-normalized two-layer ReLU net with init scale α (theory.md §2). */
final class WeightNormModel extends TwoLayerReluModel {
    @Override
    public ModelKind kind() {
        return ModelKind.WN;
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of(GridKey.ALPHA);
    }

    @Override
    public List<WidthBound> widthBounds() {
        return List.of(new WidthBound(AlphaRange.atMost(1), 4, "Thm 4.1 (α ≤ 1): m = Ω(n⁴ log(n/δ)/λ0⁴)"),
                new WidthBound(AlphaRange.above(1), 2, "Thm 4.2 (α > 1, best α): m = Ω(n² log(n/δ)/μ0²)"));
    }

    /** Thm 4.1 for α ≤ 1 and Thm 4.2 for α ≥ 1 (both hold at α = 1). */
    @Override
    public List<RatePrediction> ratePredictions() {
        return List.of(
                new RatePrediction("thm4.1", "Thm 4.1 (wn, V-dominated)", AlphaRange.atMost(1), "α ≤ 1, η ≤ α²/‖V∞‖",
                        TrialMetric.RATE_PRED_V, TrialMetric.WIDTH_PRED_V, TrialMetric.ETA_MAX_V, false),
                new RatePrediction("thm4.2", "Thm 4.2 (wn, G-dominated)", AlphaRange.atLeast(1), "α ≥ 1, η ≤ 1/λmax(Λ(0))",
                        TrialMetric.RATE_PRED_G, TrialMetric.WIDTH_PRED_G, TrialMetric.LAMBDA_MAX_LAMBDA0, true));
    }

    @Override
    protected TwoLayerReluNet build(TrialSpec spec, Dataset data, InitialDraws init, RowMajorBlas blas) {
        return new WeightNormNet(data, init, spec.alpha(), blas, spec.loss());
    }
}
