package org.overparam.trainer.models;

import java.util.List;
import java.util.Map;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.DeepGatedNet;
import org.overparam.trainer.nets.DeepReluNet;
import org.overparam.trainer.nets.GReluNet;
import org.overparam.trainer.nets.GReluToRelu;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@code grelu}: the deep net with gates fixed by a random path (theory.md §4, paper 002); also measures
 * how far the trained net is from a ReLU net of the same function ({@link GReluToRelu}). With
 * {@code convert_at: s} the GReLU net is converted to that ReLU net after step {@code s} and GD goes on with
 * the ReLU net (paper 002 Sec. 6.4, Figure 3b–c); the losses on both sides of the switch are measured.
 */
final class GReluModel extends DeepGatedModel {
    private static final List<TrialMetric> METRICS = List.of(TrialMetric.MSE, TrialMetric.TEST_MSE, TrialMetric.TRAIN_ERROR, TrialMetric.TEST_ERROR, TrialMetric.GRAD_CHANGE,
            TrialMetric.PATTERN_HAMMING, TrialMetric.GRELU_RELU_MAX_ABS_DIFF, TrialMetric.GRELU_RELU_RANK,
            TrialMetric.SWITCH_LOSS_BEFORE, TrialMetric.SWITCH_LOSS_AFTER, TrialMetric.SWITCH_TEST_MSE,
            TrialMetric.SWITCH_TEST_MSE_AFTER);

    @Override
    public ModelKind kind() {
        return ModelKind.GRELU;
    }

    /** Thm 1 with L = Ω(log n); Remark 1: the same Ω̃(n²) for one hidden layer, so also at the small L a sweep uses. */
    @Override
    public List<WidthBound> widthBounds() {
        return List.of(new WidthBound(AlphaRange.ALL, 2, "002 Thm 1: m = Ω̃(n² L d_y), L = Ω(log n) (Remark 1: Ω̃(n²) for one hidden layer)"));
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of(GridKey.DEPTH, GridKey.OUTPUTS, GridKey.CONVERT_AT);
    }

    /** The deep parameters, each with every switch step of {@code convert_at} (none when it is not set). */
    @Override
    public List<ModelParams> params(ModelAxes axes, int d, int m, int dataOutputs) {
        if (axes.convertAt().isEmpty()) {
            return super.params(axes, d, m, dataOutputs);
        }
        List<ModelParams> out = new java.util.ArrayList<>();
        for (ModelParams p : super.params(axes, d, m, dataOutputs)) {
            for (int step : axes.convertAt()) {
                out.add(ModelParams.deepConverted(p.depth(), p.outputs(), step));
            }
        }
        return out;
    }

    @Override
    public int paramCount(ModelAxes axes) {
        return super.paramCount(axes) * Math.max(1, axes.convertAt().size());
    }

    @Override
    public boolean accepts(ModelParams p) {
        return super.accepts(new ModelParams(p.depth(), p.outputs(), p.omega1(), p.omega2(), p.activation(), p.optimizer(),
                p.epsilon(), p.batch(), null));
    }

    @Override
    protected DeepGatedNet build(TrialSpec spec, Dataset data, RowMajorBlas blas) {
        return new GReluNet(data, spec.seed(), spec.m(), spec.params().depth(), blas, spec.loss());
    }

    /** The gates are fixed: none change (after a GReLU→ReLU switch, the ReLU net's changes). */
    @Override
    protected double patternChange(DeepGatedNet net) {
        return net instanceof DeepReluNet relu ? relu.patternChange() : 0.0;
    }

    @Override
    protected void measure(DeepGatedNet net, RowMajorBlas blas, Map<TrialMetric, Double> metrics) {
        if (!(net instanceof GReluNet)) {
            metrics.put(TrialMetric.GRELU_RELU_MAX_ABS_DIFF, Double.NaN);
            metrics.put(TrialMetric.GRELU_RELU_RANK, Double.NaN);
            return;
        }
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
