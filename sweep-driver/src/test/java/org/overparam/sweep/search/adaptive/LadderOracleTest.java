package org.overparam.sweep.search.adaptive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.sweep.threshold.BudgetLadder;

/**
 * The budget ladder on a simulated oracle with critical slowing down ({@link SlowingDownOracle}) driving the real
 * search and ladder code ({@link LadderStudy}): over {@value #STUDIES} studies the budget-converged p's interval
 * must cover the oracle's true, budget-free p in at least 90 %, while the fixed-budget p of the same searches
 * does not (its interval is as tight, around a budget-biased value).
 */
class LadderOracleTest {
    static final int STUDIES = Integer.getInteger("overparam.ladderStudies", 200);
    private static final int[] NS = {8, 16, 32, 64, 128};

    /** Coverage of the ladder's and of the fixed budget's intervals, with the mean trials and doublings. */
    record Coverage(double ladder, double fixed, double converged, double trials, double doublings, double meanP, double meanFixedP) {
    }

    static Coverage coverage(double p, double t0, double kappa, long seed, int studies) {
        int ladderCovered = 0;
        int fixedCovered = 0;
        int converged = 0;
        double trials = 0;
        double doublings = 0;
        double sumP = 0;
        double sumFixed = 0;
        for (int k = 0; k < studies; k++) {
            SlowingDownOracle oracle = new SlowingDownOracle(2, p, 0.2, t0, kappa, 1.0, seed * 1_000_003L + k);
            AdaptiveStudy study = new AdaptiveStudy(NS, 2, 4000, 0.1, 600, 60, 240);
            LadderStudy.Result r = new LadderStudy(study, new BudgetLadder(0.1, NS, 3), 1000, 6).run(oracle);
            BudgetLadder.Result l = r.ladder();
            ladderCovered += l.pLow() <= p && p <= l.pHigh() ? 1 : 0;
            fixedCovered += r.search().fit().pLow() <= p && p <= r.search().fit().pHigh() ? 1 : 0;
            converged += l.converged() ? 1 : 0;
            trials += oracle.trialsRun();
            doublings += r.doublings();
            sumP += l.p();
            sumFixed += r.search().fit().model().p();
        }
        return new Coverage(ladderCovered / (double) studies, fixedCovered / (double) studies, converged / (double) studies,
                trials / studies, doublings / studies, sumP / studies, sumFixed / studies);
    }

    @Test
    void theLadderCoversTheBudgetFreeExponentWhereTheFixedBudgetDoesNot() {
        Coverage c = coverage(1.0, 20, 1.0, 1, STUDIES);
        System.out.printf("slowing down T0 = 20 n: ladder coverage %.3f (budget-converged %.3f, mean p %.3f), fixed budget %.3f"
                + " (mean p %.3f); %.0f trials, %.2f doublings a study%n", c.ladder(), c.converged(), c.meanP(), c.fixed(),
                c.meanFixedP(), c.trials(), c.doublings());
        assertTrue(c.ladder() >= 0.90, "ladder coverage " + c.ladder());
        assertTrue(c.fixed() <= 0.5, "the fixed budget's interval should miss the budget-free p: coverage " + c.fixed());
    }
}
