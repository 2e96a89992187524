package org.overparam.trainer.models;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.MiniBatchSgd;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.nets.LinearizedSmoothNet;
import org.overparam.trainer.nets.MiniBatchNet;
import org.overparam.trainer.nets.SmoothNet;
import org.overparam.trainer.ntk.Spectrum;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.ntk.SymmetricMatrix;
import org.overparam.trainer.trial.MemoryBudget;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@code smooth}: two-layer {@code V φ(W X)} with a smooth activation, both layers trained by GD with
 * {@link StopRule}, in lock step with its linearization at init (theory.md §5, paper 004), whose distance
 * to the net is traced; the spectra of the initial features give the paper's rate and width predictions.
 *
 * <p>With {@code optimizer: {kind: sgd, batch: b}} both are trained by {@link MiniBatchSgd} on the same
 * batches (an epoch of {@code ⌈n/b⌉} steps per permutation drawn from the trial seed); the loss is then
 * known only at the evaluated steps (log-spaced, epoch ends, last), so there is no fitted rate.
 *
 * <p>With a held-out set the trained net's {@code test_mse} (mean over entries, as {@code mse}) is measured,
 * and where the targets are class labels (one-hot or ±1) the train and test classification errors.
 */
final class SmoothModel implements TrialModel {
    private static final List<TrialMetric> METRICS;
    private static final List<CurveMetric> CURVE_METRICS = List.of(CurveMetric.LAZY_DISTANCE);

    static {
        List<TrialMetric> metrics = new ArrayList<>();
        metrics.add(TrialMetric.MSE);
        metrics.add(TrialMetric.TEST_MSE);
        metrics.add(TrialMetric.TRAIN_ERROR);
        metrics.add(TrialMetric.TEST_ERROR);
        metrics.addAll(EnumSet.range(TrialMetric.SIGMA_MIN_PHI0, TrialMetric.LAZY_DISTANCE_REL));
        METRICS = List.copyOf(metrics);
    }

    @Override
    public ModelKind kind() {
        return ModelKind.SMOOTH;
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of(GridKey.OUTPUTS, GridKey.OMEGA1, GridKey.OMEGA2, GridKey.OMEGA_RATIO, GridKey.OMEGA_PRODUCT,
                GridKey.ACTIVATION, GridKey.OPTIMIZER);
    }

    @Override
    public List<ModelParams> params(ModelAxes axes, int d, int m, int dataOutputs) {
        List<ModelParams> out = new ArrayList<>();
        for (Activation a : axes.activation().isEmpty() ? List.of(Activation.GELU) : axes.activation()) {
            for (int dy : axes.outputsOr(dataOutputs)) {
                for (double[] w : axes.omegas(d, m)) {
                    for (Optimizer o : axes.optimizer().isEmpty() ? List.of(Optimizer.GD) : axes.optimizer()) {
                        if (o == Optimizer.GD) {
                            out.add(ModelParams.smooth(a, w[0], w[1], dy));
                        } else {
                            for (int b : axes.batchOr1()) {
                                out.add(ModelParams.smoothSgd(a, w[0], w[1], dy, b));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public int paramCount(ModelAxes axes) {
        int optimizers = 0;
        for (Optimizer o : axes.optimizer().isEmpty() ? List.of(Optimizer.GD) : axes.optimizer()) {
            optimizers += o == Optimizer.GD ? 1 : axes.batchOr1().size();
        }
        return Math.max(1, axes.activation().size()) * axes.outputCount() * axes.omegaCount() * optimizers;
    }

    @Override
    public boolean accepts(ModelParams p) {
        return p.activation() != null && p.omega1() != null && p.omega2() != null && p.outputs() != null
                && p.depth() == null && p.epsilon() == null
                && (p.optimizer() == null ? p.batch() == null : p.optimizer() == Optimizer.SGD && p.batch() != null);
    }

    /**
     * {@code 2·(4 n d m + 4 n m d_y)}: the net and its linearization; with SGD {@code n} is the batch size
     * (the full forward at the evaluated steps is not counted).
     */
    @Override
    public double flopsPerStep(TrialSpec spec) {
        double rows = spec.params().batch() == null ? spec.n() : Math.min(spec.n(), spec.params().batch());
        double ndm = rows * spec.d() * spec.m();
        return 2.0 * (4.0 * ndm + 4.0 * rows * spec.m() * spec.params().outputs());
    }

    /**
     * 004 Thm 3 with its order analysis (eq. 21): {@code d1 ≳ n^{3/2}/d0} under {@code σmax(X)² ≈ n/d0},
     * {@code σmin(X^{*t}) ≈ 1}; d0 = d is fixed in a fit group, so the width grows as {@code n^{3/2}} (both
     * layers trained by GD, φ twice differentiable and not odd).
     */
    @Override
    public List<WidthBound> widthBounds() {
        return List.of(new WidthBound(AlphaRange.ALL, 1.5, "004 Thm 3, eq. 21: d1 ≳ n^{3/2}/d0 (d0 d1 = Ω̃(n^{3/2}) parameters)"));
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    public List<String> summaryColumns() {
        return List.of("mse", "test_mse", "train_error", "test_error", "sigma_min_phi0", "rate", "rate_pred_smooth", "lazy_distance_rel");
    }

    @Override
    public List<CurveMetric> curveMetrics() {
        return CURVE_METRICS;
    }

    @Override
    public void requireMemory(TrialSpec spec) {
        int n = spec.n();
        int d0 = spec.d();
        int d1 = spec.m();
        int d2 = spec.params().outputs();
        MemoryBudget.require(SmoothNet.estimateBytes(n, d0, d1, d2), "smooth with n=" + n + ", d=" + d0 + ", m=" + d1
                + ", d_y=" + d2 + " (and its linearization)");
    }

    @Override
    public ModelTraining start(TrialSpec spec, DataSource source, TrialContext context) {
        ModelParams p = spec.params();
        int n = spec.n();
        int d0 = spec.d();
        int d1 = spec.m();
        int d2 = p.outputs();
        Dataset data = source.load(n, d0, d2);
        Dataset test = source.heldOut(n, d0, d2);
        SmoothNet net = new SmoothNet(data, spec.seed(), d1, p.activation(), p.omega1(), p.omega2(), context.blas());
        LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
        Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
        Spectrum phi0 = singularValues(net.hidden(), n, d1, context);
        Spectrum xs = singularValues(data.x(), n, d0, context);
        Spectrum vs = singularValues(net.outerWeights(), d2, d1, context);
        metrics.put(TrialMetric.SIGMA_MIN_PHI0, phi0.min());
        metrics.put(TrialMetric.SIGMA_MAX_PHI0, phi0.max());
        metrics.put(TrialMetric.NU_PHI, p.activation().maxDerivative() * xs.max() * vs.max() + phi0.max());
        metrics.put(TrialMetric.RATE_PRED_SMOOTH, 2.0 * spec.stepSize() * phi0.min() * phi0.min());
        metrics.put(TrialMetric.WIDTH_PRED_SMOOTH, Math.pow(n, 1.5) / d0);
        return new Training(spec, net, lin, data, test, metrics);
    }

    /**
     * The classification error of {@code out} against targets {@code y} that are class labels: one-hot rows
     * (the argmax, first on ties, against the hot class) or ±1 ({@code d_y = 1}: the sign, {@code > 0} for +1);
     * NaN when the targets are not labels (a real-valued teacher).
     */
    public static double classificationError(double[] out, double[] y, int rows, int dy) {
        int wrong = 0;
        for (int i = 0; i < rows; i++) {
            if (dy == 1) {
                if (y[i] != 1.0 && y[i] != -1.0) {
                    return Double.NaN;
                }
                wrong += (out[i] > 0) == (y[i] > 0) ? 0 : 1;
                continue;
            }
            int hot = -1;
            for (int o = 0; o < dy; o++) {
                double t = y[i * dy + o];
                if (t == 1.0 && hot < 0) {
                    hot = o;
                } else if (t != 0.0) {
                    return Double.NaN;
                }
            }
            if (hot < 0) {
                return Double.NaN;
            }
            int best = 0;
            for (int o = 1; o < dy; o++) {
                if (out[i * dy + o] > out[i * dy + best]) {
                    best = o;
                }
            }
            wrong += best == hot ? 0 : 1;
        }
        return wrong / (double) rows;
    }

    private static double meanSquare(double[] out, double[] y) {
        double s = 0;
        for (int t = 0; t < out.length; t++) {
            double e = out[t] - y[t];
            s += e * e;
        }
        return s / out.length;
    }

    /** The extreme singular values of an {@code rows×cols} matrix: the min(rows, cols) of them, via its smaller Gram matrix. */
    private static Spectrum singularValues(double[] a, int rows, int cols, TrialContext context) {
        RowMajorBlas blas = context.blas();
        SymmetricEigen eigen = context.eigen();
        int k = Math.min(rows, cols);
        double[] g = new double[k * k];
        if (rows <= cols) {
            blas.gram(rows, cols, a, g);
        } else {
            blas.transposedTimes(rows, cols, cols, a, a, g);
        }
        Spectrum s = eigen.extremes(new SymmetricMatrix(k, g));
        return new Spectrum(Math.sqrt(Math.max(0.0, s.min())), Math.sqrt(Math.max(0.0, s.max())));
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double diff = a[k] - b[k];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    /** The net and its linearization trained in lock step, their distance traced. */
    private static final class Training implements ModelTraining {
        private final TrialSpec spec;
        private final SmoothNet net;
        private final LinearizedSmoothNet lin;
        private final double[] phiInit;
        private final Map<TrialMetric, Double> metrics;
        private final TracedCurves trace = new TracedCurves(CURVE_METRICS);
        private final UnfittedTrace unfitted = new UnfittedTrace();
        private final Dataset train;
        private final Dataset test;

        Training(TrialSpec spec, SmoothNet net, LinearizedSmoothNet lin, Dataset train, Dataset test,
                 Map<TrialMetric, Double> initialMetrics) {
            this.spec = spec;
            this.net = net;
            this.lin = lin;
            this.train = train;
            this.test = test;
            this.phiInit = lin.initialOutputs();
            this.metrics = initialMetrics;
        }

        @Override
        public TrainingRun train(Deadline deadline) {
            StopRule rule = ModelTraining.stopRule(spec);
            LogSpacedObserver observer = new LogSpacedObserver(spec.steps()) {
                @Override
                public void observe(int step, double loss) {
                    trace.put(step, distance(net.outputs(), lin.outputs()));
                    unfitted.record(step, loss, loss0 -> count(loss0));
                }
            };
            Integer batch = spec.params().batch();
            return batch == null
                    ? new GradientDescent(spec.stepSize(), rule).run(new SideBySide(net, lin), observer, deadline)
                    : new MiniBatchSgd(spec.stepSize(), batch, rule, spec.seed()).run(new SideBySide(net, lin), observer, deadline);
        }

        /** The {@link Unfitted} count of {@code h} at the net's last forward. */
        private int count(double loss0) {
            return Unfitted.sumOfSquares(net.outputs(), train.y(), train.n(), spec.params().outputs(), spec.tolerance(), loss0);
        }

        @Override
        public int[] curveUnfitted(int[] steps) {
            return unfitted.at(steps);
        }

        /** The PL ratio of {@code h} with its full-batch gradient (also after SGD), at the net (not its linearization). */
        @Override
        public Evidence evidence(TrainingRun run) {
            double loss = net.forward();
            int count = count(run.initialLoss());
            return new Evidence(Unfitted.plRatio(net.gradient(), loss), count);
        }

        /** No rate for SGD: its loss record holds only the evaluated steps. */
        @Override
        public RateFit rateFit(TrainingRun run) {
            return spec.params().batch() != null ? RateFit.UNDEFINED : ModelTraining.super.rateFit(run);
        }

        @Override
        public Map<TrialMetric, Double> metrics(TrainingRun run) {
            double[] out = net.outputs();
            double lazy = distance(out, lin.outputs());
            double moved = distance(out, phiInit);
            metrics.put(TrialMetric.LAZY_DISTANCE, lazy);
            metrics.put(TrialMetric.LAZY_DISTANCE_REL, moved > 0 ? lazy / moved : Double.NaN);
            metrics.put(TrialMetric.MSE, run.finalLoss() / ((double) spec.n() * spec.params().outputs()));
            int dy = spec.params().outputs();
            metrics.put(TrialMetric.TRAIN_ERROR, classificationError(out, train.y(), train.n(), dy));
            if (test != null) {
                double[] predicted = net.predict(test.x(), test.n());
                metrics.put(TrialMetric.TEST_MSE, meanSquare(predicted, test.y()));
                metrics.put(TrialMetric.TEST_ERROR, classificationError(predicted, test.y(), test.n(), dy));
            }
            return metrics;
        }

        @Override
        public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
            return trace.at(steps);
        }
    }

    /** The smooth net and its linearization trained in lock step; the loss, gradient and parameters are the net's. */
    private record SideBySide(SmoothNet net, LinearizedSmoothNet lin) implements MiniBatchNet {
        @Override
        public int examples() {
            return net.examples();
        }

        @Override
        public void batchStep(int[] order, int from, int to, double eta) {
            net.batchStep(order, from, to, eta);
            lin.batchStep(order, from, to, eta);
        }

        @Override
        public double forward() {
            lin.forward();
            return net.forward();
        }

        @Override
        public void step(double eta) {
            net.step(eta);
            lin.step(eta);
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
            throw new UnsupportedOperationException("set the net and its linearization separately");
        }

        @Override
        public double[] outputs() {
            return net.outputs();
        }
    }
}
