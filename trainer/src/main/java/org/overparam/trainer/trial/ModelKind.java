package org.overparam.trainer.trial;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The name of a network family, as in configs and tables ({@code relu}, {@code wn}, …). A value: what each
 * model is (grid keys, estimates, training, metrics, theory) is its
 * {@link org.overparam.trainer.models.TrialModel}, registered in
 * {@link org.overparam.trainer.models.TrialModels}, which also parses config names. Not an enum, so that a
 * model is one class and one registry line (docs/models.md); instances are interned (one per name, also after
 * deserialization), so {@code ==} compares them.
 */
public final class ModelKind implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Map<String, ModelKind> INTERNED = new ConcurrentHashMap<>();

    /** Un-normalized two-layer ReLU, Du et al. 2019 (theory.md §1). */
    public static final ModelKind RELU = of("relu");
    /** Weight-normalized two-layer ReLU with init scale α (theory.md §2). */
    public static final ModelKind WN = of("wn");
    /** Batch-normalized two-layer ReLU classifier, logistic loss (theory.md §3, paper 001). */
    public static final ModelKind BN = of("bn");
    /** Deep network with gates fixed by a random path (GReLU; theory.md §4, paper 002). */
    public static final ModelKind GRELU = of("grelu");
    /** The same deep shape with ordinary ReLU gates from its own pre-activations (theory.md §4). */
    public static final ModelKind DEEP_RELU = of("deep-relu");
    /** Two-layer {@code V φ(W X)} with a smooth activation, both layers trained (theory.md §5, paper 004). */
    public static final ModelKind SMOOTH = of("smooth");

    private final String key;

    private ModelKind(String key) {
        this.key = key;
    }

    /** The kind named {@code key}: lower-case letters, digits and single hyphens, starting with a letter. */
    public static ModelKind of(String key) {
        if (key == null || !NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("a model name is lower-case letters, digits and single hyphens, got '" + key + "'");
        }
        return INTERNED.computeIfAbsent(key, ModelKind::new);
    }

    /** The config and table name. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }

    /** The interned instance, so that {@code ==} holds after deserialization too. */
    private Object readResolve() throws ObjectStreamException {
        return of(key);
    }
}
