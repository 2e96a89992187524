package org.overparam.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.config.ListedWidths;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.sweep.config.WidthPlan;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.trial.ModelKind;

/** One human line describing a plan: its size and axes. */
final class PlanDescription {
    private PlanDescription() {
    }

    static String of(SweepPlan plan) {
        SweepConfig c = plan.config();
        StringBuilder sb = new StringBuilder();
        String[] sizeAndWidths = c.widths().match(new WidthPlan.Cases<String[]>() {
            @Override
            public String[] listed(ListedWidths widths) {
                return new String[] {plan.trials().size() + " trials", axis(widths.widths())};
            }

            @Override
            public String[] bisect(BisectSettings search) {
                return new String[] {plan.trials().size() + " trials", "bisect " + search.lo() + ".." + search.hi() + " to x"
                        + search.resolution() + " (stage 1: " + axis(c.grid().m()) + ")"};
            }

            @Override
            public String[] adaptive(AdaptiveSettings search) {
                return new String[] {adaptiveGroups(plan) + " fit groups of at most " + search.maxTrials() + " trials",
                        "adaptive " + search.lo() + ".." + search.hi() + " to p ± " + search.target()
                                + (search.budgetCheck() > 0 ? ", budget check x" + search.budgetCheck() : "")};
            }
        });
        sb.append(c.name()).append(": ").append(sizeAndWidths[0]).append(" (model ")
                .append(c.models().stream().map(ModelKind::key).collect(Collectors.joining(",")));
        if (!c.grid().alpha().isEmpty()) {
            sb.append("; alpha ").append(axis(c.grid().alpha()));
        }
        sb.append("; m ").append(sizeAndWidths[1])
                .append("; n ").append(c.grid().n().isEmpty() ? "2d (dyadic)" : axis(c.grid().n()))
                .append("; d ").append(c.grid().d().isEmpty() ? plan.data().fixedDimension().orElse(-1) + " (from file)" : axis(c.grid().d()))
                .append("; eta ").append(c.grid().etaByModel().isEmpty() && c.grid().stepRules().isEmpty() ? axis(c.grid().eta())
                        : c.models().stream().map(k -> k.key() + " " + axis(c.grid().etaFor(k))
                                + (c.grid().stepRuleFor(k).equals(org.overparam.trainer.trial.StepRule.NONE) ? ""
                                        : "/(" + c.grid().stepRuleFor(k).canonical() + ")"))
                                .collect(Collectors.joining(", ", "{", "}")))
                .append(modelAxes(c.grid().model()))
                .append("; seeds ").append(c.seeds().size())
                .append("; data ").append(plan.data().identity())
                .append("; steps ").append(c.train().steps())
                .append(", tolerance ").append(c.train().tolerance())
                .append(c.train().timeLimit() == null ? "" : ", time limit " + org.overparam.trainer.gd.Deadline.format(c.train().timeLimit()))
                .append(")");
        return sb.toString();
    }

    /** The model-specific axes that are set, e.g. {@code ; L 2,3; activation gelu,tanh}. */
    private static String modelAxes(org.overparam.trainer.models.ModelAxes a) {
        StringBuilder sb = new StringBuilder();
        named(sb, "L", a.depth());
        named(sb, "d_y", a.outputs());
        named(sb, "omega1", a.omega1());
        named(sb, "omega2", a.omega2());
        named(sb, "omega_ratio", a.omegaRatio());
        named(sb, "omega_product", a.omegaProduct());
        named(sb, "activation", a.activation().stream().map(org.overparam.trainer.nets.Activation::key).toList());
        named(sb, "optimizer", a.optimizer().stream().map(org.overparam.trainer.gd.Optimizer::key).toList());
        named(sb, "epsilon", a.epsilon());
        named(sb, "batch", a.batch());
        named(sb, "convert_at", a.convertAt());
        return sb.toString();
    }

    private static void named(StringBuilder sb, String name, List<?> values) {
        if (!values.isEmpty()) {
            sb.append("; ").append(name).append(' ').append(values.stream().map(Object::toString).collect(Collectors.joining(",")));
        }
    }

    private static String axis(List<? extends Number> values) {
        if (values.size() > 6) {
            return values.get(0) + ".." + values.get(values.size() - 1) + " (" + values.size() + " values)";
        }
        return values.stream().map(Number::toString).collect(Collectors.joining(","));
    }

    /** The fit groups of an adaptive search: its plan holds each group's trials at lo, one per n and seed. */
    static long adaptiveGroups(SweepPlan plan) {
        return plan.trials().stream().map(org.overparam.sweep.threshold.FitGroup::of).distinct().count();
    }
}
