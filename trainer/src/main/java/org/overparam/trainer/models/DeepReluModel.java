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

    /**
     * None: 002 proves Theorem 1 for GReLU, whose gates are fixed at init; a ReLU net trained by GD with its own
     * gates is covered only through Theorem 2, which converts a trained GReLU net into a ReLU net with the same
     * train-set features — a statement about GReLU's training, not a width at which GD on the ReLU net converges
     * (the paper's Fig. 2a suggests n²L empirically; the bounds it cites, e.g. Zou and Gu's n⁸L¹², are for
     * other inits and losses).
     */
    @Override
    public List<WidthBound> widthBounds() {
        return List.of();
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    protected DeepGatedNet build(TrialSpec spec, Dataset data, RowMajorBlas blas) {
        return new DeepReluNet(data, spec.seed(), spec.m(), spec.params().depth(), blas, spec.loss());
    }

    @Override
    protected double patternChange(DeepGatedNet net) {
        return ((DeepReluNet) net).patternChange();
    }
}
