package org.overparam.trainer.models;

import java.util.Arrays;
import java.util.List;

/**
 * The model-specific grid keys (besides {@code m}, {@code n}, {@code d}, {@code eta}); each model
 * declares which it uses ({@link TrialModel#gridKeys}), and a sweep may set a key only when one of its
 * models does. Their values are parsed and checked, by key, in the config loader.
 */
public enum GridKey {
    /** α, the init scale of wn. */
    ALPHA("alpha", "the init scale α", "required"),
    /** L, the number of trained {@code m×m} layers. */
    DEPTH("L", "the depth", "required"),
    /** d_y, the output dimension. */
    OUTPUTS("d_y", "the output dimension", "the data's output count"),
    /** ω1 of smooth (with ω2). */
    OMEGA1("omega1", "the init scale of W", "ω1 = sqrt(2/d)"),
    /** ω2 of smooth (with ω1). */
    OMEGA2("omega2", "the init scale of V", "ω2 = sqrt(2/m)"),
    /** ω2/ω1 of smooth at fixed products. */
    OMEGA_RATIO("omega_ratio", "ω2/ω1", "—"),
    /** ω1ω2 with omega_ratio. */
    OMEGA_PRODUCT("omega_product", "ω1ω2", "he"),
    /** φ of smooth. */
    ACTIVATION("activation", "the activation φ", "gelu"),
    /** bn's optimizer, gd or sgd. */
    OPTIMIZER("optimizer", "the optimizer", "gd"),
    /** bn's ε. */
    EPSILON("epsilon", "ε of the batch-norm factor", "1e-5"),
    /** grelu's GReLU→ReLU switch step. */
    CONVERT_AT("convert_at", "the step of the GReLU→ReLU switch", "none");

    private final String key;
    private final String meaning;
    private final String defaultValue;

    GridKey(String key, String meaning, String defaultValue) {
        this.key = key;
        this.meaning = meaning;
        this.defaultValue = defaultValue;
    }

    /** What the key sets, in a few words (for messages). */
    public String meaning() {
        return meaning;
    }

    /** The name under {@code grid:} in a config. */
    public String key() {
        return key;
    }

    /** What a sweep gets when it leaves the key out, as docs/config.md says it ({@code —}: nothing). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The keys' names, in declaration (docs) order. */
    public static List<String> keys(List<GridKey> keys) {
        return keys.stream().map(GridKey::key).toList();
    }

    /** The key named {@code key}, or null. */
    public static GridKey parse(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst().orElse(null);
    }
}
