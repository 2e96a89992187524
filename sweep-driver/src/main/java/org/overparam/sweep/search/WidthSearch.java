package org.overparam.sweep.search;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ListedWidths;
import org.overparam.sweep.config.WidthPlan;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepRunner;

/**
 * Runs a sweep's trials at the widths its {@link WidthPlan} chooses, stage by stage, through a
 * {@link SweepRunner}: every kind of plan has one implementation ({@link #of}). Each is resumable: a trial
 * already committed is never run again, and later stages are replanned from the committed outcomes.
 */
public interface WidthSearch {
    /** What a run did, summed over its stages. */
    record Counts(int stages, int planned, int skipped, int ran) {
    }

    /** Runs the plan's trials and the stages after them; returns the counts. */
    Counts run(SweepPlan plan, SweepRunner.Options options) throws ConfigException;

    /** The search of {@code widths}. */
    static WidthSearch of(WidthPlan widths, SparkSession spark, SweepRunner runner, PrintStream log) {
        return widths.match(new WidthPlan.Cases<WidthSearch>() {
            @Override
            public WidthSearch listed(ListedWidths plan) {
                return new ListedWidthSearch(runner);
            }

            @Override
            public WidthSearch bisect(BisectSettings plan) {
                return new BisectWidthSearch(spark, runner, log, plan);
            }

            @Override
            public WidthSearch adaptive(AdaptiveSettings plan) {
                return new AdaptiveWidthSearch(runner, log, plan);
            }
        });
    }
}
