package org.overparam.trainer.gd;

/**
 * The result of one GD run: how it ended, the number of updates taken and the loss before every
 * update and after the last ({@code losses[s]} is the loss after {@code s} updates, {@code s = 0..steps};
 * NaN where a run that evaluates the loss at some steps only did not), and for a {@link Outcome#STUCK} run
 * the stuck rule's evidence ({@code note}; null otherwise).
 */
public record TrainingRun(Outcome outcome, int steps, double[] losses, String note) {
    /** A run without a note. */
    public TrainingRun(Outcome outcome, int steps, double[] losses) {
        this(outcome, steps, losses, null);
    }

    public double initialLoss() {
        return losses[0];
    }

    public double finalLoss() {
        return losses[steps];
    }
}
