package org.overparam.trainer.models;

import java.util.List;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** {@code relu}: the un-normalized two-layer ReLU net of Du et al. 2019 (theory.md §1). */
final class ReluModel extends TwoLayerReluModel {
    @Override
    public ModelKind kind() {
        return ModelKind.RELU;
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of();
    }

    @Override
    public List<WidthBound> widthBounds() {
        return List.of(new WidthBound(AlphaRange.ALL, 6, "Du et al.: m = Ω(n⁶/(λmin(H∞)⁴ δ³))"));
    }

    @Override
    public List<RatePrediction> ratePredictions() {
        return List.of(new RatePrediction("du", "Du et al. (relu)", AlphaRange.ALL, "η ≤ 1/λmax(H(0))",
                TrialMetric.RATE_PRED_H, TrialMetric.WIDTH_PRED_H, TrialMetric.LAMBDA_MAX_LAMBDA0, true));
    }

    @Override
    protected TwoLayerReluNet build(TrialSpec spec, Dataset data, InitialDraws init, RowMajorBlas blas) {
        return new ReluNet(data, init, blas, spec.loss());
    }
}
