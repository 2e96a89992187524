package org.overparam.sweep.search.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;
import org.overparam.sweep.threshold.ThresholdModel;

class BatchDesignerTest {

    private static final ThresholdModel MODEL =
            new ThresholdModel(0.4, 1.1, Math.log(0.3), Math.log(0.05 / 0.95));

    /** The analytic Fisher information equals g gᵀ/(q(1-q)) with g by central finite differences. */
    @Test
    void informationMatchesFiniteDifferences() {
        double m = 30, n = 20;
        double[] x = {MODEL.a(), MODEL.p(), MODEL.logS(), MODEL.logitLambda()};
        double[] g = new double[4];
        for (int i = 0; i < 4; i++) {
            double h = 1e-6;
            double[] up = x.clone();
            double[] dn = x.clone();
            up[i] += h;
            dn[i] -= h;
            g[i] = (ThresholdModel.of(up).probability(m, n) - ThresholdModel.of(dn).probability(m, n)) / (2 * h);
        }
        double q = MODEL.probability(m, n);
        double[][] info = BatchDesigner.information(MODEL, m, n);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double expected = g[i] * g[j] / (q * (1 - q));
                assertEquals(expected, info[i][j], 1e-6 * (1 + Math.abs(expected)));
            }
        }
    }

    @Test
    void candidatesAreIntegerWidthsInRange() {
        BatchDesigner d = new BatchDesigner(new int[] {10, 100}, 3, 700, 8);
        List<Integer> ms = d.candidateWidths();
        assertEquals(3, ms.get(0));
        assertEquals(700, ms.get(ms.size() - 1));
        for (int i = 1; i < ms.size(); i++) {
            assertTrue(ms.get(i) > ms.get(i - 1));
        }
    }

    /** The designed batch leaves a smaller posterior variance of p than a batch spread evenly over the grid. */
    @Test
    void designedBatchBeatsAnEvenSpread() {
        int[] ns = {10, 20, 40, 80, 160};
        BatchDesigner d = new BatchDesigner(ns, 2, 2000, 10);
        double[][] cov = new double[4][4];
        for (int i = 0; i < 4; i++) {
            cov[i][i] = 0.5;
        }
        ThresholdFit fit = new ThresholdFit(MODEL, cov, 0, 0);
        List<Outcome> batch = d.nextBatch(fit, 20);
        assertEquals(20, batch.size());
        double designed = posteriorVarP(cov, batch);
        List<Integer> ms = d.candidateWidths();
        java.util.List<Outcome> even = new java.util.ArrayList<>();
        for (int k = 0; k < 20; k++) {
            even.add(new Outcome(ns[k % ns.length], ms.get((k * 7) % ms.size()), false));
        }
        double spread = posteriorVarP(cov, even);
        assertTrue(designed < spread, "designed " + designed + " vs spread " + spread);
        // determinism
        assertEquals(batch, d.nextBatch(fit, 20));
    }

    private static double posteriorVarP(double[][] cov, List<Outcome> pts) {
        double[][] prec = ThresholdFitter.invert(cov);
        for (Outcome o : pts) {
            double[][] info = BatchDesigner.information(MODEL, o.m(), o.n());
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    prec[i][j] += info[i][j];
                }
            }
        }
        return ThresholdFitter.invert(prec)[1][1];
    }

    /**
     * With a history at the smallest and largest n only, every fourth pick is a check at the least-tried n
     * (first on ties), at the candidate width whose fitted success is nearest the next check level; the
     * picks before the first check are the c-optimal ones.
     */
    @Test
    void checksGoToTheLeastTriedNAtTheCheckLevels() {
        int[] ns = {10, 20, 40, 80, 160};
        BatchDesigner d = new BatchDesigner(ns, 2, 2000, 10);
        double[][] cov = new double[4][4];
        for (int i = 0; i < 4; i++) {
            cov[i][i] = 0.5;
        }
        ThresholdFit fit = new ThresholdFit(MODEL, cov, 0, 0);
        List<Outcome> history = new java.util.ArrayList<>();
        for (int k = 0; k < 30; k++) {
            history.add(new Outcome(10, 40, true));
            history.add(new Outcome(160, 400, false));
        }
        history.add(new Outcome(20, 40, true));   // 20 has one trial: the first check goes to 40
        List<Outcome> batch = d.nextBatch(fit, 12, history);
        assertEquals(d.nextBatch(fit, 3), batch.subList(0, 3));
        int[] checkNs = {batch.get(3).n(), batch.get(7).n(), batch.get(11).n()};
        assertEquals(40, checkNs[0]);
        assertEquals(80, checkNs[1]);
        assertEquals(20, checkNs[2]);
        // first check at 40: level 0.5 of the ceiling (no trial there yet); at 20 (one trial): level 0.2
        assertNearestTo(d, 40, batch.get(3).m(), 0.5);
        assertNearestTo(d, 20, batch.get(11).m(), 0.2);
        assertEquals(batch, d.nextBatch(fit, 12, history));
    }

    private static void assertNearestTo(BatchDesigner d, int n, int m, double level) {
        double target = (1 - MODEL.lambda()) * level;
        double gap = Math.abs(MODEL.probability(m, n) - target);
        for (int other : d.candidateWidths()) {
            assertTrue(gap <= Math.abs(MODEL.probability(other, n) - target), "width " + other + " nearer than " + m);
        }
    }
}
