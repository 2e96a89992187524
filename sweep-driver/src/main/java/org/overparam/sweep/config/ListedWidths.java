package org.overparam.sweep.config;

import java.util.List;

/** {@code grid.m}: the widths are listed, every one run for every group (no {@code search:}). */
public record ListedWidths(List<Integer> widths) implements WidthPlan {
    public ListedWidths {
        widths = List.copyOf(widths);
        if (widths.isEmpty()) {
            throw new InvalidSetting("grid.m", "needs at least one width");
        }
    }

    @Override
    public String method() {
        return "listed";
    }

    @Override
    public <R> R match(Cases<R> cases) {
        return cases.listed(this);
    }

    @Override
    public boolean searched() {
        return false;
    }

    @Override
    public List<Integer> planWidths() {
        return widths;
    }

    @Override
    public String fingerprint(ThresholdSettings thresholds, TrainSettings train) {
        return "";
    }
}
