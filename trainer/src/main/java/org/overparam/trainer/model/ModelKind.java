package org.overparam.trainer.model;

import java.util.Locale;

/** The network families a sweep can train; names as in configs and tables. */
public enum ModelKind {
    /** Un-normalized two-layer ReLU, Du et al. 2019 (theory.md §1). */
    RELU(false),
    /** Weight-normalized two-layer ReLU with init scale α (theory.md §2). */
    WN(true),
    /** Batch-normalized two-layer ReLU classifier, logistic loss (theory.md §3, paper 001). */
    BN(false),
    /** Deep network with gates fixed by a random path (GReLU; theory.md §4, paper 002). */
    GRELU(false),
    /** The same deep shape with ordinary ReLU gates from its own pre-activations (theory.md §4). */
    DEEP_RELU(false),
    /** Two-layer {@code V φ(W X)} with a smooth activation, both layers trained (theory.md §5, paper 004). */
    SMOOTH(false);

    private final boolean usesAlpha;

    ModelKind(boolean usesAlpha) {
        this.usesAlpha = usesAlpha;
    }

    /** Whether the grid's α parameterizes this model; if not, trials carry no α. */
    public boolean usesAlpha() {
        return usesAlpha;
    }

    /** Whether this is one of the two-layer ReLU models of theory.md §1–2 ({@code relu}, {@code wn}). */
    public boolean isTwoLayerRelu() {
        return this == RELU || this == WN;
    }

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
