package org.overparam.trainer.models;

import java.util.Arrays;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.gd.StepObserver;

/** Observes at step 0, the log-spaced steps and the end (the steps a stored curve holds). */
abstract class LogSpacedObserver implements StepObserver {
    private final int[] logSteps;

    LogSpacedObserver(int maxSteps) {
        this.logSteps = LogSpacedSteps.upTo(maxSteps);
    }

    @Override
    public boolean wants(int step) {
        return Arrays.binarySearch(logSteps, step) >= 0;
    }

    @Override
    public void finish(int step, double loss) {
        observe(step, loss);
    }
}
