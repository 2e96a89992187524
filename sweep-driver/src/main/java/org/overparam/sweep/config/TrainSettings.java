package org.overparam.sweep.config;

import java.time.Duration;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.nets.Loss;

/**
 * {@code train:}: the GD step budget, the relative loss at which a trial counts as converged, the
 * wall-clock limit of one trial ({@code time_limit}, null for none), the training losses ({@code loss}: one, or
 * a list — each model then trains with each listed loss it takes, e.g. the MSE and the jamming protocol's squared
 * hinge side by side) and the stuck rule's horizon ({@code stuck_horizon}, 0: off). The limit is not part of a trial's id: a trial that
 * finishes within it has the same row under any limit; one that does not is recorded {@code timeout}
 * (docs/tables.md). The loss and the horizon are, when they are not the default.
 */
public record TrainSettings(int steps, double tolerance, Duration timeLimit, java.util.List<Loss> losses, int stuckHorizon) {
    public static final int DEFAULT_STEPS = 2000;
    public static final double DEFAULT_TOLERANCE = 1e-8;

    public TrainSettings {
        losses = java.util.List.copyOf(losses);
        if (losses.isEmpty() || losses.size() != new java.util.HashSet<>(losses).size()) {
            throw new InvalidSetting("train.loss", "needs one loss or a list of distinct ones, got " + losses);
        }
    }

    /** Settings with one training loss. */
    public TrainSettings(int steps, double tolerance, Duration timeLimit, Loss loss, int stuckHorizon) {
        this(steps, tolerance, timeLimit, java.util.List.of(loss), stuckHorizon);
    }

    /** The first training loss (the only one of most sweeps). */
    public Loss loss() {
        return losses.get(0);
    }

    /** The losses {@code model} trains with: the listed ones it takes, in the listed order. */
    public java.util.List<Loss> lossesFor(org.overparam.trainer.models.TrialModel model) {
        return losses.stream().filter(model.losses()::contains).toList();
    }

    /** Settings on the MSE with the default stuck horizon. */
    public TrainSettings(int steps, double tolerance, Duration timeLimit) {
        this(steps, tolerance, timeLimit, Loss.MSE, StuckRule.DEFAULT_HORIZON);
    }

    /** Settings without a time limit. */
    public TrainSettings(int steps, double tolerance) {
        this(steps, tolerance, null);
    }
}
