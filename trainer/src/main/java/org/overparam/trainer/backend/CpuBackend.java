package org.overparam.trainer.backend;

import java.util.ArrayList;
import java.util.List;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.TrialSpec;

/** The CPU backend: each trial by {@link TrialRunner}, one after another on the calling thread. */
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
        List<TrialResult> out = new ArrayList<>(trials.size());
        for (TrialSpec spec : trials) {
            out.add(runner.run(spec, source));
        }
        return out;
    }

    @Override
    public void close() {
    }
}
