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
    static final int STUDIES = Integer.parseInt(System.getenv().getOrDefault("OVERPARAM_LADDER_STUDIES", "200"));
    private static final int[] NS = {8, 16, 32, 64, 128};

    /** Coverage of the ladder's and of the fixed budget's intervals, with the mean trials and doublings. */
    record Coverage(double ladder, double halfWidth, double fixed, double converged, double trials, double steps, double doublings, double meanP, double meanFixedP) {
    }

    static Coverage coverage(double p, double t0, double kappa, long seed, int studies) {
        return coverage(p, t0, kappa, seed, studies, 1.0);
    }

    static Coverage coverage(double p, double t0, double kappa, long seed, int studies, double nu) {
        int ladderCovered = 0;
        int fixedCovered = 0;
        int converged = 0;
        double trials = 0;
        double steps = 0;
        double doublings = 0;
        double sumP = 0;
        double sumHalf = 0;
        double sumFixed = 0;
        for (int k = 0; k < studies; k++) {
            SlowingDownOracle oracle = new SlowingDownOracle(2, p, 0.2, t0, kappa, nu, seed * 1_000_003L + k);
            AdaptiveStudy study = new AdaptiveStudy(NS, 2, 4000, 0.1, 600, 60, 240);
            LadderStudy.Result r = new LadderStudy(study, new BudgetLadder(0.1, NS, 4), 1000, 6).run(oracle);
            BudgetLadder.Result l = r.ladder();
            ladderCovered += l.pLow() <= p && p <= l.pHigh() ? 1 : 0;
            if (!(l.pLow() <= p && p <= l.pHigh()) && System.getenv("OVERPARAM_LADDER_DEBUG") != null) {
                System.out.printf("miss: converged=%s p=%.3f [%.3f, %.3f] drift %.3f rungs %s reason %s%n", l.converged(), l.p(), l.pLow(),
                        l.pHigh(), l.drift(), l.rungs().stream().map(g -> String.format("%d:%.3f", g.budget(), g.p())).toList(), l.reason());
            }
            fixedCovered += r.search().fit().pLow() <= p && p <= r.search().fit().pHigh() ? 1 : 0;
            converged += l.converged() ? 1 : 0;
            trials += oracle.trialsRun();
            steps += oracle.stepsRun();
            doublings += r.doublings();
            sumP += l.p();
            sumHalf += (l.pHigh() - l.pLow()) / 2;
            sumFixed += r.search().fit().model().p();
        }
        return new Coverage(ladderCovered / (double) studies, sumHalf / studies, fixedCovered / (double) studies, converged / (double) studies,
                trials / studies, steps / studies, doublings / studies, sumP / studies, sumFixed / studies);
    }

    @Test
    void theLadderCoversTheBudgetFreeExponentWhereTheFixedBudgetDoesNot() {
        long start = System.nanoTime();
        Coverage c = coverage(1.0, 20, 1.0, 1, STUDIES);
        System.out.printf("%d studies in %.1f s%n", STUDIES, (System.nanoTime() - start) / 1e9);
        System.out.printf("slowing down T0 = 20 n: ladder coverage %.3f (half-width %.3f, budget-converged %.3f, mean p %.3f),"
                + " fixed budget %.3f (mean p %.3f); %.0f trials, %.3g steps, %.2f doublings a study%n", c.ladder(), c.halfWidth(), c.converged(), c.meanP(), c.fixed(),
                c.meanFixedP(), c.trials(), c.steps(), c.doublings());
        assertTrue(c.ladder() >= 0.90, "ladder coverage " + c.ladder());
        assertTrue(c.fixed() <= 0.5, "the fixed budget's interval should miss the budget-free p: coverage " + c.fixed());
    }

    @Test
    void aShallowerLawWithSlowerDecayIsCoveredToo() {
        long start = System.nanoTime();
        Coverage c = coverage(0.5, 60, 0.5, 2, STUDIES, 1.5);
        System.out.printf("%d studies in %.1f s%n", STUDIES, (System.nanoTime() - start) / 1e9);
        System.out.printf("slowing down T0 = 60 sqrt(n), nu 1.5: ladder coverage %.3f (half-width %.3f, budget-converged %.3f, mean p"
                + " %.3f), fixed budget %.3f (mean p %.3f); %.0f trials, %.3g steps, %.2f doublings a study%n", c.ladder(), c.halfWidth(), c.converged(), c.meanP(),
                c.fixed(), c.meanFixedP(), c.trials(), c.steps(), c.doublings());
        assertTrue(c.ladder() >= 0.90, "ladder coverage " + c.ladder());
        assertTrue(c.fixed() <= 0.5, "the fixed budget's interval should miss the budget-free p: coverage " + c.fixed());
    }
}
