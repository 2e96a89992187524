package org.overparam.trainer.backend;

import java.util.ArrayList;
import java.util.List;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The CPU backend: the trials by {@link TrialRunner#runAll}, on the calling thread — one after another, small relu and
 * wn trials of one shape side by side.
 */
public final class CpuBackend implements Backend {
    /** The {@code device} column of CPU rows. */
    public static final String DEVICE = "cpu";
    private final TrialRunner runner;

    public CpuBackend(TrialRunner runner) {
        this.runner = runner;
    }

    public CpuBackend() {
        this(new TrialRunner());
    }

    @Override
    public String name() {
        return TrialRunner.BACKEND;
    }

    @Override
    public String device() {
        return DEVICE;
    }

    @Override
    public List<TrialResult> run(List<TrialSpec> trials, DataSource source) {
        return new ArrayList<>(runner.runAll(trials, source));
    }

    @Override
    public void close() {
    }
}
