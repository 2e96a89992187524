package org.overparam.trainer.gd;

import java.util.Locale;
import org.overparam.trainer.fit.LogSlope;

/**
 * When the dynamics certify that a trial will not converge within a horizon ({@code train.stuck_horizon},
 * status {@code stuck}; theory.md §8). Near GD's linear regime {@code L(s+1) ≈ (1 − 2η·PL(s)) L(s)} with the
 * PL ratio {@code PL = ‖∇L‖²/(2L)}, so the log-slope of the loss is the PL ratio at work; a plateau is a PL
 * ratio decaying toward 0 at a non-zero loss, which shows as a log-slope too flat to reach the tolerance in
 * any budget one would pay for.
 *
 * <p>The rule, at a checkpoint {@code s} of a run with budget {@code T}: the loss {@code L_s} is still at least
 * {@link #MARGIN} times the target {@code τ·L_0}, and the least-squares slope {@code b} of {@code ln L} over the
 * steps {@code s/2..s} ({@link LogSlope}) projects the target beyond {@code max(horizon·s, T − s)} more steps:
 * {@code b ≥ 0}, or {@code ln(τ L_0/L_s)/b > max(horizon·s, T − s)}. A trial whose own trend reaches the target
 * within its budget is never stopped (at an early checkpoint of a long budget {@code horizon·s} is shorter than
 * what is left: docs/validation.md §7 found hinge trials stopped at step 1,024 of 64,000, projected to converge
 * at 35,000, that converged at 100,000–200,000), so {@code stuck} certifies at least what {@code censored} would.
 * Checkpoints are the steps {@code 2^k ≥ }{@link #FIRST_CHECKPOINT}
 * (for runs that evaluate the loss only at some steps, SGD, the first evaluated step at or after each) and the
 * last step of the budget (when it is at least {@link #FIRST_CHECKPOINT}), where it tells {@code stuck} from
 * {@code censored}. A window of half the run forgets the fast start and smooths oscillations; the horizon
 * scales with {@code s}, because a trial that has fallen slowly for {@code s} steps and would need
 * {@code horizon·s} more is the critical slowing down of theory.md §8 at best. A squared-hinge trial uses
 * the same target {@code τ·L_0}: reaching 0 takes longer still. Horizon 0 turns the rule off.
 * docs/validation.md measures its false positives (stuck at budget T, converged within 64T).
 *
 * @param horizon the horizon factor; 0: off
 */
public record StuckRule(int horizon) {
    /**
     * The default of {@code train.stuck_horizon}: no false positive (stuck at T, converged within 64T) among its
     * 567 stuck calls on 704 trials at 3 budgets in docs/validation.md §6 (horizon 16 had 6 of 613, up to 4 % in one
     * grid), and about 80 % of the trials that do not converge within 64T stopped before T.
     */
    public static final int DEFAULT_HORIZON = 32;
    /** No stuck rule. */
    public static final StuckRule OFF = new StuckRule(0);
    /** The first checkpoint: before it, too little of the run has passed to judge its dynamics. */
    public static final int FIRST_CHECKPOINT = 1024;
    /** The loss must still be this many times the target: a trial near its target is never stuck. */
    public static final double MARGIN = 10;

    public StuckRule {
        if (horizon < 0) {
            throw new IllegalArgumentException("train.stuck_horizon must be >= 0, got " + horizon);
        }
    }

    /** Whether the rule is on. */
    public boolean on() {
        return horizon > 0;
    }

    /** Whether {@code step} is a checkpoint {@code 2^k ≥ FIRST_CHECKPOINT}. */
    public static boolean checkpoint(int step) {
        return step >= FIRST_CHECKPOINT && (step & (step - 1)) == 0;
    }

    /**
     * The evidence that a run is stuck at step {@code s} ({@code losses[j]} the loss after {@code j} updates,
     * NaN where not evaluated), or null when it is not, the rule is off, or {@code s < FIRST_CHECKPOINT}.
     * A pure function of the losses and the budget {@code budget} (the run's last step): checked at checkpoints by
     * the training loops and at the last step.
     */
    public String verdict(double[] losses, int s, double tolerance, int budget) {
        if (!on() || s < FIRST_CHECKPOINT || s >= losses.length) {
            return null;
        }
        double loss0 = losses[0];
        double loss = losses[s];
        double target = tolerance * loss0;
        if (!(loss0 > 0) || !Double.isFinite(loss) || !(loss >= MARGIN * target)) {
            return null;
        }
        double slope = LogSlope.over(losses, s / 2, s);
        if (Double.isNaN(slope)) {
            return null;
        }
        double projected = LogSlope.stepsTo(loss, target, slope);
        double byHorizon = (double) horizon * s;
        double left = (double) budget - s;
        if (!(projected > Math.max(byHorizon, left))) {
            return null;
        }
        String trend = slope < 0
                ? String.format(Locale.ROOT, "ln loss fell %.3g per step over steps %d..%d, which reaches the tolerance"
                        + " in about %.3g more steps, beyond %d × %d%s", -slope, s / 2, s, projected, horizon, s,
                        left > byHorizon ? " and the " + (budget - s) + " left of the budget" : "")
                : String.format(Locale.ROOT, "ln loss did not fall over steps %d..%d (slope %+.3g per step)", s / 2, s, slope);
        return String.format(Locale.ROOT, "stuck at step %d: loss at %.3g of loss0, tolerance %.3g; %s", s, loss / loss0,
                tolerance, trend);
    }

    /**
     * Tracks the checkpoints of one run whose loss is evaluated at some steps only: {@link #at} checks the
     * rule at the first evaluated step at or after each checkpoint (at exactly {@code 2^k} when every step is
     * evaluated, as in GD).
     */
    public final class Watch {
        private final int budget;
        private long next = FIRST_CHECKPOINT;

        private Watch(int budget) {
            this.budget = budget;
        }

        /** The evidence when stuck at the evaluated step {@code s}, else null. */
        public String at(double[] losses, int s, double tolerance) {
            if (!on() || s < next) {
                return null;
            }
            while (next <= s) {
                next <<= 1;
            }
            return verdict(losses, s, tolerance, budget);
        }
    }

    /** A fresh tracker for one run of {@code budget} steps. */
    public Watch watch(int budget) {
        return new Watch(budget);
    }
}
