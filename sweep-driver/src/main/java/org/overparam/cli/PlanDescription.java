package org.overparam.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.model.ModelKind;

/** One human line describing a plan: its size and axes. */
final class PlanDescription {
    private PlanDescription() {
    }

    static String of(SweepPlan plan) {
        SweepConfig c = plan.config();
        StringBuilder sb = new StringBuilder();
        sb.append(c.name()).append(": ").append(plan.trials().size()).append(" trials (model ")
                .append(c.models().stream().map(ModelKind::key).collect(Collectors.joining(",")));
        if (!c.grid().alpha().isEmpty()) {
            sb.append("; alpha ").append(axis(c.grid().alpha()));
        }
        sb.append("; m ").append(c.search() == null ? axis(c.grid().m())
                        : "bisect " + c.search().lo() + ".." + c.search().hi() + " to x" + c.search().resolution()
                        + " (stage 1: " + axis(c.grid().m()) + ")")
                .append("; n ").append(axis(c.grid().n()))
                .append("; d ").append(c.grid().d().isEmpty() ? plan.data().fixedDimension().orElse(-1) + " (from file)" : axis(c.grid().d()))
                .append("; eta ").append(axis(c.grid().eta()))
                .append("; seeds ").append(c.seeds().size())
                .append("; data ").append(plan.data().identity())
                .append("; steps ").append(c.train().steps())
                .append(", tolerance ").append(c.train().tolerance())
                .append(")");
        return sb.toString();
    }

    private static String axis(List<? extends Number> values) {
        if (values.size() > 6) {
            return values.get(0) + ".." + values.get(values.size() - 1) + " (" + values.size() + " values)";
        }
        return values.stream().map(Number::toString).collect(Collectors.joining(","));
    }
}
