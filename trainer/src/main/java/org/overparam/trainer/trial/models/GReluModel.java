package org.overparam.trainer.trial.models;

import java.util.List;
import java.util.Map;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.model.DeepGatedNet;
import org.overparam.trainer.model.GReluNet;
import org.overparam.trainer.model.GReluToRelu;
import org.overparam.trainer.model.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@code grelu}: the deep net with gates fixed by a random path (theory.md §4, paper 002); also measures
 * how far the trained net is from a ReLU net of the same function ({@link GReluToRelu}).
 */
final class GReluModel extends DeepGatedModel {
    private static final List<TrialMetric> METRICS = List.of(TrialMetric.MSE, TrialMetric.GRAD_CHANGE,
            TrialMetric.PATTERN_HAMMING, TrialMetric.GRELU_RELU_MAX_ABS_DIFF, TrialMetric.GRELU_RELU_RANK);

    @Override
    public ModelKind kind() {
        return ModelKind.GRELU;
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    protected DeepGatedNet build(TrialSpec spec, Dataset data, RowMajorBlas blas) {
        return new GReluNet(data, spec.seed(), spec.m(), spec.params().depth(), blas);
    }

    /** The gates are fixed: none change. */
    @Override
    protected double patternChange(DeepGatedNet net) {
        return 0.0;
    }

    @Override
    protected void measure(DeepGatedNet net, RowMajorBlas blas, Map<TrialMetric, Double> metrics) {
        double[] diff;
        try {
            diff = GReluToRelu.maxAbsDifference(net, blas);
        } catch (ArithmeticException e) {
            diff = new double[] {Double.NaN, Double.NaN};
        }
        metrics.put(TrialMetric.GRELU_RELU_MAX_ABS_DIFF, diff[0]);
        metrics.put(TrialMetric.GRELU_RELU_RANK, diff[1]);
    }
}
