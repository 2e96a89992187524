package org.overparam.trainer.nets;

/**
 * A network bound to its training set, trained by full-batch gradient descent on
 * {@code L = ½‖f − y‖²} (a sum over examples, theory.md notation).
 *
 * <p>Protocol: {@link #forward()} evaluates the loss at the current parameters and caches what the
 * backward pass needs; {@link #step(double)} then applies one GD update using that cache. Parameters
 * are exposed flattened for tests and instruments; their order is documented by each implementation.
 */
public interface TrainableNet {

    /** Evaluates outputs and the loss at the current parameters. */
    double forward();

    /** One GD step {@code θ ← θ − η ∇L(θ)} from the state of the last {@link #forward()}. */
    void step(double eta);

    /** {@code ∇L} at the state of the last {@link #forward()}, flattened like {@link #parameters()}. */
    double[] gradient();

    /** A copy of the trained parameters, flattened. */
    double[] parameters();

    /** Replaces the trained parameters (flattened like {@link #parameters()}). */
    void setParameters(double[] theta);

    /** A copy of the outputs {@code f(x_i)} of the last {@link #forward()}. */
    double[] outputs();
}
