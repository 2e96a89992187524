package org.overparam.trainer.trial.models;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.model.DeepGatedNet;
import org.overparam.trainer.trial.MemoryBudget;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The deep gated models of theory.md §4 ({@code grelu}, {@code deep-relu}): {@code L} trained
 * {@code m×m} layers, {@code d_y} outputs, full-batch GD with {@link StopRule}, the gradient change and
 * gate changes traced at the log-spaced steps. Subclasses make the net and measure what is theirs.
 */
abstract class DeepGatedModel implements TrialModel {
    private static final List<CurveMetric> CURVE_METRICS = List.of(CurveMetric.GRAD_CHANGE, CurveMetric.PATTERN_HAMMING);

    /** The net of {@code spec} on {@code data}, from the trial's seed. */
    protected abstract DeepGatedNet build(TrialSpec spec, Dataset data, RowMajorBlas blas);

    /** Fraction of gates changed since the previous step (0 where the gates are fixed). */
    protected abstract double patternChange(DeepGatedNet net);

    /** Metrics of the trained net beyond the shared ones. */
    protected void measure(DeepGatedNet net, RowMajorBlas blas, Map<TrialMetric, Double> metrics) {
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of(GridKey.DEPTH, GridKey.OUTPUTS);
    }

    @Override
    public List<GridKey> requiredKeys() {
        return List.of(GridKey.DEPTH);
    }

    @Override
    public List<ModelParams> params(ModelAxes axes, int d, int m, int dataOutputs) {
        List<ModelParams> out = new ArrayList<>();
        for (int l : axes.depth()) {
            for (int dy : axes.outputsOr(dataOutputs)) {
                out.add(ModelParams.deep(l, dy));
            }
        }
        return out;
    }

    @Override
    public int paramCount(ModelAxes axes) {
        return axes.depth().size() * axes.outputCount();
    }

    @Override
    public boolean accepts(ModelParams p) {
        return p.depth() != null && p.outputs() != null
                && p.omega1() == null && p.omega2() == null && p.activation() == null && p.optimizer() == null
                && p.epsilon() == null && p.batch() == null;
    }

    /** {@code 6 L n m²} (forward, weight gradient and back-propagation per layer) plus the input layer's {@code 2 n d m}. */
    @Override
    public double flopsPerStep(TrialSpec spec) {
        double ndm = (double) spec.n() * spec.d() * spec.m();
        return 6.0 * spec.params().depth() * (double) spec.n() * spec.m() * spec.m() + 2.0 * ndm;
    }

    @Override
    public List<String> summaryColumns() {
        return List.of("mse", "grad_change", "pattern_hamming", "grelu_relu_max_abs_diff");
    }

    @Override
    public List<CurveMetric> curveMetrics() {
        return CURVE_METRICS;
    }

    @Override
    public void requireMemory(TrialSpec spec) {
        int depth = spec.params().depth();
        long bytes = DeepGatedNet.estimateBytes(spec.n(), spec.d(), spec.params().outputs(), spec.m(), depth, true);
        MemoryBudget.require(bytes, key() + " with L=" + depth + ", m=" + spec.m() + ", n=" + spec.n()
                + " (" + depth + " trained m×m layers, their previous gradients, features of every example)");
    }

    @Override
    public ModelTraining start(TrialSpec spec, DataSource source, TrialContext context) {
        Dataset data = source.load(spec.n(), spec.d(), spec.params().outputs());
        DeepGatedNet net = build(spec, data, context.blas());
        net.trackGradientChange();
        return new Training(spec, net, context.blas());
    }

    private final class Training implements ModelTraining {
        private final TrialSpec spec;
        private final DeepGatedNet net;
        private final RowMajorBlas blas;
        private final TracedCurves trace = new TracedCurves(CURVE_METRICS);

        Training(TrialSpec spec, DeepGatedNet net, RowMajorBlas blas) {
            this.spec = spec;
            this.net = net;
            this.blas = blas;
        }

        @Override
        public TrainingRun train(Deadline deadline) {
            return new GradientDescent(spec.eta(), new StopRule(spec.steps(), spec.tolerance())).run(net,
                    new LogSpacedObserver(spec.steps()) {
                        @Override
                        public void observe(int step, double loss) {
                            trace.put(step, net.gradientChange(), patternChange(net));
                        }
                    }, deadline);
        }

        @Override
        public Map<TrialMetric, Double> metrics(TrainingRun run) {
            Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
            metrics.put(TrialMetric.MSE, net.meanSquaredError());
            metrics.put(TrialMetric.GRAD_CHANGE, net.gradientChange());
            metrics.put(TrialMetric.PATTERN_HAMMING, patternChange(net));
            measure(net, blas, metrics);
            return metrics;
        }

        @Override
        public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
            return trace.at(steps);
        }
    }
}
