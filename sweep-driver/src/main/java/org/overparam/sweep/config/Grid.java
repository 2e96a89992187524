package org.overparam.sweep.config;

import java.util.List;
import org.overparam.trainer.models.ModelAxes;

/**
 * The expanded axes of {@code grid:}, each non-empty, sorted ascending and free of duplicates.
 * {@code alpha} is empty when no model of the sweep uses α; {@code d} is empty for file data
 * (the file fixes it); {@code n} is empty for the dyadic data ({@code n = 2d}); {@code model} holds the
 * model-specific axes.
 */
public record Grid(List<Double> alpha, List<Integer> m, List<Integer> n, List<Integer> d, List<Double> eta,
                   ModelAxes model, java.util.Map<org.overparam.trainer.trial.ModelKind, List<Double>> etaByModel,
                   java.util.Map<org.overparam.trainer.trial.ModelKind, org.overparam.trainer.trial.StepRule> stepRules) {
    /** A grid without model-specific axes. */
    public Grid(List<Double> alpha, List<Integer> m, List<Integer> n, List<Integer> d, List<Double> eta) {
        this(alpha, m, n, d, eta, ModelAxes.NONE);
    }

    /** A grid whose step sizes are the same for every model. */
    public Grid(List<Double> alpha, List<Integer> m, List<Integer> n, List<Integer> d, List<Double> eta, ModelAxes model) {
        this(alpha, m, n, d, eta, model, java.util.Map.of(), java.util.Map.of());
    }

    /**
     * How one model's step follows from its {@code eta} ({@code grid.eta_per}); the plain step when the
     * config gives no rule for it.
     */
    public org.overparam.trainer.trial.StepRule stepRuleFor(org.overparam.trainer.trial.ModelKind kind) {
        return stepRules.getOrDefault(kind, org.overparam.trainer.trial.StepRule.NONE);
    }

    /**
     * The step sizes of one model: its own list when {@code grid.eta} is a map by model
     * ({@code eta: {wn: 0.5, grelu: 1e-4}}), else {@link #eta()}.
     */
    public List<Double> etaFor(org.overparam.trainer.trial.ModelKind kind) {
        return etaByModel.getOrDefault(kind, eta);
    }

    public Grid {
        java.util.Objects.requireNonNull(model, "model");
        alpha = List.copyOf(alpha);
        m = List.copyOf(m);
        n = List.copyOf(n);
        d = List.copyOf(d);
        eta = List.copyOf(eta);
        etaByModel = java.util.Map.copyOf(etaByModel);
        stepRules = java.util.Map.copyOf(stepRules);
    }
}
