package org.overparam.trainer.models;

import java.util.List;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.DeepGatedNet;
import org.overparam.trainer.nets.DeepReluNet;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** {@code deep-relu}: the deep gated shape with ordinary ReLU gates from its own pre-activations (theory.md §4). */
final class DeepReluModel extends DeepGatedModel {
    private static final List<TrialMetric> METRICS =
            List.of(TrialMetric.MSE, TrialMetric.TEST_MSE, TrialMetric.TRAIN_ERROR, TrialMetric.TEST_ERROR, TrialMetric.GRAD_CHANGE,
                    TrialMetric.PATTERN_HAMMING);

    @Override
    public ModelKind kind() {
        return ModelKind.DEEP_RELU;
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    protected DeepGatedNet build(TrialSpec spec, Dataset data, RowMajorBlas blas) {
        return new DeepReluNet(data, spec.seed(), spec.m(), spec.params().depth(), blas);
    }

    @Override
    protected double patternChange(DeepGatedNet net) {
        return ((DeepReluNet) net).patternChange();
    }
}
