package org.overparam.trainer.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The registry of models: the one place that maps each {@link ModelKind} to its {@link TrialModel}. Adding a
 * model is its class and one line: in {@link #BUILT_IN} for the project's own, or in a
 * {@code META-INF/services/org.overparam.trainer.models.TrialModel} file on the class path for one of a
 * user's (read with {@link ServiceLoader}; docs/models.md).
 */
public final class TrialModels {
    /** The project's models, in docs order. */
    private static final List<TrialModel> BUILT_IN = List.of(
            new ReluModel(),
            new WeightNormModel(),
            new BatchNormModel(),
            new GReluModel(),
            new DeepReluModel(),
            new SmoothModel());

    private static final Map<ModelKind, TrialModel> BY_KIND = new LinkedHashMap<>();

    static {
        List<TrialModel> all = new ArrayList<>(BUILT_IN);
        ServiceLoader.load(TrialModel.class, TrialModels.class.getClassLoader()).forEach(all::add);
        for (TrialModel model : all) {
            if (BY_KIND.put(model.kind(), model) != null) {
                throw new IllegalStateException("model " + model.key() + " is registered twice");
            }
        }
    }

    private TrialModels() {
    }

    /** The model of {@code kind}; throws when none is registered. */
    public static TrialModel of(ModelKind kind) {
        TrialModel model = BY_KIND.get(kind);
        if (model == null) {
            throw new IllegalArgumentException("no model " + kind + " is registered (known: " + knownKeys() + ")");
        }
        return model;
    }

    /** The kind registered under the config name {@code key}; null when none is. */
    public static ModelKind parse(String key) {
        for (ModelKind kind : BY_KIND.keySet()) {
            if (kind.key().equals(key)) {
                return kind;
            }
        }
        return null;
    }

    /** The config names of all models, comma-separated (for error messages). */
    public static String knownKeys() {
        return String.join(", ", BY_KIND.keySet().stream().map(ModelKind::key).toList());
    }

    /** Every registered model: the built-in ones in docs order, then those of the class path's services files. */
    public static List<TrialModel> all() {
        return List.copyOf(BY_KIND.values());
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
        if (!model.losses().contains(spec.loss())) {
            throw new IllegalArgumentException("train.loss " + spec.loss().key() + ": model " + spec.model().key()
                    + " trains on " + String.join(", ", model.losses().stream().map(Loss::key).toList()) + " only");
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

}
