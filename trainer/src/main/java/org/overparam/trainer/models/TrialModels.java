package org.overparam.trainer.models;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.models.ModelKind;

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

    /** Every registered model, in {@link ModelKind} order. */
    public static List<TrialModel> all() {
        return List.copyOf(BY_KIND.values());
    }
}
