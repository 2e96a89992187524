package org.overparam.trainer.models;

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
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.nets.DeepGatedNet;
import org.overparam.trainer.nets.GReluToRelu;
import org.overparam.trainer.nets.TrainableNet;
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

    /** MSE, and the squared hinge for labels ±1 and one output (theory.md §8). */
    @Override
    public List<Loss> losses() {
        return List.of(Loss.MSE, Loss.SQUARED_HINGE);
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
                && p.epsilon() == null && p.batch() == null && p.convertAt() == null;
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
        Dataset test = source.heldOut(spec.n(), spec.d(), spec.params().outputs());
        DeepGatedNet net = build(spec, data, context.blas());
        net.trackGradientChange();
        return new Training(spec, new Switching(net, spec.params().convertAt(), test, context.blas()), data, test, context.blas());
    }

    /** The mean squared error {@code Σ ‖f − y‖²/(rows d_y)} of {@code net} on {@code data}. */
    static double testMse(DeepGatedNet net, Dataset data) {
        double[] out = net.predict(data.x(), data.n());
        double s = 0;
        for (int t = 0; t < out.length; t++) {
            double e = out[t] - data.y()[t];
            s += e * e;
        }
        return s / out.length;
    }

    /**
     * The trained net, which after step {@code convertAt} (grelu, paper 002 Sec. 6.4) is replaced by its ReLU
     * conversion ({@link GReluToRelu#toReluNet}): the forward after that step evaluates the GReLU net, converts
     * it and returns the ReLU net's loss, which GD then trains. The GReLU's and the ReLU's loss at the switch and
     * the test MSE of both there are kept.
     */
    static final class Switching implements TrainableNet {
        private DeepGatedNet net;
        private final Integer convertAt;
        private final Dataset test;
        private final RowMajorBlas blas;
        private int steps;
        private boolean switched;
        private double lossBefore = Double.NaN;
        private double lossAfter = Double.NaN;
        private double testBefore = Double.NaN;
        private double testAfter = Double.NaN;

        Switching(DeepGatedNet net, Integer convertAt, Dataset test, RowMajorBlas blas) {
            this.net = net;
            this.convertAt = convertAt;
            this.test = test;
            this.blas = blas;
        }

        DeepGatedNet active() {
            return net;
        }

        boolean switched() {
            return switched;
        }

        @Override
        public double forward() {
            double loss = net.forward();
            if (convertAt != null && !switched && steps == convertAt && Double.isFinite(loss)) {
                lossBefore = loss;
                if (test != null) {
                    testBefore = testMse(net, test);
                }
                DeepGatedNet relu = GReluToRelu.toReluNet(net, blas);
                relu.trackGradientChange();
                net = relu;
                switched = true;
                loss = net.forward();
                lossAfter = loss;
                if (test != null) {
                    testAfter = testMse(net, test);
                }
            }
            return loss;
        }

        @Override
        public void step(double eta) {
            net.step(eta);
            steps++;
        }

        @Override
        public double[] gradient() {
            return net.gradient();
        }

        @Override
        public double[] parameters() {
            return net.parameters();
        }

        @Override
        public void setParameters(double[] theta) {
            net.setParameters(theta);
        }

        @Override
        public double[] outputs() {
            return net.outputs();
        }
    }

    private final class Training implements ModelTraining {
        private final TrialSpec spec;
        private final Switching net;
        private final Dataset train;
        private final Dataset test;
        private final RowMajorBlas blas;
        private final TracedCurves trace = new TracedCurves(CURVE_METRICS);
        private final UnfittedTrace unfitted = new UnfittedTrace();

        Training(TrialSpec spec, Switching net, Dataset train, Dataset test, RowMajorBlas blas) {
            this.spec = spec;
            this.net = net;
            this.train = train;
            this.test = test;
            this.blas = blas;
        }

        @Override
        public TrainingRun train(Deadline deadline) {
            return new GradientDescent(spec.stepSize(), ModelTraining.stopRule(spec)).run(net,
                    new LogSpacedObserver(spec.steps()) {
                        @Override
                        public void observe(int step, double loss) {
                            trace.put(step, net.active().gradientChange(), patternChange(net.active()));
                            unfitted.record(step, loss, loss0 -> count(loss0));
                        }
                    }, deadline);
        }

        /** The {@link Unfitted} count at the active net's last forward. */
        private int count(double loss0) {
            return Unfitted.count(spec.loss(), net.active().outputs(), train.y(), train.n(), train.dy(), spec.tolerance(), loss0);
        }

        @Override
        public int[] curveUnfitted(int[] steps) {
            return unfitted.at(steps);
        }

        /** At the active net (after a GReLU→ReLU switch, the ReLU net that was trained last). */
        @Override
        public Evidence evidence(TrainingRun run) {
            DeepGatedNet active = net.active();
            double loss = active.forward();
            int count = count(run.initialLoss());
            return new Evidence(Unfitted.plRatio(active.gradient(), loss), count);
        }

        @Override
        public Map<TrialMetric, Double> metrics(TrainingRun run) {
            Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
            DeepGatedNet active = net.active();
            metrics.put(TrialMetric.MSE, active.meanSquaredError());
            metrics.put(TrialMetric.GRAD_CHANGE, active.gradientChange());
            metrics.put(TrialMetric.PATTERN_HAMMING, patternChange(active));
            int dy = spec.params().outputs();
            metrics.put(TrialMetric.TRAIN_ERROR, SmoothModel.classificationError(active.outputs(), train.y(), train.n(), dy));
            if (test != null) {
                metrics.put(TrialMetric.TEST_MSE, testMse(active, test));
                metrics.put(TrialMetric.TEST_ERROR,
                        SmoothModel.classificationError(active.predict(test.x(), test.n()), test.y(), test.n(), dy));
            }
            if (trialMetrics().contains(TrialMetric.SWITCH_LOSS_BEFORE)) {
                metrics.put(TrialMetric.SWITCH_LOSS_BEFORE, net.lossBefore);
                metrics.put(TrialMetric.SWITCH_LOSS_AFTER, net.lossAfter);
                metrics.put(TrialMetric.SWITCH_TEST_MSE, net.testBefore);
                metrics.put(TrialMetric.SWITCH_TEST_MSE_AFTER, net.testAfter);
            }
            measure(active, blas, metrics);
            return metrics;
        }

        @Override
        public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
            return trace.at(steps);
        }
    }
}
