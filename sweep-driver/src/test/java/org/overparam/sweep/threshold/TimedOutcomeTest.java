package org.overparam.sweep.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How far a trial's verdict reaches on the budget ladder: a censored trial is known to its budget, a stuck one to
 * what its rule certified ({@code max((H + 1)·s, budget)}), and beyond that both are unknown — imputed as failing
 * and rerun by the ladder when their chance of converging is not negligible.
 */
class TimedOutcomeTest {
    @Test
    void aStuckVerdictReachesAsFarAsItsRuleCertifies() {
        // Stopped at step 1,024 of 16,000 with horizon 32: the trend reaches the target beyond 32 × 1,024 more steps.
        TimedOutcome early = TimedOutcome.stuck(16, 8, 0, 16_000, 1_024, 32);
        assertEquals(33 * 1_024, early.certified());
        assertTrue(early.stuck());
        assertFalse(early.at(64_000).success(), "never converged, at any rung");
        assertFalse(early.imputedAt(16_000));
        assertFalse(early.imputedAt(33 * 1_024), "observed up to the certificate");
        assertTrue(early.imputedAt(33 * 1_024 + 1), "imputed beyond it, as a censored trial is beyond its budget");
        // At the last step the rule certifies (H + 1) × the budget.
        assertEquals(33 * 16_000, TimedOutcome.stuck(16, 8, 0, 16_000, 16_000, 32).certified());
        // Late in a long budget the budget is the larger: the rule never stops a trial its trend brings home in time.
        assertEquals(64_000, TimedOutcome.stuck(16, 8, 0, 64_000, 1_024, 8).certified());
        // A censored trial is known to its budget only.
        TimedOutcome censored = TimedOutcome.censored(16, 8, 0, 16_000);
        assertEquals(16_000, censored.certified());
        assertTrue(censored.imputedAt(16_001));
        assertFalse(TimedOutcome.converged(16, 8, 0, 16_000, 900).imputedAt(1_000_000), "a converged trial is never imputed");
    }

    @Test
    void rowsReadTheirStatusAndTheSweepsHorizon() {
        assertEquals(TimedOutcome.stuck(32, 12, 1, 8_000, 2_048, 16), TimedOutcome.ofRow(32, 12, 1, 8_000, "stuck", 2_048, 16));
        assertEquals(TimedOutcome.censored(32, 12, 1, 8_000), TimedOutcome.ofRow(32, 12, 1, 8_000, "max_steps", 8_000, 32));
        assertEquals(TimedOutcome.converged(32, 12, 1, 8_000, 700), TimedOutcome.ofRow(32, 12, 1, 8_000, "converged", 700, 32));
        assertNull(TimedOutcome.ofRow(32, 12, 1, 8_000, "diverged", 12, 32), "a diverged trial is no evidence about the width");
        assertNull(TimedOutcome.ofRow(32, 12, 1, 8_000, "timeout", 5_000, 32));
        assertThrows(IllegalArgumentException.class, () -> new TimedOutcome(32, 12, 1, 8_000, -1, false, 16_000),
                "only a stuck trial is known beyond its budget");
        assertThrows(IllegalArgumentException.class, () -> new TimedOutcome(32, 12, 1, 8_000, -1, true, 4_000));
    }

    @Test
    void theLadderRerunsAStuckTrialOnlyBeyondItsCertificate() {
        int[] ns = {8, 16, 32};
        BudgetLadder ladder = new BudgetLadder(0.25, ns, 2);
        // Outcomes drawn from P(converged) = F((ln m − ln(2√n))/0.3), converging at step 100 of 1,000.
        Random rnd = new Random(7);
        List<TimedOutcome> runs = new ArrayList<>();
        for (int n : ns) {
            for (int m = 2; m <= 64; m++) {
                double z = (Math.log(m) - Math.log(2 * Math.sqrt(n))) / 0.3;
                for (int k = 0; k < 3; k++) {
                    runs.add(rnd.nextDouble() < ThresholdModel.logistic(z) ? TimedOutcome.converged(n, m, k, 1_000, 100)
                            : TimedOutcome.censored(n, m, k, 1_000));
                }
            }
        }
        BudgetLadder.Result result = ladder.analyse(runs);
        assertNotNull(result.top().fit(), "the top rung has a fit");
        // At the threshold of n = 32 (m ≈ 11): a censored trial is worth rerunning at twice its budget; a stuck one
        // whose rule certified 2,048 steps (stopped at 512 with horizon 3) is not, until the budget passes that.
        TimedOutcome censored = TimedOutcome.censored(32, 11, 5, 1_000);
        TimedOutcome stuck = TimedOutcome.stuck(32, 11, 6, 1_000, 512, 3);
        assertEquals(2_048, stuck.certified());
        assertEquals(List.of(censored), ladder.worthRerunning(result, List.of(censored, stuck), 2_000));
        assertEquals(List.of(censored, stuck), ladder.worthRerunning(result, List.of(censored, stuck), 4_000));
        // Far below every threshold neither is worth it.
        assertEquals(List.of(), ladder.worthRerunning(result, List.of(TimedOutcome.stuck(32, 2, 6, 1_000, 512, 3)), 4_000));
    }
}
