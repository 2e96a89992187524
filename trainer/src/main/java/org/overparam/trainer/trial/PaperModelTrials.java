package org.overparam.trainer.trial;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StepObserver;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.kernel.Spectrum;
import org.overparam.trainer.kernel.SymmetricEigen;
import org.overparam.trainer.kernel.SymmetricMatrix;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.margin.BnMargins;
import org.overparam.trainer.margin.MaxMarginLinear;
import org.overparam.trainer.model.BatchNormNet;
import org.overparam.trainer.model.DeepGatedNet;
import org.overparam.trainer.model.DeepReluNet;
import org.overparam.trainer.model.GReluNet;
import org.overparam.trainer.model.GReluToRelu;
import org.overparam.trainer.model.LinearizedSmoothNet;
import org.overparam.trainer.model.SmoothNet;
import org.overparam.trainer.model.TrainableNet;
import org.overparam.trainer.rng.RandomStream;

/**
 * One trial of {@code bn}, {@code grelu}, {@code deep-relu} or {@code smooth} (theory.md §3–5) end to end:
 * data, memory check, model, training, the model's metrics, stored curve. Called by {@link TrialRunner},
 * which turns any exception into a {@code failed} row.
 *
 * <p>Stop rules. Regression models (grelu, deep-relu, smooth) use {@link StopRule}: converged once
 * {@code loss ≤ tolerance·loss0}. For the {@code bn} classifier the logistic risk only tends to 0, so
 * {@code converged} means: every training example classified correctly <em>and</em>
 * {@code risk ≤ tolerance·risk0}; diverged on a non-finite risk or {@code risk > 1e6·risk0}. GD checks after
 * every step; SGD evaluates the full risk at the log-spaced steps, at the end of every epoch ({@code n}
 * steps) and at the last step, and checks there.
 */
final class PaperModelTrials {
    private final RowMajorBlas blas;
    private final SymmetricEigen eigen;
    private final Deadline deadline;

    PaperModelTrials(RowMajorBlas blas, SymmetricEigen eigen, Deadline deadline) {
        this.blas = blas;
        this.eigen = eigen;
        this.deadline = deadline;
    }

    TrialResult run(TrialSpec spec, DataSource source, long start) {
        return switch (spec.model()) {
            case BN -> bn(spec, source, start);
            case GRELU, DEEP_RELU -> deep(spec, source, start);
            case SMOOTH -> smooth(spec, source, start);
            case RELU, WN -> throw new IllegalArgumentException("relu and wn trials are run by TrialRunner itself");
        };
    }

    // ---------------------------------------------------------------- bn

    private TrialResult bn(TrialSpec spec, DataSource source, long start) {
        int n = spec.n();
        int d = spec.d();
        int m = spec.m();
        long bytes = 8L * (3L * n * m + 4L * m * d + 3L * n * d + (d <= 2L * n ? (long) d * d : 0L) + 2L * m * d);
        MemoryBudget.require(bytes, "bn with n=" + n + ", d=" + d + ", m=" + m);
        Dataset train = source.load(n, d, 1);
        Dataset test = source.heldOut(n, d, 1);
        BatchNormNet net = new BatchNormNet(train, spec.seed(), m, spec.params().epsilon(), blas);
        Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);

        double[] u0 = net.normalizedPreActivations();
        double[] n0 = net.normalizationFactors();
        double epsN = 0;
        for (double nj : n0) {
            epsN = Math.max(epsN, 1.0 / nj);
        }
        metrics.put(TrialMetric.EPS_N, epsN);
        double[] gammas = BnMargins.estimate(u0, net.outer(), train.y(), n, m);
        metrics.put(TrialMetric.GAMMA_A, gammas[0]);
        metrics.put(TrialMetric.GAMMA_C, gammas[1]);
        metrics.put(TrialMetric.GAMMA, gammas[0] + gammas[1]);
        metrics.put(TrialMetric.GAMMA_LINEAR, MaxMarginLinear.solve(net.centredInputs(), train.y(), n, d).margin());

        boolean sgd = spec.params().optimizer() == Optimizer.SGD;
        double eta = spec.eta();
        int maxSteps = spec.steps();
        int[] logSteps = LogSpacedSteps.upTo(maxSteps);
        TreeMap<Integer, double[]> curve = new TreeMap<>();     // step -> {risk, train error}
        double[] losses = sgd ? null : new double[maxSteps + 1];
        double[] theta0 = net.parameters();
        double uMove = 0;
        double vMove = 0;
        int[] order = new int[n];
        RandomStream orderRng = RandomStream.of("sgd/order", spec.seed(), n);

        double risk0 = net.forward();
        double err = net.trainError();
        double risk = risk0;
        curve.put(0, new double[] {risk0, err});
        if (losses != null) {
            losses[0] = risk0;
        }
        double target = spec.tolerance() * risk0;
        double blowUp = StopRule.DEFAULT_DIVERGENCE_FACTOR * risk0;
        int s = 0;
        Outcome outcome = classify(risk, err, target, blowUp);
        while (outcome == null) {
            if (s == maxSteps) {
                outcome = Outcome.MAX_STEPS;
                break;
            }
            if (deadline.passed()) {
                outcome = Outcome.TIMEOUT;
                if (sgd) {
                    risk = net.forward();
                    err = net.trainError();
                }
                break;
            }
            if (sgd) {
                int pos = s % n;
                if (pos == 0) {
                    shuffle(order, orderRng);
                }
                net.sgdStep(order[pos], eta);
            } else {
                net.step(eta);
            }
            s++;
            double[] theta = net.parameters();
            uMove = Math.max(uMove, distance(theta, theta0, 0, 2 * m));
            vMove = Math.max(vMove, distance(theta, theta0, 2 * m, theta.length));
            boolean evaluate = !sgd || s % n == 0 || s == maxSteps || Arrays.binarySearch(logSteps, s) >= 0;
            if (evaluate) {
                risk = net.forward();
                err = net.trainError();
                if (losses != null) {
                    losses[s] = risk;
                }
                if (Arrays.binarySearch(logSteps, s) >= 0) {
                    curve.put(s, new double[] {risk, err});
                }
                outcome = classify(risk, err, target, blowUp);
            }
        }
        curve.put(s, new double[] {risk, err});
        metrics.put(TrialMetric.TRAIN_ERROR, err);
        metrics.put(TrialMetric.U_MOVE, uMove);
        metrics.put(TrialMetric.V_MOVE, vMove);
        if (test != null) {
            double[] out = net.predict(test.x(), test.n());
            int wrong = 0;
            for (int i = 0; i < test.n(); i++) {
                if (!(test.y()[i] * out[i] > 0)) {
                    wrong++;
                }
            }
            metrics.put(TrialMetric.TEST_ERROR, wrong / (double) test.n());
        }
        RateFit fit = losses == null || !Double.isFinite(risk0) ? RateFit.UNDEFINED : RateFit.of(Arrays.copyOf(losses, s + 1));
        int[] steps = curve.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] curveLoss = new double[steps.length];
        double[] curveErr = new double[steps.length];
        for (int j = 0; j < steps.length; j++) {
            curveLoss[j] = curve.get(steps[j])[0];
            curveErr[j] = curve.get(steps[j])[1];
        }
        Map<CurveMetric, double[]> curveMetrics = new EnumMap<>(CurveMetric.class);
        curveMetrics.put(CurveMetric.TRAIN_ERROR, curveErr);
        String message = switch (outcome) {
            case CONVERGED -> null;
            case MAX_STEPS -> String.format(Locale.ROOT, "risk at %.3g of risk0, train error %.3g after %d steps",
                    risk / risk0, err, s);
            case TIMEOUT -> deadline.message(s, risk / risk0);
            default -> divergedMessage(risk, risk0, s);
        };
        return new TrialResult(spec.id(), spec, outcome, message, s, risk0, risk, fit.rate(), fit.r2(),
                elapsedMs(start), TrialRunner.BACKEND, blas.implementation(), steps, curveLoss, metrics, curveMetrics);
    }

    private static Outcome classify(double risk, double err, double target, double blowUp) {
        if (!Double.isFinite(risk) || risk > blowUp) {
            return Outcome.DIVERGED;
        }
        if (err == 0 && risk <= target) {
            return Outcome.CONVERGED;
        }
        return null;
    }

    /** A fresh Fisher–Yates permutation of {@code 0..n−1} into {@code order}. */
    private static void shuffle(int[] order, RandomStream rng) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = (int) Math.floor(rng.nextUniform() * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static double distance(double[] a, double[] b, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) {
            double diff = a[k] - b[k];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    // ---------------------------------------------------------------- grelu, deep-relu

    private TrialResult deep(TrialSpec spec, DataSource source, long start) {
        int depth = spec.params().depth();
        int dy = spec.params().outputs();
        boolean grelu = spec.model() == org.overparam.trainer.model.ModelKind.GRELU;
        long bytes = DeepGatedNet.estimateBytes(spec.n(), spec.d(), dy, spec.m(), depth, true);
        MemoryBudget.require(bytes, spec.model().key() + " with L=" + depth + ", m=" + spec.m() + ", n=" + spec.n()
                + " (" + depth + " trained m×m layers, their previous gradients, features of every example)");
        Dataset data = source.load(spec.n(), spec.d(), dy);
        DeepGatedNet net = grelu
                ? new GReluNet(data, spec.seed(), spec.m(), depth, blas)
                : new DeepReluNet(data, spec.seed(), spec.m(), depth, blas);
        net.trackGradientChange();
        Map<Integer, double[]> trace = new TreeMap<>();
        StepObserver observer = new Traced(spec.steps()) {
            @Override
            public void observe(int step, double loss) {
                trace.put(step, new double[] {net.gradientChange(), patternChange(net, grelu)});
            }
        };
        TrainingRun run = new GradientDescent(spec.eta(), new StopRule(spec.steps(), spec.tolerance())).run(net, observer, deadline);
        Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
        metrics.put(TrialMetric.MSE, net.meanSquaredError());
        metrics.put(TrialMetric.GRAD_CHANGE, net.gradientChange());
        metrics.put(TrialMetric.PATTERN_HAMMING, patternChange(net, grelu));
        if (grelu) {
            double[] diff;
            try {
                diff = GReluToRelu.maxAbsDifference(net, blas);
            } catch (ArithmeticException e) {
                diff = new double[] {Double.NaN, Double.NaN};
            }
            metrics.put(TrialMetric.GRELU_RELU_MAX_ABS_DIFF, diff[0]);
            metrics.put(TrialMetric.GRELU_RELU_RANK, diff[1]);
        }
        return regressionResult(spec, run, metrics, trace, new CurveMetric[] {CurveMetric.GRAD_CHANGE, CurveMetric.PATTERN_HAMMING}, start);
    }

    private static double patternChange(DeepGatedNet net, boolean grelu) {
        return grelu ? 0.0 : ((DeepReluNet) net).patternChange();
    }

    // ---------------------------------------------------------------- smooth

    private TrialResult smooth(TrialSpec spec, DataSource source, long start) {
        ModelParams p = spec.params();
        int n = spec.n();
        int d0 = spec.d();
        int d1 = spec.m();
        int d2 = p.outputs();
        MemoryBudget.require(SmoothNet.estimateBytes(n, d0, d1, d2), "smooth with n=" + n + ", d=" + d0 + ", m=" + d1
                + ", d_y=" + d2 + " (and its linearization)");
        Dataset data = source.load(n, d0, d2);
        SmoothNet net = new SmoothNet(data, spec.seed(), d1, p.activation(), p.omega1(), p.omega2(), blas);
        LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
        Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
        Spectrum phi0 = singularValues(net.hidden(), n, d1);
        Spectrum xs = singularValues(data.x(), n, d0);
        Spectrum vs = singularValues(net.outerWeights(), d2, d1);
        metrics.put(TrialMetric.SIGMA_MIN_PHI0, phi0.min());
        metrics.put(TrialMetric.SIGMA_MAX_PHI0, phi0.max());
        metrics.put(TrialMetric.NU_PHI, p.activation().maxDerivative() * xs.max() * vs.max() + phi0.max());
        metrics.put(TrialMetric.RATE_PRED_SMOOTH, 2.0 * spec.eta() * phi0.min() * phi0.min());
        metrics.put(TrialMetric.WIDTH_PRED_SMOOTH, Math.pow(n, 1.5) / d0);
        double[] phiInit = lin.initialOutputs();

        TrainableNet pair = new SideBySide(net, lin);
        Map<Integer, double[]> trace = new TreeMap<>();
        StepObserver observer = new Traced(spec.steps()) {
            @Override
            public void observe(int step, double loss) {
                trace.put(step, new double[] {distance(net.outputs(), lin.outputs(), 0, phiInit.length)});
            }
        };
        TrainingRun run = new GradientDescent(spec.eta(), new StopRule(spec.steps(), spec.tolerance())).run(pair, observer, deadline);
        double[] out = net.outputs();
        double lazy = distance(out, lin.outputs(), 0, out.length);
        double moved = distance(out, phiInit, 0, out.length);
        metrics.put(TrialMetric.LAZY_DISTANCE, lazy);
        metrics.put(TrialMetric.LAZY_DISTANCE_REL, moved > 0 ? lazy / moved : Double.NaN);
        metrics.put(TrialMetric.MSE, run.finalLoss() / ((double) n * d2));
        return regressionResult(spec, run, metrics, trace, new CurveMetric[] {CurveMetric.LAZY_DISTANCE}, start);
    }

    /** The extreme singular values of an {@code rows×cols} matrix: the min(rows, cols) of them, via its smaller Gram matrix. */
    private Spectrum singularValues(double[] a, int rows, int cols) {
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

    /** The smooth net and its linearization trained in lock step; the loss, gradient and parameters are the net's. */
    private static final class SideBySide implements TrainableNet {
        private final SmoothNet net;
        private final LinearizedSmoothNet lin;

        SideBySide(SmoothNet net, LinearizedSmoothNet lin) {
            this.net = net;
            this.lin = lin;
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

    // ---------------------------------------------------------------- shared

    /** Observes at step 0, the log-spaced steps and the end. */
    private abstract static class Traced implements StepObserver {
        private final int[] logSteps;

        Traced(int maxSteps) {
            this.logSteps = LogSpacedSteps.upTo(maxSteps);
        }

        @Override
        public boolean wants(int step) {
            return Arrays.binarySearch(logSteps, step) >= 0;
        }

        @Override
        public void finish(int step, double loss) {
            observe(step, loss);
        }
    }

    private TrialResult regressionResult(TrialSpec spec, TrainingRun run, Map<TrialMetric, Double> metrics,
                                         Map<Integer, double[]> trace, CurveMetric[] traced, long start) {
        RateFit fit = RateFit.of(run.losses());
        int[] logged = LogSpacedSteps.upTo(run.steps());
        double[] curve = new double[logged.length];
        Map<CurveMetric, double[]> curveMetrics = new EnumMap<>(CurveMetric.class);
        for (CurveMetric metric : traced) {
            curveMetrics.put(metric, new double[logged.length]);
        }
        for (int j = 0; j < logged.length; j++) {
            curve[j] = run.losses()[logged[j]];
            double[] t = trace.get(logged[j]);
            for (int k = 0; k < traced.length; k++) {
                curveMetrics.get(traced[k])[j] = t == null ? Double.NaN : t[k];
            }
        }
        double ratio = run.finalLoss() / run.initialLoss();
        String message = switch (run.outcome()) {
            case CONVERGED -> null;
            case MAX_STEPS -> String.format(Locale.ROOT, "loss at %.3g of loss0 after %d steps", ratio, run.steps());
            case TIMEOUT -> deadline.message(run.steps(), ratio);
            default -> divergedMessage(run.finalLoss(), run.initialLoss(), run.steps());
        };
        return new TrialResult(spec.id(), spec, run.outcome(), message, run.steps(), run.initialLoss(), run.finalLoss(),
                fit.rate(), fit.r2(), elapsedMs(start), TrialRunner.BACKEND, blas.implementation(), logged, curve,
                metrics, curveMetrics);
    }

    private static String divergedMessage(double last, double first, int steps) {
        return Double.isFinite(last)
                ? String.format(Locale.ROOT, "loss grew to %.3g × loss0 at step %d", last / first, steps)
                : "loss became " + last + " at step " + steps;
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000L;
    }
}
