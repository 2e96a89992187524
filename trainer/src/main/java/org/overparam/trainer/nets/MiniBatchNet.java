package org.overparam.trainer.nets;

/**
 * A {@link TrainableNet} that can also step on a mini-batch of its examples: the rows
 * {@code order[from..to)} of its training set. Each implementation documents how the batch gradient is
 * scaled (for the {@code smooth} nets: by {@code n/|B|}, an unbiased estimate of the full gradient).
 */
public interface MiniBatchNet extends TrainableNet {
    /** The number of training examples {@code n}. */
    int examples();

    /** One step {@code θ ← θ − η ĝ_B(θ)} on the examples {@code order[from..to)}, at the current parameters. */
    void batchStep(int[] order, int from, int to, double eta);
}
