package org.overparam.sweep.config;

/**
 * How a sweep chooses the widths m of its trials: listed in {@code grid.m} ({@link ListedWidths}),
 * bisected per group ({@code search: {m: bisect}}, {@link BisectSettings}) or searched adaptively per fit
 * group ({@code search: {m: adaptive}}, {@link AdaptiveSettings}). Each plan is validated once, when it is
 * built; code that acts on the kind of plan goes through {@link #match}, so a new kind of plan is a compile
 * error at every place that must handle it (Java 17 has no exhaustive switch over sealed types).
 */
public sealed interface WidthPlan permits ListedWidths, BisectSettings, AdaptiveSettings {
    /** The three kinds of plan, one method each: implement all of them to act on any plan. */
    interface Cases<R> {
        R listed(ListedWidths plan);

        R bisect(BisectSettings plan);

        R adaptive(AdaptiveSettings plan);
    }

    /** {@code cases}' method for this kind of plan, applied to it. */
    <R> R match(Cases<R> cases);

    /** The value of {@code search.m} that names this plan ({@code bisect}, {@code adaptive}; {@code listed} for grid.m). */
    String method();

    /** Whether the widths are searched (bisect or adaptive) rather than listed in {@code grid.m}. */
    default boolean searched() {
        return true;
    }

    /**
     * The widths of the plan's trials ({@code grid.m}): the listed ones; bisect's coarse widths (its first
     * stage); an adaptive search's {@code lo}, at which its plan holds each group's templates.
     */
    java.util.List<Integer> planWidths();

    /**
     * Text that enters the sweep's fingerprint besides its trial ids: a search whose later stages would
     * run other trials is another sweep; "" for listed widths.
     */
    String fingerprint(ThresholdSettings thresholds, TrainSettings train);
}
