package org.overparam.trainer.gd;

/**
 * The result of one GD run: how it ended, the number of updates taken and the loss before every
 * update and after the last ({@code losses[s]} is the loss after {@code s} updates, {@code s = 0..steps}).
 */
public record TrainingRun(Outcome outcome, int steps, double[] losses) {
    public double initialLoss() {
        return losses[0];
    }

    public double finalLoss() {
        return losses[steps];
    }
}
