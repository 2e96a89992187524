package org.overparam.trainer.models;

import java.util.List;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.nets.WeightNormNet;
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
    protected TwoLayerReluNet build(TrialSpec spec, Dataset data, InitialDraws init, RowMajorBlas blas) {
        return new WeightNormNet(data, init, spec.alpha(), blas);
    }
}
