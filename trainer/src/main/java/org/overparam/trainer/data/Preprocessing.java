package org.overparam.trainer.data;

import java.io.Serializable;

/**
 * How the inputs of a file data set are prepared (config keys {@code data.normalize}, {@code data.center}):
 * first, with {@code center}, the mean of the training pool is subtracted from every input (training and
 * held-out alike; paper 001 assumes centred inputs {@code ‖x̄_i‖ ≤ 1}); then the {@link Normalization}
 * (its {@code ball} radius is the largest norm in the training pool).
 */
public record Preprocessing(Normalization normalize, boolean center) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Preprocessing {
        java.util.Objects.requireNonNull(normalize, "normalize");
    }

    /** The canonical text entering data identities. */
    public String canonical() {
        return "normalize=" + normalize.key() + ",center=" + center;
    }
}
