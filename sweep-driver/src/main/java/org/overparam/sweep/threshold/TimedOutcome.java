package org.overparam.sweep.threshold;

/**
 * One trial of a fit group as the budget ladder reads it (theory.md §8): its point (n, m) and which repeat
 * there it is (the k-th trial at a point takes the k-th seed: a rerun with a larger budget is the same repeat),
 * the step budget it ran with, and the first step at which it reached the tolerance ({@code convergedAt}, −1 when it did not).
 * A trial that reached the tolerance at step t converged by every budget T ≥ t and not by any T < t; one that
 * did not is censored at its budget (unknown beyond it). A {@code stuck} one (the stuck rule stopped it at step s
 * with horizon H) is known not to converge by what the rule certifies, {@code certified = max((H + 1)·s, budget)}:
 * the rule stops a trial only when its trend reaches the target beyond H·s more steps and beyond what is left of its
 * budget (docs/tables.md, "The stuck rule"); beyond that it is censored like any other, so the ladder reruns it
 * at larger budgets when that may matter. For the others {@code certified} is the budget.
 * Diverged and timed-out trials are no evidence about the width and never become a {@code TimedOutcome}.
 */
public record TimedOutcome(int n, int m, int repeat, int budget, int convergedAt, boolean stuck, int certified) {
    public TimedOutcome {
        if (n <= 0 || m <= 0 || budget < 0) {
            throw new IllegalArgumentException("n, m must be positive and the budget non-negative, got n=" + n + " m=" + m
                    + " budget=" + budget);
        }
        if (convergedAt > budget || (stuck && convergedAt >= 0)) {
            throw new IllegalArgumentException("a trial converges within its budget and is not stuck then, got budget=" + budget
                    + " convergedAt=" + convergedAt + " stuck=" + stuck);
        }
        if (stuck ? certified < budget : certified != budget) {
            throw new IllegalArgumentException("a trial is certified to its budget, a stuck one at least that far, got budget="
                    + budget + " certified=" + certified + " stuck=" + stuck);
        }
    }

    /** A trial that converged at step {@code t} of a budget {@code budget}. */
    public static TimedOutcome converged(int n, int m, int repeat, int budget, int t) {
        return new TimedOutcome(n, m, repeat, budget, t, false, budget);
    }

    /** A trial that ran its whole budget without converging. */
    public static TimedOutcome censored(int n, int m, int repeat, int budget) {
        return new TimedOutcome(n, m, repeat, budget, -1, false, budget);
    }

    /**
     * A trial the stuck rule stopped at step {@code stoppedAt} of a budget {@code budget}, with horizon
     * {@code horizon}: not converged by {@code max((horizon + 1)·stoppedAt, budget)}, unknown beyond.
     */
    public static TimedOutcome stuck(int n, int m, int repeat, int budget, int stoppedAt, int horizon) {
        long certified = Math.max((long) (horizon + 1) * stoppedAt, budget);
        return new TimedOutcome(n, m, repeat, budget, -1, true, (int) Math.min(certified, Integer.MAX_VALUE));
    }

    /** The same trial (point and repeat) as {@code other}. */
    public boolean sameTrial(TimedOutcome other) {
        return n == other.n && m == other.m && repeat == other.repeat;
    }

    /**
     * The trial of a table row: status {@code converged} (at {@code steps}), {@code censored} (or {@code max_steps},
     * its name in older tables) or {@code stuck} (at {@code steps}, with the sweep's stuck rule horizon
     * {@code horizon}); null for the statuses that are no evidence about the width ({@code diverged}: the step is
     * unstable there; {@code timeout}, {@code failed}).
     */
    public static TimedOutcome ofRow(int n, int m, int repeat, int budget, String status, int steps, int horizon) {
        return switch (status) {
            case "converged" -> converged(n, m, repeat, budget, Math.min(steps, budget));
            case "censored", "max_steps" -> censored(n, m, repeat, budget);
            case "stuck" -> stuck(n, m, repeat, budget, Math.min(steps, budget), horizon);
            default -> null;
        };
    }

    /**
     * Whether a trial with this status says something about its width: it converged, or ran its budget without
     * converging ({@code censored}, {@code max_steps}, {@code stuck}); not when it diverged (the step is unstable
     * there, theory.md §8), timed out or failed.
     */
    public static boolean evidence(String status) {
        return switch (status) {
            case "converged", "censored", "max_steps", "stuck" -> true;
            default -> false;
        };
    }

    /** Whether the trial converged within its budget. */
    public boolean converged() {
        return convergedAt >= 0;
    }

    /**
     * Its outcome at budget {@code t}: converged by t or not. A censored trial whose budget is below t is
     * unknown there; the ladder counts it as a failure (see {@link BudgetLadder}), which the ladder's reruns
     * make right: every censored trial with a non-negligible chance of converging by t is rerun with budget t.
     */
    public Outcome at(long t) {
        return new Outcome(n, m, converged() && convergedAt <= t);
    }

    /**
     * Whether its outcome at budget {@code t} was imputed rather than observed (censored before t; a stuck trial:
     * beyond what its rule certified).
     */
    public boolean imputedAt(long t) {
        return !converged() && certified < t;
    }
}
