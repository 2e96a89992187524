package org.overparam.trainer.trial;

import java.util.Locale;

/**
 * The names of the network families a sweep can train, as in configs and tables. What each model is
 * (grid keys, estimates, training, metrics, backends) is its
 * {@link org.overparam.trainer.models.TrialModel}, registered in
 * {@link org.overparam.trainer.models.TrialModels}.
 */
public enum ModelKind {
    /** Un-normalized two-layer ReLU, Du et al. 2019 (theory.md §1). */
    RELU,
    /** Weight-normalized two-layer ReLU with init scale α (theory.md §2). */
    WN,
    /** Batch-normalized two-layer ReLU classifier, logistic loss (theory.md §3, paper 001). */
    BN,
    /** Deep network with gates fixed by a random path (GReLU; theory.md §4, paper 002). */
    GRELU,
    /** The same deep shape with ordinary ReLU gates from its own pre-activations (theory.md §4). */
    DEEP_RELU,
    /** Two-layer {@code V φ(W X)} with a smooth activation, both layers trained (theory.md §5, paper 004). */
    SMOOTH;

    /** The config names of all models, comma-separated (for error messages). */
    public static String knownKeys() {
        return String.join(", ", java.util.Arrays.stream(values()).map(ModelKind::key).toList());
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a config value; null when unknown. */
    public static ModelKind parse(String s) {
        for (ModelKind k : values()) {
            if (k.key().equals(s)) {
                return k;
            }
        }
        return null;
    }
}
