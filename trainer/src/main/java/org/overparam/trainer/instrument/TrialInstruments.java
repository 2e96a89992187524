package org.overparam.trainer.instrument;

import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.gd.StepObserver;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.ntk.BlasKernelProducts;
import org.overparam.trainer.ntk.GramMatrices;
import org.overparam.trainer.ntk.KernelProducts;
import org.overparam.trainer.ntk.Spectrum;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.ntk.SymmetricMatrix;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;

/**
 * The instruments of one trial (theory.md §6), watching gradient descent: at init, at the
 * instrumented steps and at the end it measures the fraction of flipped activation indicators, the
 * movement of the weights and, with {@code kernels}, the spectra of {@code H, V, G, Λ}; with the
 * infinite-width spectra it adds the theorems' predictions ({@link Predictions}).
 */
public final class TrialInstruments implements StepObserver {
    /** The curve metrics these instruments trace, in column order (relu's and wn's curve columns). */
    public static final List<CurveMetric> CURVE_METRICS =
            List.of(CurveMetric.LAMBDA_MIN_LAMBDA, CurveMetric.ACT_FLIP_FRAC, CurveMetric.MAX_MOVE_W);

    private final TwoLayerReluNet net;
    private final WeightNormNet wn;
    private final ModelKind model;
    private final Double alpha;
    private final double eta;
    private final InstrumentSettings settings;
    private final GramMatrices grams;
    private final SymmetricEigen eigen;
    private final InfiniteWidthSpectra infinite;
    private final int n;
    private final int m;
    private final int d;
    private final int[] logSteps;
    private final Map<TrialMetric, Double> metrics = new EnumMap<>(TrialMetric.class);
    private final TreeMap<Integer, double[]> trace = new TreeMap<>();
    private BitSet signs0;
    private double[] w0;
    private double[] v0;
    private double[] vNorm0;
    private double[] g0;

    /**
     * @param infinite the data's infinite-width spectra; required when {@code settings.kernels()}
     * @param maxSteps the step budget (for the log-spaced schedule)
     */
    public TrialInstruments(TwoLayerReluNet net, ModelKind model, Double alpha, double eta, int maxSteps,
                            InstrumentSettings settings, InfiniteWidthSpectra infinite,
                            RowMajorBlas blas, SymmetricEigen eigen) {
        this(net, model, alpha, eta, maxSteps, settings, infinite, blas, eigen, new BlasKernelProducts(blas));
    }

    /**
     * Instruments whose kernel products come from {@code products} (the device that trains the net, whose
     * parameters {@code net} mirrors at every step the instruments observe).
     */
    public TrialInstruments(TwoLayerReluNet net, ModelKind model, Double alpha, double eta, int maxSteps,
                            InstrumentSettings settings, InfiniteWidthSpectra infinite,
                            RowMajorBlas blas, SymmetricEigen eigen, KernelProducts products) {
        this.net = net;
        this.wn = net instanceof WeightNormNet w ? w : null;
        this.model = model;
        this.alpha = alpha;
        this.eta = eta;
        this.settings = settings;
        this.eigen = eigen;
        this.infinite = infinite;
        this.n = net.data().n();
        this.d = net.data().d();
        this.m = net.width();
        this.logSteps = LogSpacedSteps.upTo(maxSteps);
        this.grams = settings.kernels() ? new GramMatrices(net.data(), blas, products) : null;
        if (settings.kernels() && infinite == null) {
            throw new IllegalArgumentException("kernel instruments need the infinite-width spectra");
        }
        if (wn != null) {
            wn.trackNormGrowth();
        }
    }

    @Override
    public boolean wants(int step) {
        return step == 0 || settings.instruments(step, s -> Arrays.binarySearch(logSteps, s) >= 0);
    }

    @Override
    public void observe(int step, double loss) {
        double[] u = net.preActivations();
        double[] w = net.effectiveWeights();
        if (step == 0) {
            initialState(u, w);
        }
        double lambdaMin = Double.NaN;
        if (settings.kernels() && Double.isFinite(loss) && allFinite(u)) {
            Double atInit = metrics.get(TrialMetric.LAMBDA_MIN_LAMBDA0);
            lambdaMin = step == 0 ? (atInit == null ? Double.NaN : atInit) : trainingKernelSpectrum(u).min();
        }
        trace.put(step, new double[] {lambdaMin, flippedFraction(u), maxRowDistance(w, w0)});
    }

    @Override
    public void finish(int step, double loss) {
        if (!trace.containsKey(step)) {
            observe(step, loss);
        }
        double[] last = trace.get(step);
        metrics.put(TrialMetric.ACT_FLIP_FRAC, last[1]);
        metrics.put(TrialMetric.MAX_MOVE_W, last[2]);
        if (settings.kernels()) {
            metrics.put(TrialMetric.LAMBDA_MIN_LAMBDA_FINAL, last[0]);
        }
        if (wn != null) {
            double[] v = wn.directionsCopy();
            double rel = 0;
            for (int k = 0; k < m; k++) {
                rel = Math.max(rel, rowDistance(v, v0, k) / vNorm0[k]);
            }
            metrics.put(TrialMetric.MAX_REL_MOVE_V, rel);
            double[] g = wn.gains();
            double moveG = 0;
            for (int k = 0; k < m; k++) {
                moveG = Math.max(moveG, Math.abs(g[k] - g0[k]));
            }
            metrics.put(TrialMetric.MAX_MOVE_G, moveG);
            metrics.put(TrialMetric.NORM_GROWTH_ERR, wn.normGrowthError());
        } else {
            double[] w = net.effectiveWeights();
            double rel = 0;
            for (int k = 0; k < m; k++) {
                rel = Math.max(rel, rowDistance(w, w0, k) / rowNorm(w0, k));
            }
            metrics.put(TrialMetric.MAX_REL_MOVE_V, rel);
        }
    }

    /** The per-trial metrics measured (after {@link #finish}). */
    public Map<TrialMetric, Double> metrics() {
        return new EnumMap<>(metrics);
    }

    /** The instrumented steps, ascending. */
    public int[] tracedSteps() {
        return trace.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The model's curve metric values at {@code steps}: NaN at steps that were not instrumented. */
    public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
        Map<CurveMetric, double[]> out = new EnumMap<>(CurveMetric.class);
        for (CurveMetric metric : CURVE_METRICS) {
            double[] values = new double[steps.length];
            for (int j = 0; j < steps.length; j++) {
                double[] t = trace.get(steps[j]);
                values[j] = t == null || metric.ordinal() >= t.length ? Double.NaN : t[metric.ordinal()];
            }
            out.put(metric, values);
        }
        return out;
    }

    private void initialState(double[] u, double[] w) {
        signs0 = new BitSet(n * m);
        for (int i = 0; i < u.length; i++) {
            if (u[i] >= 0) {
                signs0.set(i);
            }
        }
        w0 = w;
        if (wn != null) {
            v0 = wn.directionsCopy();
            vNorm0 = wn.directionNorms();
            g0 = wn.gains();
        }
        if (!settings.kernels() || !allFinite(u)) {
            return;
        }
        if (wn != null) {
            GramMatrices.WeightNormKernels k = grams.weightNorm(u, vNorm0, g0, alpha);
            metrics.put(TrialMetric.LAMBDA_MIN_H0, eigen.extremes(k.h()).min());
            metrics.put(TrialMetric.LAMBDA_MIN_V0, eigen.extremes(k.v()).min());
            metrics.put(TrialMetric.LAMBDA_MIN_G0, eigen.extremes(k.g()).min());
            Spectrum lambda = eigen.extremes(k.lambda());
            metrics.put(TrialMetric.LAMBDA_MIN_LAMBDA0, lambda.min());
            metrics.put(TrialMetric.LAMBDA_MAX_LAMBDA0, lambda.max());
            metrics.put(TrialMetric.LAMBDA0_INF, infinite.v().min());
            metrics.put(TrialMetric.MU0_INF, infinite.g().min());
            metrics.put(TrialMetric.LAMBDA_MAX_V_INF, infinite.v().max());
        } else {
            Spectrum h = eigen.extremes(grams.relu(u, m));
            metrics.put(TrialMetric.LAMBDA_MIN_H0, h.min());
            metrics.put(TrialMetric.LAMBDA_MIN_LAMBDA0, h.min());
            metrics.put(TrialMetric.LAMBDA_MAX_LAMBDA0, h.max());
        }
        metrics.put(TrialMetric.LAMBDA_MIN_H_INF, infinite.h().min());
        metrics.put(TrialMetric.LAMBDA_MAX_H_INF, infinite.h().max());
        Predictions.put(model, alpha, n, eta, settings.delta(), infinite, metrics);
    }

    /** The spectrum of the training kernel Λ (wn) or H (relu) at the current parameters. */
    private Spectrum trainingKernelSpectrum(double[] u) {
        SymmetricMatrix kernel = wn != null
                ? grams.weightNorm(u, wn.directionNorms(), wn.gains(), alpha).lambda()
                : grams.relu(u, m);
        return eigen.extremes(kernel);
    }

    private static boolean allFinite(double[] a) {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private double flippedFraction(double[] u) {
        long flipped = 0;
        for (int i = 0; i < u.length; i++) {
            if ((u[i] >= 0) != signs0.get(i)) {
                flipped++;
            }
        }
        return flipped / (double) u.length;
    }

    private double maxRowDistance(double[] a, double[] b) {
        double worst = 0;
        for (int k = 0; k < m; k++) {
            worst = Math.max(worst, rowDistance(a, b, k));
        }
        return worst;
    }

    private double rowDistance(double[] a, double[] b, int k) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double diff = a[k * d + j] - b[k * d + j];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    private double rowNorm(double[] a, int k) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += a[k * d + j] * a[k * d + j];
        }
        return Math.sqrt(s);
    }
}
