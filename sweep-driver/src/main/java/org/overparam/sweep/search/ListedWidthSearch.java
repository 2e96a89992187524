package org.overparam.sweep.search;

import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepRunner;

/** Listed widths ({@code grid.m}): one stage, the plan's trials, nothing searched. */
final class ListedWidthSearch implements WidthSearch {
    private final SweepRunner runner;

    ListedWidthSearch(SweepRunner runner) {
        this.runner = runner;
    }

    @Override
    public Counts run(SweepPlan plan, SweepRunner.Options options) throws ConfigException {
        SweepRunner.Outcome o = runner.run(plan, options);
        return new Counts(1, o.planned(), o.skipped(), o.ran());
    }
}
