package org.overparam.trainer.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.MiniBatchSgd;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.margin.BnMargins;
import org.overparam.trainer.margin.LinearMargins;
import org.overparam.trainer.nets.BatchNormNet;
import org.overparam.trainer.rng.RandomStream;
import org.overparam.trainer.trial.MemoryBudget;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@code bn}: the batch-normalized two-layer ReLU classifier with logistic loss (theory.md §3, paper 001),
 * trained by full-batch GD or one-example SGD; margins at init, movement and train/test error measured.
 *
 * <p>Stop rule. The logistic risk only tends to 0, so {@code converged} means: every training example
 * classified correctly <em>and</em> {@code risk ≤ tolerance·risk0}; diverged on a non-finite risk or
 * {@code risk > 1e6·risk0}. GD checks after every step; SGD evaluates the full risk at the log-spaced steps,
 * at the end of every epoch ({@code n} steps) and at the last step, and checks there. The {@link StuckRule} is
 * checked at the first evaluated step at or after each checkpoint and at the last step, on the risk. The loss
 * record of an SGD run holds the risk at the evaluated steps only (NaN elsewhere), so it has no fitted rate.
 */
final class BatchNormModel implements TrialModel {
    private static final List<TrialMetric> METRICS = List.copyOf(EnumSet.range(TrialMetric.TRAIN_ERROR, TrialMetric.EPS_N));
    private static final List<CurveMetric> CURVE_METRICS = List.of(CurveMetric.TRAIN_ERROR);

    @Override
    public ModelKind kind() {
        return ModelKind.BN;
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of(GridKey.OPTIMIZER, GridKey.EPSILON);
    }

    @Override
    public boolean singleOutput() {
        return true;
    }

    @Override
    public boolean needsBinaryLabels() {
        return true;
    }

    @Override
    public List<ModelParams> params(ModelAxes axes, int d, int m, int dataOutputs) {
        List<ModelParams> out = new ArrayList<>();
        for (Optimizer o : axes.optimizer().isEmpty() ? List.of(Optimizer.GD) : axes.optimizer()) {
            for (double e : axes.epsilon().isEmpty() ? List.of(ModelAxes.DEFAULT_EPSILON) : axes.epsilon()) {
                out.add(ModelParams.bn(o, e));
            }
        }
        return out;
    }

    @Override
    public int paramCount(ModelAxes axes) {
        return Math.max(1, axes.optimizer().size()) * Math.max(1, axes.epsilon().size());
    }

    @Override
    public boolean accepts(ModelParams p) {
        return p.optimizer() != null && p.epsilon() != null
                && p.depth() == null && p.outputs() == null && p.omega1() == null && p.omega2() == null
                && p.activation() == null && p.batch() == null;
    }

    /** GD {@code 6 n d m}; SGD {@code 2 m d min(d, 2n)} (one example, but {@code Σ v_j} for every neuron). */
    @Override
    public double flopsPerStep(TrialSpec spec) {
        double n = spec.n();
        double d = spec.d();
        double m = spec.m();
        return spec.params().optimizer() == Optimizer.SGD
                ? 2.0 * m * d * Math.min(d, 2 * n) + 4.0 * d * m
                : 6.0 * (n * d * m);
    }

    /** Polylogarithmic in n at a fixed margin γ (γ depends on the data and may fall as n grows, as λ0 does for relu). */
    @Override
    public List<WidthBound> widthBounds() {
        return List.of(new WidthBound(AlphaRange.ALL, 0,
                "001 Thm 2.1/2.2: m ≥ 2²⁹ ε_N³ ln^{3/2}(5nt/δ)/γ² (polylog in n at a fixed margin γ)"));
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    public List<String> summaryColumns() {
        return List.of("train_error", "test_error", "gamma", "gamma_linear", "u_move", "v_move");
    }

    @Override
    public List<CurveMetric> curveMetrics() {
        return CURVE_METRICS;
    }

    @Override
    public void requireMemory(TrialSpec spec) {
        int n = spec.n();
        int d = spec.d();
        int m = spec.m();
        long bytes = 8L * (3L * n * m + 4L * m * d + 3L * n * d + (d <= 2L * n ? (long) d * d : 0L) + 2L * m * d);
        MemoryBudget.require(bytes, "bn with n=" + n + ", d=" + d + ", m=" + m);
    }

    @Override
    public ModelTraining start(TrialSpec spec, DataSource source, TrialContext context) {
        int n = spec.n();
        int d = spec.d();
        Dataset train = source.load(n, d, 1);
        Dataset test = source.heldOut(n, d, 1);
        BatchNormNet net = new BatchNormNet(train, spec.seed(), spec.m(), spec.params().epsilon(), context.blas());
        Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
        double epsN = 0;
        for (double nj : net.normalizationFactors()) {
            epsN = Math.max(epsN, 1.0 / nj);
        }
        metrics.put(TrialMetric.EPS_N, epsN);
        double[] gammas = BnMargins.estimate(net.normalizedPreActivations(), net.outer(), train.y(), n, spec.m());
        metrics.put(TrialMetric.GAMMA_A, gammas[0]);
        metrics.put(TrialMetric.GAMMA_C, gammas[1]);
        metrics.put(TrialMetric.GAMMA, gammas[0] + gammas[1]);
        metrics.put(TrialMetric.GAMMA_LINEAR, LinearMargins.margin(net.centredInputs(), train.y(), n, d));   // one solve per data set
        return new Training(spec, net, test, metrics);
    }

    /** GD or SGD on the logistic risk with the classification stop rule; risk and train error at the curve's steps. */
    private static final class Training implements ModelTraining {
        private final TrialSpec spec;
        private final BatchNormNet net;
        private final Dataset test;
        private final Map<TrialMetric, Double> metrics;
        private final boolean sgd;
        private final TreeMap<Integer, double[]> curve = new TreeMap<>();     // step -> {risk, train error, unfitted}
        private double err;

        Training(TrialSpec spec, BatchNormNet net, Dataset test, Map<TrialMetric, Double> initialMetrics) {
            this.spec = spec;
            this.net = net;
            this.test = test;
            this.metrics = initialMetrics;
            this.sgd = spec.params().optimizer() == Optimizer.SGD;
        }

        @Override
        public TrainingRun train(Deadline deadline) {
            int n = spec.n();
            int m = spec.m();
            double eta = spec.stepSize();
            int maxSteps = spec.steps();
            int[] logSteps = LogSpacedSteps.upTo(maxSteps);
            // GD evaluates every step; SGD some, the others NaN (grown as needed: a budget may be long).
            double[] losses = new double[sgd ? Math.min(maxSteps, 1 << 16) + 1 : maxSteps + 1];
            if (sgd) {
                Arrays.fill(losses, Double.NaN);
            }
            double[] theta0 = net.parameters();
            double uMove = 0;
            double vMove = 0;
            int[] order = new int[n];
            RandomStream orderRng = RandomStream.of("sgd/order", spec.seed(), n);
            StuckRule stuck = spec.stuckRule();
            StuckRule.Watch watch = stuck.watch(maxSteps);
            String note = null;

            double risk0 = net.forward();
            err = net.trainError();
            double risk = risk0;
            curve.put(0, new double[] {risk0, err, unfitted(risk0)});
            losses[0] = risk0;
            double target = spec.tolerance() * risk0;
            double blowUp = StopRule.DEFAULT_DIVERGENCE_FACTOR * risk0;
            int s = 0;
            Outcome outcome = classify(risk, err, target, blowUp);
            while (outcome == null) {
                if (s == maxSteps) {
                    note = stuck.verdict(losses, s, spec.tolerance(), maxSteps);
                    outcome = note != null ? Outcome.STUCK : Outcome.CENSORED;
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
                        MiniBatchSgd.shuffle(order, orderRng);
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
                    if (s >= losses.length) {
                        int old = losses.length;
                        losses = Arrays.copyOf(losses, (int) Math.min((long) maxSteps + 1, Math.max(2L * old, s + 1L)));
                        Arrays.fill(losses, old, losses.length, Double.NaN);
                    }
                    losses[s] = risk;
                    if (Arrays.binarySearch(logSteps, s) >= 0) {
                        curve.put(s, new double[] {risk, err, unfitted(risk0)});
                    }
                    outcome = classify(risk, err, target, blowUp);
                    if (outcome == null) {
                        note = watch.at(losses, s, spec.tolerance());
                        outcome = note != null ? Outcome.STUCK : null;
                    }
                }
            }
            curve.put(s, new double[] {risk, err, unfitted(risk0)});
            metrics.put(TrialMetric.U_MOVE, uMove);
            metrics.put(TrialMetric.V_MOVE, vMove);
            double[] record = Arrays.copyOf(losses, s + 1);
            if (losses.length < s + 1) {
                Arrays.fill(record, losses.length, s + 1, Double.NaN);   // SGD: steps past the record were not evaluated
            }
            record[s] = risk;
            return new TrainingRun(outcome, s, record, note);
        }

        /** The {@link Unfitted} count at the net's last forward. */
        private int unfitted(double risk0) {
            return Unfitted.logistic(net.outputs(), net.labels(), spec.n(), spec.tolerance(), risk0);
        }

        @Override
        public int[] curveSteps(TrainingRun run) {
            return curve.keySet().stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public double[] curveLoss(TrainingRun run, int[] steps) {
            return column(steps, 0);
        }

        /** No rate for SGD (its record holds only the end points) or a non-finite risk0. */
        @Override
        public RateFit rateFit(TrainingRun run) {
            return sgd || !Double.isFinite(run.initialLoss()) ? RateFit.UNDEFINED : RateFit.of(run.losses());
        }

        @Override
        public String message(TrainingRun run) {
            return switch (run.outcome()) {
                case CONVERGED -> null;
                case STUCK -> run.note();
                case CENSORED -> String.format(Locale.ROOT, "risk at %.3g of risk0, train error %.3g after %d steps",
                        run.finalLoss() / run.initialLoss(), err, run.steps());
                default -> ModelTraining.divergedMessage(run.finalLoss(), run.initialLoss(), run.steps());
            };
        }

        @Override
        public Map<TrialMetric, Double> metrics(TrainingRun run) {
            metrics.put(TrialMetric.TRAIN_ERROR, err);
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
            return metrics;
        }

        @Override
        public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
            Map<CurveMetric, double[]> out = new EnumMap<>(CurveMetric.class);
            out.put(CurveMetric.TRAIN_ERROR, column(steps, 1));
            return out;
        }

        @Override
        public int[] curveUnfitted(int[] steps) {
            double[] c = column(steps, 2);
            int[] out = new int[c.length];
            for (int j = 0; j < c.length; j++) {
                out[j] = (int) c[j];
            }
            return out;
        }

        /** The risk's PL ratio with the full-batch gradient (also after SGD), and the unfitted count. */
        @Override
        public Evidence evidence(TrainingRun run) {
            double risk = net.forward();
            int count = unfitted(run.initialLoss());
            return new Evidence(Unfitted.plRatio(net.gradient(), risk), count);
        }

        private double[] column(int[] steps, int k) {
            double[] out = new double[steps.length];
            for (int j = 0; j < steps.length; j++) {
                out[j] = curve.get(steps[j])[k];
            }
            return out;
        }
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

    private static double distance(double[] a, double[] b, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) {
            double diff = a[k] - b[k];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }
}
