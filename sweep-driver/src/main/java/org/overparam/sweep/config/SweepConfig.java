package org.overparam.sweep.config;

import java.util.List;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.instrument.InstrumentSettings;
import org.overparam.trainer.model.ModelKind;

/**
 * A validated sweep: the models, data, grid axes, trial seeds and training settings of one config
 * file. Immutable; built only by {@link ConfigLoader}, which checks every field.
 *
 * @param name   the sweep's name: the default output folder {@code out/<name>} and the {@code sweep} column
 * @param instruments what every trial measures besides its loss ({@code instruments:})
 * @param source the config text as read, kept beside the outputs
 * @param search the width search ({@code search:}), or null when {@code grid.m} lists the widths
 * @param thresholds how thresholds are estimated ({@code thresholds:})
 * @param backend where the trials are trained ({@code backend:}); it does not enter trial ids
 */
public record SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                          TrainSettings train, InstrumentSettings instruments, String source,
                          SearchSettings search, ThresholdSettings thresholds, BackendSettings backend) {
    public SweepConfig {
        models = List.copyOf(models);
        seeds = List.copyOf(seeds);
        java.util.Objects.requireNonNull(thresholds, "thresholds");
        java.util.Objects.requireNonNull(backend, "backend");
    }

    /** A grid sweep (no width search) with the default threshold settings, on the default backend. */
    public SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                       TrainSettings train, InstrumentSettings instruments, String source) {
        this(name, models, data, grid, seeds, train, instruments, source, null, ThresholdSettings.DEFAULT, BackendSettings.DEFAULT);
    }

    /** A grid sweep (no width search) with the default threshold settings on {@code backend}. */
    public SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                       TrainSettings train, InstrumentSettings instruments, String source, BackendSettings backend) {
        this(name, models, data, grid, seeds, train, instruments, source, null, ThresholdSettings.DEFAULT, backend);
    }
}
