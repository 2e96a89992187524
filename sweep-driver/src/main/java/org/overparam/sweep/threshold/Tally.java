package org.overparam.sweep.threshold;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary outcomes tallied by point (n, m): successes of trials there. The log-likelihood of
 * {@link ThresholdModel} is a sum over the distinct points — a search repeats points, so a fit evaluates
 * tens of terms instead of hundreds — and equals the sum over trials (up to rounding).
 */
final class Tally {
    final double[] logM;
    final double[] logN;
    final int[] successes;
    final int[] trials;
    final int size;

    private Tally(double[] logM, double[] logN, int[] successes, int[] trials, int size) {
        this.logM = logM;
        this.logN = logN;
        this.successes = successes;
        this.trials = trials;
        this.size = size;
    }

    static Tally of(List<Outcome> outcomes) {
        Map<Long, int[]> byPoint = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            int[] c = byPoint.computeIfAbsent((long) o.n() << 32 | o.m(), k -> new int[2]);
            c[0] += o.success() ? 1 : 0;
            c[1]++;
        }
        int p = byPoint.size();
        double[] logM = new double[p];
        double[] logN = new double[p];
        int[] k = new int[p];
        int[] t = new int[p];
        int i = 0;
        for (Map.Entry<Long, int[]> e : byPoint.entrySet()) {
            logN[i] = Math.log((int) (e.getKey() >>> 32));
            logM[i] = Math.log((int) (long) e.getKey());
            k[i] = e.getValue()[0];
            t[i] = e.getValue()[1];
            i++;
        }
        return new Tally(logM, logN, k, t, outcomes.size());
    }

    /** The log-likelihood of the outcomes under {@code model} (probabilities clamped as in {@link ThresholdModel#logLikelihood}). */
    double logLikelihood(ThresholdModel model) {
        double s = model.s();
        double keep = 1.0 - model.lambda();
        double ll = 0.0;
        for (int i = 0; i < logM.length; i++) {
            double q = keep * ThresholdModel.logistic((logM[i] - model.a() - model.p() * logN[i]) / s);
            q = Math.min(Math.max(q, 1e-300), 1.0 - 1e-15);
            int k = successes[i];
            int f = trials[i] - k;
            ll += (k == 0 ? 0 : k * Math.log(q)) + (f == 0 ? 0 : f * Math.log1p(-q));
        }
        return ll;
    }
}
