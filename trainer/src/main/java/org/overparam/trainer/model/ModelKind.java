package org.overparam.trainer.model;

import java.util.Locale;

/** The network families a sweep can train; names as in configs and tables. */
public enum ModelKind {
    /** Un-normalized two-layer ReLU, Du et al. 2019 (theory.md §1). */
    RELU(false),
    /** Weight-normalized two-layer ReLU with init scale α (theory.md §2). */
    WN(true);

    private final boolean usesAlpha;

    ModelKind(boolean usesAlpha) {
        this.usesAlpha = usesAlpha;
    }

    /** Whether the grid's α parameterizes this model; if not, trials carry no α. */
    public boolean usesAlpha() {
        return usesAlpha;
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
