package org.overparam.sweep.config;

import java.time.Duration;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.nets.Loss;

/**
 * {@code train:}: the GD step budget, the relative loss at which a trial counts as converged, the
 * wall-clock limit of one trial ({@code time_limit}, null for none), the training loss ({@code loss}) and the
 * stuck rule's horizon ({@code stuck_horizon}, 0: off). The limit is not part of a trial's id: a trial that
 * finishes within it has the same row under any limit; one that does not is recorded {@code timeout}
 * (docs/tables.md). The loss and the horizon are, when they are not the default.
 */
public record TrainSettings(int steps, double tolerance, Duration timeLimit, Loss loss, int stuckHorizon) {
    public static final int DEFAULT_STEPS = 2000;
    public static final double DEFAULT_TOLERANCE = 1e-8;

    public TrainSettings {
        java.util.Objects.requireNonNull(loss, "loss");
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
