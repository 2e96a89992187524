package org.overparam.sweep.config;

import java.util.List;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.instrument.InstrumentSettings;
import org.overparam.trainer.models.ModelKind;

/**
 * A validated sweep: the models, data, grid axes, trial seeds and training settings of one config
 * file. Immutable; built only by {@link ConfigLoader}, which checks every field.
 *
 * @param name   the sweep's name: the default output folder {@code out/<name>} and the {@code sweep} column
 * @param instruments what every trial measures besides its loss ({@code instruments:})
 * @param source the config text as read, kept beside the outputs
 * @param search the bisecting width search ({@code search: {m: bisect}}), or null
 * @param adaptive the adaptive width search ({@code search: {m: adaptive}}), or null; at most one of the two
 * @param thresholds how thresholds are estimated ({@code thresholds:})
 * @param backend where the trials are trained ({@code backend:}); it does not enter trial ids
 */
public record SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                          TrainSettings train, InstrumentSettings instruments, String source,
                          SearchSettings search, ThresholdSettings thresholds, BackendSettings backend,
                          AdaptiveSettings adaptive) {
    public SweepConfig {
        if (search != null && adaptive != null) {
            throw new IllegalArgumentException("a sweep has one width search, not two");
        }
        models = List.copyOf(models);
        seeds = List.copyOf(seeds);
        java.util.Objects.requireNonNull(thresholds, "thresholds");
        java.util.Objects.requireNonNull(backend, "backend");
    }

    /** A grid sweep (no width search) with the default threshold settings, on the default backend. */
    public SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                       TrainSettings train, InstrumentSettings instruments, String source) {
        this(name, models, data, grid, seeds, train, instruments, source, null, ThresholdSettings.DEFAULT, BackendSettings.DEFAULT, null);
    }

    /** A grid sweep (no width search) with the default threshold settings on {@code backend}. */
    public SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                       TrainSettings train, InstrumentSettings instruments, String source, BackendSettings backend) {
        this(name, models, data, grid, seeds, train, instruments, source, null, ThresholdSettings.DEFAULT, backend, null);
    }

    /** Whether the widths are searched (bisect or adaptive) rather than listed in {@code grid.m}. */
    public boolean searched() {
        return search != null || adaptive != null;
    }

    /** The fingerprint text of the search, "" for a grid sweep. */
    public String searchCanonical() {
        if (search != null) {
            return search.canonical() + ";delta=" + thresholds.delta();
        }
        return adaptive != null ? adaptive.canonical() + ";delta=" + thresholds.delta() + ";steps=" + train.steps() : "";
    }
}
