package org.overparam.trainer.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.ntk.NaiveKernels;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.ntk.SymmetricMatrix;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@link TrialInstruments} (directly and through {@link TrialRunner}) against quantities recomputed in
 * the test: spectra of the naive kernels ({@link NaiveKernels}, eigenvalues by {@link SymmetricEigen},
 * itself tested on known spectra), the prediction formulas, naive flip counts and weight movements
 * against a fresh net of the same draws, and curve values against a by-hand GD replay.
 *
 * <p>Spectral tolerance: the naive and the product kernels agree entrywise to {@code 1e-12·t}
 * ({@code t} bounds every term, see GramMatricesTest), so their eigenvalues agree to {@code ‖E‖₂ ≤ n·1e-12·t}
 * (Weyl) plus dsyevd's {@code O(nε‖A‖)}; we allow {@code 2n·1e-12·t}. Flip fractions are integer
 * counts over {@code nm} from bit-identical pre-activations: compared exactly. Movements are the same
 * few subtractions and a square root: {@code 1e-14} relative.
 */
class TrialInstrumentsTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final SymmetricEigen EIGEN = SymmetricEigen.reproducible();
    private static final SphereData SOURCE = new SphereData(SphereTarget.SIGN, 1);
    private static final InstrumentSettings KERNELS_LOG = new InstrumentSettings(true, 0, 0.1);
    private static final Set<TrialMetric> WN_ONLY = EnumSet.of(TrialMetric.LAMBDA_MIN_V0, TrialMetric.LAMBDA_MIN_G0,
            TrialMetric.LAMBDA0_INF, TrialMetric.MU0_INF, TrialMetric.LAMBDA_MAX_V_INF, TrialMetric.RATE_PRED_V,
            TrialMetric.RATE_PRED_G, TrialMetric.WIDTH_PRED_V, TrialMetric.WIDTH_PRED_G, TrialMetric.ETA_MAX_V,
            TrialMetric.MAX_MOVE_G, TrialMetric.NORM_GROWTH_ERR);
    private static final Set<TrialMetric> CHEAP_WN = EnumSet.of(TrialMetric.ACT_FLIP_FRAC, TrialMetric.MAX_MOVE_W,
            TrialMetric.MAX_REL_MOVE_V, TrialMetric.MAX_MOVE_G, TrialMetric.NORM_GROWTH_ERR);

    private static double lambdaMin(Dataset data, double[] kernel) {
        return EIGEN.extremes(new SymmetricMatrix(data.n(), kernel)).min();
    }

    private static double lambdaMax(Dataset data, double[] kernel) {
        return EIGEN.extremes(new SymmetricMatrix(data.n(), kernel)).max();
    }

    private static double spectralTol(Dataset data, double termBound) {
        return 2.0 * data.n() * 1e-12 * termBound;
    }

    /** Flip fraction between two pre-activation arrays, counted naively. */
    private static double flips(double[] u0, double[] u) {
        int flipped = 0;
        for (int i = 0; i < u.length; i++) {
            boolean before = u0[i] >= 0;
            boolean after = u[i] >= 0;
            if (before != after) {
                flipped++;
            }
        }
        return flipped / (double) u.length;
    }

    /** {@code max_k ‖a_k − b_k‖ (/ ‖b_k‖ when relative)} over the rows of two {@code m×d} arrays. */
    private static double maxRowMove(double[] a, double[] b, int m, int d, boolean relative) {
        double worst = 0;
        for (int k = 0; k < m; k++) {
            double s = 0;
            double nb = 0;
            for (int j = 0; j < d; j++) {
                s += (a[k * d + j] - b[k * d + j]) * (a[k * d + j] - b[k * d + j]);
                nb += b[k * d + j] * b[k * d + j];
            }
            worst = Math.max(worst, Math.sqrt(s) / (relative ? Math.sqrt(nb) : 1.0));
        }
        return worst;
    }

    private static double omegaMax(WeightNormNet net) {
        double[] norm = net.directionNorms();
        double[] g = net.gains();
        double worst = 1;
        for (int k = 0; k < g.length; k++) {
            worst = Math.max(worst, Math.pow(net.alpha() * g[k] / norm[k], 2));
        }
        return worst;
    }

    private static void assertRel(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }

    // ---- wn, kernels on, direct -----------------------------------------------------------------------

    @Test
    void wnWithKernelsMeasuresEveryMetricAsRecomputedHere() {
        int n = 12;
        int d = 10;
        int m = 48;
        double alpha = 0.8;
        double eta = 0.3;
        int steps = 60;
        long seed = 5;
        Dataset data = SOURCE.load(n, d);
        InitialDraws init = InitialDraws.draw(seed, m, d);
        WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
        TrialInstruments instruments = new TrialInstruments(net, ModelKind.WN, alpha, eta, steps, KERNELS_LOG,
                InfiniteWidthSpectra.of(data, BLAS, EIGEN), BLAS, EIGEN);
        TrainingRun run = new GradientDescent(eta, new StopRule(steps, 1e-12)).run(net, instruments);
        assertEquals(Outcome.CENSORED, run.outcome(), "precondition: a full 60-step run");
        Map<TrialMetric, Double> metrics = instruments.metrics();

        for (TrialMetric metric : TrialModels.of(ModelKind.WN).trialMetrics()) {
            assertTrue(metrics.containsKey(metric), "wn with kernels measures " + metric.column());
            assertTrue(Double.isFinite(metrics.get(metric)), metric.column() + " = " + metrics.get(metric));
        }

        // Infinite-width spectra from the independent closed forms.
        NaiveKernels.Infinite inf = NaiveKernels.infinite(data);
        double tolInf = spectralTol(data, NaiveKernels.maxSquaredNorm(data));
        double lambda0 = lambdaMin(data, inf.v());
        double mu0 = lambdaMin(data, inf.g());
        double lambdaH = lambdaMin(data, inf.h());
        assertEquals(lambda0, metrics.get(TrialMetric.LAMBDA0_INF), tolInf, "λ0 = λmin(V∞)");
        assertEquals(mu0, metrics.get(TrialMetric.MU0_INF), tolInf, "μ0 = λmin(G∞)");
        assertEquals(lambdaH, metrics.get(TrialMetric.LAMBDA_MIN_H_INF), tolInf);
        assertEquals(lambdaMax(data, inf.v()), metrics.get(TrialMetric.LAMBDA_MAX_V_INF), tolInf);
        assertEquals(lambdaMax(data, inf.h()), metrics.get(TrialMetric.LAMBDA_MAX_H_INF), tolInf);
        assertTrue(mu0 > 100 * tolInf && lambda0 > 100 * tolInf, "precondition: strictly positive definite limits");

        // Predictions: the Predictions javadoc formulas, once from the reported spectra (a few flops:
        // 1e-14 relative) and once from ours (relative error ≤ p·tol/λ for a p-th power: 4·tol/λ + 1e-14).
        double l0 = metrics.get(TrialMetric.LAMBDA0_INF);
        double m0 = metrics.get(TrialMetric.MU0_INF);
        double lh = metrics.get(TrialMetric.LAMBDA_MIN_H_INF);
        double delta = KERNELS_LOG.delta();
        double ln = Math.log(n / delta);
        double[][] predictions = {
            {eta * l0 / (2 * alpha * alpha), eta * lambda0 / (2 * alpha * alpha), 1, lambda0},
            {eta * m0 / 2, eta * mu0 / 2, 1, mu0},
            {eta * lh / 2, eta * lambdaH / 2, 1, lambdaH},
            {Math.pow(n, 4) * ln / Math.pow(l0, 4), Math.pow(n, 4) * ln / Math.pow(lambda0, 4), 4, lambda0},
            {Math.max(Math.pow(n, 4) * ln / (Math.pow(alpha, 4) * Math.pow(m0, 4)), n * n * ln / (m0 * m0)),
                Math.max(Math.pow(n, 4) * ln / (Math.pow(alpha, 4) * Math.pow(mu0, 4)), n * n * ln / (mu0 * mu0)), 4, mu0},
            {Math.pow(n, 6) / (Math.pow(lh, 4) * Math.pow(delta, 3)), Math.pow(n, 6) / (Math.pow(lambdaH, 4) * Math.pow(delta, 3)), 4, lambdaH},
            {alpha * alpha / metrics.get(TrialMetric.LAMBDA_MAX_V_INF), alpha * alpha / lambdaMax(data, inf.v()), 1,
                lambdaMax(data, inf.v())},
        };
        TrialMetric[] predicted = {TrialMetric.RATE_PRED_V, TrialMetric.RATE_PRED_G, TrialMetric.RATE_PRED_H,
            TrialMetric.WIDTH_PRED_V, TrialMetric.WIDTH_PRED_G, TrialMetric.WIDTH_PRED_H, TrialMetric.ETA_MAX_V};
        for (int p = 0; p < predicted.length; p++) {
            double[] row = predictions[p];
            assertRel(row[0], metrics.get(predicted[p]), 1e-14, predicted[p].column() + " from the reported spectra");
            assertRel(row[1], metrics.get(predicted[p]), row[2] * tolInf / row[3] + 1e-14, predicted[p].column() + " from ours");
        }

        // Finite-width spectra at init: naive kernels of a fresh net with the same draws.
        WeightNormNet fresh = new WeightNormNet(data, init, alpha, BLAS);
        NaiveKernels.Wn k0 = NaiveKernels.wn(data, fresh.directionsCopy(), fresh.gains(), m, alpha);
        double t0 = NaiveKernels.maxSquaredNorm(data);
        double tLambda0 = t0 * (1 / (alpha * alpha) + 1);
        assertEquals(lambdaMin(data, k0.h()), metrics.get(TrialMetric.LAMBDA_MIN_H0), spectralTol(data, t0));
        assertEquals(lambdaMin(data, k0.v()), metrics.get(TrialMetric.LAMBDA_MIN_V0), spectralTol(data, t0));
        assertEquals(lambdaMin(data, k0.g()), metrics.get(TrialMetric.LAMBDA_MIN_G0), spectralTol(data, t0));
        assertEquals(lambdaMin(data, k0.lambda()), metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA0), spectralTol(data, tLambda0));
        assertEquals(lambdaMax(data, k0.lambda()), metrics.get(TrialMetric.LAMBDA_MAX_LAMBDA0), spectralTol(data, tLambda0));

        // At the end: Λ of the trained net, flips, movements, norm growth.
        NaiveKernels.Wn kEnd = NaiveKernels.wn(data, net.directionsCopy(), net.gains(), m, alpha);
        double tEnd = t0 * omegaMax(net) * (1 / (alpha * alpha) + 1);
        assertEquals(lambdaMin(data, kEnd.lambda()), metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA_FINAL), spectralTol(data, tEnd));
        double flipFrac = flips(fresh.preActivations(), net.preActivations());
        assertTrue(flipFrac > 0, "precondition: some indicators flipped");
        assertEquals(flipFrac, metrics.get(TrialMetric.ACT_FLIP_FRAC), 0.0);
        double moveW = maxRowMove(net.effectiveWeights(), fresh.effectiveWeights(), m, d, false);
        assertTrue(moveW > 1e-3, "precondition: the weights moved");
        assertRel(moveW, metrics.get(TrialMetric.MAX_MOVE_W), 1e-14, "max_move_w");
        assertRel(maxRowMove(net.directionsCopy(), fresh.directionsCopy(), m, d, true),
                metrics.get(TrialMetric.MAX_REL_MOVE_V), 1e-14, "max_rel_move_v");
        double moveG = 0;
        for (int k = 0; k < m; k++) {
            moveG = Math.max(moveG, Math.abs(net.gains()[k] - fresh.gains()[k]));
        }
        assertRel(moveG, metrics.get(TrialMetric.MAX_MOVE_G), 1e-14, "max_move_g");
        assertEquals(net.normGrowthError(), metrics.get(TrialMetric.NORM_GROWTH_ERR), 0.0);
        assertTrue(metrics.get(TrialMetric.NORM_GROWTH_ERR) <= 1e-12, "the instruments switched norm-growth tracking on");

        // Curves at the log-spaced steps (every = 0): all instrumented; replay GD by hand and recompute.
        int[] logged = LogSpacedSteps.upTo(run.steps());
        assertArrayEquals(logged, instruments.tracedSteps(), "traced = 0, the log-spaced steps and the end");
        Map<CurveMetric, double[]> curves = instruments.curveMetrics(logged);
        double[] lam = curves.get(CurveMetric.LAMBDA_MIN_LAMBDA);
        double[] flip = curves.get(CurveMetric.ACT_FLIP_FRAC);
        double[] move = curves.get(CurveMetric.MAX_MOVE_W);
        assertEquals(0, logged[0]);
        assertEquals(0.0, flip[0], 0.0, "no flips at step 0");
        assertEquals(0.0, move[0], 0.0, "no movement at step 0");
        assertEquals(metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA0), lam[0], 0.0, "λmin(Λ) at step 0 = lambda_min_lambda0");
        int last = logged.length - 1;
        assertEquals(metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA_FINAL), lam[last], 0.0);
        assertEquals(metrics.get(TrialMetric.ACT_FLIP_FRAC), flip[last], 0.0);
        assertEquals(metrics.get(TrialMetric.MAX_MOVE_W), move[last], 0.0);
        WeightNormNet replay = new WeightNormNet(data, init, alpha, BLAS);
        double[] u0 = replay.preActivations();
        double[] w0 = replay.effectiveWeights();
        replay.forward();
        int at = 0;
        for (int j = 0; j < logged.length; j++) {
            while (at < logged[j]) {
                replay.step(eta);
                replay.forward();
                at++;
            }
            NaiveKernels.Wn k = NaiveKernels.wn(data, replay.directionsCopy(), replay.gains(), m, alpha);
            double t = t0 * omegaMax(replay) * (1 / (alpha * alpha) + 1);
            assertEquals(lambdaMin(data, k.lambda()), lam[j], spectralTol(data, t), "λmin(Λ(" + at + "))");
            assertEquals(flips(u0, replay.preActivations()), flip[j], 0.0, "flips at " + at);
            assertEquals(maxRowMove(replay.effectiveWeights(), w0, m, d, false), move[j], 1e-14 * move[j], "move at " + at);
        }
        assertTrue(lam[last] != lam[0] && flip[last] > 0, "the curves do change along the run");
    }

    // ---- through TrialRunner: every = k, OFF, cheap metrics -----------------------------------------------

    @Test
    void everyKthStepIsInstrumentedAndTheOthersAreNaN() {
        int every = 7;
        TrialSpec spec = new TrialSpec(ModelKind.WN, 1.5, 40, 10, 8, 0.4, 2L, SOURCE.identity(), 45, 1e-12,
                new InstrumentSettings(true, every, 0.1));
        TrialResult r = new TrialRunner(BLAS, EIGEN).run(spec, SOURCE);
        assertEquals(Outcome.CENSORED, r.status(), r.message());
        int[] steps = r.curveSteps();
        for (int s : new int[] {0, 7, 14, 21, 28, 35, 42, 45}) {
            assertTrue(java.util.Arrays.binarySearch(steps, s) >= 0, "the curve holds instrumented step " + s);
        }
        int nanSteps = 0;
        for (int j = 0; j < steps.length; j++) {
            int s = steps[j];
            boolean instrumented = s % every == 0 || s == r.steps();
            for (CurveMetric metric : TrialModels.of(ModelKind.WN).curveMetrics()) {
                double v = r.curveMetrics().get(metric)[j];
                assertEquals(instrumented, Double.isFinite(v), metric.column() + " at step " + s + " = " + v);
            }
            if (!instrumented) {
                nanSteps++;
            }
        }
        assertTrue(nanSteps >= 5, "log-spaced steps that are not multiples of 7 (1..6, ...) are NaN");
        assertEquals(r.metric(TrialMetric.LAMBDA_MIN_LAMBDA0), r.curveMetrics().get(CurveMetric.LAMBDA_MIN_LAMBDA)[0], 0.0);
        assertEquals(0.0, r.curveMetrics().get(CurveMetric.ACT_FLIP_FRAC)[0], 0.0);
        assertEquals(0.0, r.curveMetrics().get(CurveMetric.MAX_MOVE_W)[0], 0.0);
    }

    @Test
    void runnerResultsEqualTheDirectInstrumentsAndOffKeepsOnlyTheCheapMetrics() {
        TrialSpec on = new TrialSpec(ModelKind.WN, 0.6, 32, 9, 7, 0.2, 4L, SOURCE.identity(), 30, 1e-12, KERNELS_LOG);
        TrialSpec off = new TrialSpec(ModelKind.WN, 0.6, 32, 9, 7, 0.2, 4L, SOURCE.identity(), 30, 1e-12);
        assertEquals(InstrumentSettings.OFF, off.instruments());
        TrialRunner runner = new TrialRunner(BLAS, EIGEN);
        TrialResult rOn = runner.run(on, SOURCE);
        TrialResult rOff = runner.run(off, SOURCE);

        // The runner's metrics are those of TrialInstruments watching the same GD run.
        Dataset data = SOURCE.load(on.n(), on.d());
        TwoLayerReluNet net = runner.build(on, data);
        TrialInstruments direct = new TrialInstruments(net, ModelKind.WN, on.alpha(), on.eta(), on.steps(), KERNELS_LOG,
                InfiniteWidthSpectra.of(data, BLAS, EIGEN), BLAS, EIGEN);
        new GradientDescent(on.eta(), new StopRule(on.steps(), on.tolerance())).run(net, direct);
        // Not bit-for-bit: native LAPACK's level-2 kernels may round differently for differently aligned
        // arrays, so spectra can differ in their last bits between two runs. λmin is then off by a few ulps
        // of λmax, i.e. ≤ 1e-13 relative for these well-conditioned kernels; fourth powers in the width
        // predictions multiply that by four: 1e-10 relative is ample.
        assertEquals(direct.metrics().keySet(), rOn.metrics().keySet());
        assertEquals(TrialModels.of(ModelKind.WN).trialMetrics().size(), rOn.metrics().size());
        for (TrialMetric metric : TrialModels.of(ModelKind.WN).trialMetrics()) {
            assertRel(direct.metrics().get(metric), rOn.metric(metric), 1e-10, metric.column());
        }

        // OFF: no kernel metric, NaN through metric(); the cheap ones are there and equal (same trajectory).
        for (TrialMetric metric : TrialModels.of(ModelKind.WN).trialMetrics()) {
            if (metric.needsKernels()) {
                assertFalse(rOff.metrics().containsKey(metric), metric.column());
                assertTrue(Double.isNaN(rOff.metric(metric)), metric.column());
            } else {
                assertTrue(CHEAP_WN.contains(metric));
                assertTrue(Double.isFinite(rOff.metric(metric)), metric.column());
                // The same GD trajectory (BLAS level 3 packs its operands, so it is reproducible).
                assertRel(rOn.metric(metric), rOff.metric(metric), 1e-12, metric.column());
            }
        }
        assertEquals(CHEAP_WN, rOff.metrics().keySet());
        assertTrue(rOff.metric(TrialMetric.ACT_FLIP_FRAC) > 0 && rOff.metric(TrialMetric.MAX_MOVE_W) > 0);
        // OFF instruments only init and end: curves are the log-spaced steps; λ is NaN throughout, the
        // cheap curves are finite at 0 and at the end only.
        assertArrayEquals(LogSpacedSteps.upTo(rOff.steps()), rOff.curveSteps());
        int lastIndex = rOff.curveSteps().length - 1;
        for (int j = 0; j <= lastIndex; j++) {
            assertTrue(Double.isNaN(rOff.curveMetrics().get(CurveMetric.LAMBDA_MIN_LAMBDA)[j]));
            boolean ends = j == 0 || j == lastIndex;
            assertEquals(ends, Double.isFinite(rOff.curveMetrics().get(CurveMetric.ACT_FLIP_FRAC)[j]), "step " + rOff.curveSteps()[j]);
            assertEquals(ends, Double.isFinite(rOff.curveMetrics().get(CurveMetric.MAX_MOVE_W)[j]));
        }
        assertEquals(rOff.metric(TrialMetric.MAX_MOVE_W), rOff.curveMetrics().get(CurveMetric.MAX_MOVE_W)[lastIndex], 0.0);
        // Kernels on with log steps: the curves are finite everywhere.
        for (CurveMetric metric : TrialModels.of(ModelKind.WN).curveMetrics()) {
            for (double v : rOn.curveMetrics().get(metric)) {
                assertTrue(Double.isFinite(v), metric.column());
            }
        }
    }

    // ---- relu ------------------------------------------------------------------------------------------

    @Test
    void reluGetsNoVOrGMetricsAndItsTrainingKernelIsH() {
        int n = 11;
        int d = 9;
        int m = 36;
        double eta = 0.3;
        int steps = 40;
        Dataset data = SOURCE.load(n, d);
        InitialDraws init = InitialDraws.draw(6, m, d);
        ReluNet net = new ReluNet(data, init, BLAS);
        TrialInstruments instruments = new TrialInstruments(net, ModelKind.RELU, null, eta, steps, KERNELS_LOG,
                InfiniteWidthSpectra.of(data, BLAS, EIGEN), BLAS, EIGEN);
        new GradientDescent(eta, new StopRule(steps, 1e-12)).run(net, instruments);
        Map<TrialMetric, Double> metrics = instruments.metrics();
        for (TrialMetric metric : TrialModels.of(ModelKind.WN).trialMetrics()) {
            assertEquals(!WN_ONLY.contains(metric), metrics.containsKey(metric), metric.column());
        }
        ReluNet fresh = new ReluNet(data, init, BLAS);
        double t = NaiveKernels.maxSquaredNorm(data);
        double[] h0 = NaiveKernels.h(data, fresh.weights(), m);
        double lambdaH0 = lambdaMin(data, h0);
        assertTrue(lambdaH0 > 1e-3, "precondition: H(0) is well conditioned here (λmin = " + lambdaH0 + ")");
        assertEquals(lambdaH0, metrics.get(TrialMetric.LAMBDA_MIN_H0), spectralTol(data, t));
        assertEquals(metrics.get(TrialMetric.LAMBDA_MIN_H0), metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA0), 0.0,
                "for relu the training kernel Λ is H");
        assertEquals(lambdaMax(data, h0), metrics.get(TrialMetric.LAMBDA_MAX_LAMBDA0), spectralTol(data, t));
        assertEquals(lambdaMin(data, NaiveKernels.h(data, net.weights(), m)),
                metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA_FINAL), spectralTol(data, t));
        NaiveKernels.Infinite inf = NaiveKernels.infinite(data);
        double lambdaH = lambdaMin(data, inf.h());
        assertEquals(lambdaH, metrics.get(TrialMetric.LAMBDA_MIN_H_INF), spectralTol(data, t));
        assertRel(eta * metrics.get(TrialMetric.LAMBDA_MIN_H_INF) / 2, metrics.get(TrialMetric.RATE_PRED_H), 1e-14, "rate_pred_h");
        double lh = metrics.get(TrialMetric.LAMBDA_MIN_H_INF);
        assertRel(Math.pow(n, 6) / (Math.pow(lh, 4) * Math.pow(0.1, 3)), metrics.get(TrialMetric.WIDTH_PRED_H), 1e-14, "width_pred_h");
        assertEquals(flips(fresh.preActivations(), net.preActivations()), metrics.get(TrialMetric.ACT_FLIP_FRAC), 0.0);
        assertRel(maxRowMove(net.weights(), fresh.weights(), m, d, false), metrics.get(TrialMetric.MAX_MOVE_W), 1e-14, "max_move_w");
        assertRel(maxRowMove(net.weights(), fresh.weights(), m, d, true), metrics.get(TrialMetric.MAX_REL_MOVE_V), 1e-14,
                "relu's max_rel_move_v is max_k ‖w_k − w_k(0)‖/‖w_k(0)‖");
    }

    // ---- divergence, settings -------------------------------------------------------------------------

    @Test
    void divergingTrialsWithKernelsAreDivergedNotFailed() {
        // From a finite blow-up (> 1e6·loss0, where the end's kernels are still formed) to a loss that
        // overflows to ∞ or NaN (where they are skipped): both paths must end DIVERGED, never FAILED.
        int finiteEnd = 0;
        int nonFiniteEnd = 0;
        for (double eta : new double[] {1e4, 1e15, 1e150, 1e300}) {
            for (Double alpha : new Double[] {null, 0.1, 1.0, 10.0}) {
                ModelKind model = alpha == null ? ModelKind.RELU : ModelKind.WN;
                TrialSpec spec = new TrialSpec(model, alpha, 32, 10, 8, eta, 3L, SOURCE.identity(), 200, 1e-8,
                        new InstrumentSettings(true, 1, 0.1));
                TrialResult r = new TrialRunner(BLAS, EIGEN).run(spec, SOURCE);
                String what = model.key() + " α=" + alpha + " η=" + eta + ": " + r.message();
                assertEquals(Outcome.DIVERGED, r.status(), what);
                assertTrue(r.steps() >= 1, what);
                assertTrue(Double.isFinite(r.metric(TrialMetric.LAMBDA_MIN_LAMBDA0)), "init spectra are measured: " + what);
                assertEquals(r.steps(), r.curveSteps()[r.curveSteps().length - 1], what);
                if (Double.isFinite(r.lossFinal())) {
                    finiteEnd++;
                    assertTrue(Double.isFinite(r.metric(TrialMetric.LAMBDA_MIN_LAMBDA_FINAL)), what);
                } else {
                    nonFiniteEnd++;
                    assertTrue(Double.isNaN(r.metric(TrialMetric.LAMBDA_MIN_LAMBDA_FINAL)), what);
                }
            }
        }
        assertTrue(finiteEnd > 0 && nonFiniteEnd > 0, "both paths covered: " + finiteEnd + "/" + nonFiniteEnd);
    }

    @Test
    void kernelInstrumentsNeedTheInfiniteWidthSpectraAndSettingsAreValidated() {
        Dataset data = SOURCE.load(4, 3);
        WeightNormNet net = new WeightNormNet(data, InitialDraws.draw(1, 5, 3), 1.0, BLAS);
        assertThrows(IllegalArgumentException.class,
                () -> new TrialInstruments(net, ModelKind.WN, 1.0, 0.1, 10, KERNELS_LOG, null, BLAS, EIGEN));
        new TrialInstruments(net, ModelKind.WN, 1.0, 0.1, 10, InstrumentSettings.OFF, null, BLAS, EIGEN); // fine without
        assertThrows(IllegalArgumentException.class, () -> new InstrumentSettings(true, -2, 0.1));
        for (double delta : new double[] {0.0, 1.0, -0.1, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new InstrumentSettings(true, 0, delta), "δ=" + delta);
        }
        InstrumentSettings five = new InstrumentSettings(false, 5, 0.1);
        assertTrue(five.instruments(10, s -> false) && !five.instruments(11, s -> true));
        assertTrue(KERNELS_LOG.instruments(13, s -> s == 13) && !KERNELS_LOG.instruments(14, s -> s == 13));
        assertFalse(InstrumentSettings.OFF.instruments(0, s -> true));
        assertEquals("kernels=true,every=log,delta=0.1", KERNELS_LOG.canonical());
        assertEquals("kernels=false,every=none,delta=0.1", InstrumentSettings.OFF.canonical());
        assertEquals("kernels=false,every=5,delta=0.1", five.canonical());
    }
}
