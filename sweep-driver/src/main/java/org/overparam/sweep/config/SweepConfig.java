package org.overparam.sweep.config;

import java.util.List;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;

/**
 * A validated sweep: the models, data, grid axes, trial seeds and training settings of one config
 * file. Immutable; built only by {@link ConfigLoader}, which checks every field.
 *
 * @param name   the sweep's name: the default output folder {@code out/<name>} and the {@code sweep} column
 * @param instruments what every trial measures besides its loss ({@code instruments:})
 * @param source the config text as read, kept beside the outputs
 * @param widths how the widths are chosen: listed in {@code grid.m}, or searched ({@code search:}); its
 *               {@link WidthPlan#planWidths()} are the grid's {@code m}
 * @param thresholds how thresholds are estimated ({@code thresholds:})
 * @param backend where the trials are trained ({@code backend:}); it does not enter trial ids
 */
public record SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                          TrainSettings train, InstrumentSettings instruments, String source,
                          WidthPlan widths, ThresholdSettings thresholds, BackendSettings backend) {
    public SweepConfig {
        models = List.copyOf(models);
        seeds = List.copyOf(seeds);
        java.util.Objects.requireNonNull(widths, "widths");
        java.util.Objects.requireNonNull(thresholds, "thresholds");
        java.util.Objects.requireNonNull(backend, "backend");
        if (!grid.m().equals(widths.planWidths())) {
            throw new IllegalArgumentException("grid.m " + grid.m() + " is not the width plan's " + widths.planWidths());
        }
    }

    /** A grid sweep (widths listed in {@code grid.m}) with the default threshold settings, on the default backend. */
    public SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                       TrainSettings train, InstrumentSettings instruments, String source) {
        this(name, models, data, grid, seeds, train, instruments, source, new ListedWidths(grid.m()), ThresholdSettings.DEFAULT,
                BackendSettings.DEFAULT);
    }

    /** A grid sweep (widths listed in {@code grid.m}) with the default threshold settings on {@code backend}. */
    public SweepConfig(String name, List<ModelKind> models, DataConfig data, Grid grid, List<Long> seeds,
                       TrainSettings train, InstrumentSettings instruments, String source, BackendSettings backend) {
        this(name, models, data, grid, seeds, train, instruments, source, new ListedWidths(grid.m()), ThresholdSettings.DEFAULT, backend);
    }

    /** Whether the widths are searched (bisect or adaptive) rather than listed in {@code grid.m}. */
    public boolean searched() {
        return widths.searched();
    }

    /** The fingerprint text of the width plan, "" for listed widths ({@link WidthPlan#fingerprint}). */
    public String searchCanonical() {
        return widths.fingerprint(thresholds, train);
    }
}
