package org.overparam.trainer.trial;

import java.io.Serializable;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.nets.Activation;

/**
 * The model-specific parameters of a trial (grid keys {@code L}, {@code d_y}, {@code omega1},
 * {@code omega2}, {@code activation}, {@code optimizer}, {@code epsilon}); null where the model has no
 * such parameter. {@code relu} and {@code wn} have none ({@link #NONE}), which keeps their trial ids as
 * they were.
 *
 * @param depth      {@code L}, the number of trained {@code m×m} layers (grelu, deep-relu)
 * @param outputs    {@code d_y}, the output dimension (grelu, deep-relu, smooth)
 * @param omega1     the init scale of {@code W} in {@code smooth}: {@code W ~ N(0, ω1²)}
 * @param omega2     the init scale of {@code V} in {@code smooth}: {@code V ~ N(0, ω2²)}
 * @param activation φ of {@code smooth}
 * @param optimizer  full-batch GD or one-example SGD ({@code bn})
 * @param epsilon    ε of the batch-norm factor {@code N(v) = sqrt(‖v‖²_Σ + ε)} ({@code bn})
 * @param batch      the mini-batch size of {@code smooth}'s SGD ({@link org.overparam.trainer.gd.MiniBatchSgd});
 *                   null for GD and for {@code bn} (whose SGD takes one example a step)
 * @param convertAt  {@code grelu}: the step after which the GReLU net is replaced by its ReLU conversion
 *                   (paper 002 Theorem 2, Sec. 6.4) and training goes on with it; null for none
 */
public record ModelParams(Integer depth, Integer outputs, Double omega1, Double omega2, Activation activation,
                          Optimizer optimizer, Double epsilon, Integer batch, Integer convertAt) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No model-specific parameters: relu and wn. */
    public static final ModelParams NONE = new ModelParams(null, null, null, null, null, null, null, null, null);

    /** Parameters without a mini-batch size. */
    public ModelParams(Integer depth, Integer outputs, Double omega1, Double omega2, Activation activation,
                       Optimizer optimizer, Double epsilon) {
        this(depth, outputs, omega1, omega2, activation, optimizer, epsilon, null, null);
    }

    /** Parameters without a GReLU→ReLU switch. */
    public ModelParams(Integer depth, Integer outputs, Double omega1, Double omega2, Activation activation,
                       Optimizer optimizer, Double epsilon, Integer batch) {
        this(depth, outputs, omega1, omega2, activation, optimizer, epsilon, batch, null);
    }

    public ModelParams {
        if (depth != null && depth < 1) {
            throw new IllegalArgumentException("L must be >= 1, got " + depth);
        }
        if (outputs != null && outputs < 1) {
            throw new IllegalArgumentException("d_y must be >= 1, got " + outputs);
        }
        for (Double w : new Double[] {omega1, omega2}) {
            if (w != null && !(w > 0 && Double.isFinite(w))) {
                throw new IllegalArgumentException("omega1 and omega2 must be > 0 and finite, got " + w);
            }
        }
        if (epsilon != null && !(epsilon >= 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("epsilon must be >= 0 and finite, got " + epsilon);
        }
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (convertAt != null && convertAt < 1) {
            throw new IllegalArgumentException("convert_at must be >= 1, got " + convertAt);
        }
    }

    /** {@code bn}: optimizer and ε. */
    public static ModelParams bn(Optimizer optimizer, double epsilon) {
        return new ModelParams(null, null, null, null, null, optimizer, epsilon);
    }

    /** {@code grelu} and {@code deep-relu}: depth L and outputs d_y. */
    public static ModelParams deep(int depth, int outputs) {
        return new ModelParams(depth, outputs, null, null, null, null, null);
    }

    /** {@code grelu} converted to ReLU after step {@code convertAt}. */
    public static ModelParams deepConverted(int depth, int outputs, int convertAt) {
        return new ModelParams(depth, outputs, null, null, null, null, null, null, convertAt);
    }

    /** {@code smooth}: activation, init scales and outputs. */
    public static ModelParams smooth(Activation activation, double omega1, double omega2, int outputs) {
        return new ModelParams(null, outputs, omega1, omega2, activation, null, null);
    }

    /** {@code smooth} trained by mini-batch SGD with batches of {@code batch} examples. */
    public static ModelParams smoothSgd(Activation activation, double omega1, double omega2, int outputs, int batch) {
        return new ModelParams(null, outputs, omega1, omega2, activation, Optimizer.SGD, null, batch);
    }

    /** The parameters set, in a fixed order and format: {@code L=4,d_y=1,omega1=…}; empty for {@link #NONE}. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        append(sb, "L", depth);
        append(sb, "d_y", outputs);
        append(sb, "omega1", omega1);
        append(sb, "omega2", omega2);
        append(sb, "activation", activation == null ? null : activation.key());
        append(sb, "optimizer", optimizer == null ? null : optimizer.key());
        append(sb, "epsilon", epsilon);
        append(sb, "batch", batch);
        append(sb, "convert_at", convertAt);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String key, Object value) {
        if (value != null) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(key).append('=').append(value);
        }
    }
}
