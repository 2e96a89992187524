package org.overparam.trainer.models;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The registry of models: the one place that maps each {@link ModelKind} to its {@link TrialModel}.
 * Adding a model is a {@code ModelKind} constant, its class and one line in {@link #ALL}.
 */
public final class TrialModels {
    /** Every model, in {@link ModelKind} order. */
    private static final List<TrialModel> ALL = List.of(
            new ReluModel(),
            new WeightNormModel(),
            new BatchNormModel(),
            new GReluModel(),
            new DeepReluModel(),
            new SmoothModel());

    private static final Map<ModelKind, TrialModel> BY_KIND = new EnumMap<>(ModelKind.class);

    static {
        for (TrialModel model : ALL) {
            if (BY_KIND.put(model.kind(), model) != null) {
                throw new IllegalStateException("model " + model.key() + " is registered twice");
            }
        }
        for (ModelKind kind : ModelKind.values()) {
            if (!BY_KIND.containsKey(kind)) {
                throw new IllegalStateException("model " + kind.key() + " has no TrialModel registered");
            }
        }
    }

    private TrialModels() {
    }

    /** The model of {@code kind}. */
    public static TrialModel of(ModelKind kind) {
        return BY_KIND.get(kind);
    }

    /**
     * Throws unless {@code spec}'s model takes exactly its α (present or absent) and its model parameters;
     * called where specs are made from a config ({@code GridExpander}) and before a trial runs.
     */
    public static void check(TrialSpec spec) {
        TrialModel model = of(spec.model());
        if (!model.accepts(spec.params())) {
            throw new IllegalArgumentException("model " + spec.model().key() + " does not take parameters {"
                    + spec.params().canonical() + "}");
        }
        if (model.usesAlpha() != (spec.alpha() != null)) {
            throw new IllegalArgumentException("model " + spec.model().key()
                    + (model.usesAlpha() ? " needs alpha" : " takes no alpha"));
        }
    }

    /** Floating-point work of one training step of {@code spec}, from its model's matrix products ({@link TrialModel#flopsPerStep}). */
    public static double flopsPerStep(TrialSpec spec) {
        return of(spec.model()).flopsPerStep(spec);
    }

    /**
     * Relative cost of {@code spec}, proportional to the floating-point work of its full step budget:
     * {@link #flopsPerStep} times the steps ({@code 4 n d m} per GD step of relu and wn).
     */
    public static double estimatedCost(TrialSpec spec) {
        return flopsPerStep(spec) * Math.max(1, spec.steps());
    }

    /** Every registered model, in {@link ModelKind} order. */
    public static List<TrialModel> all() {
        return List.copyOf(BY_KIND.values());
    }
}
