package org.overparam.trainer.backend.pack;

import java.util.Optional;
import org.overparam.trainer.ntk.KernelProducts;

/**
 * The device side of a {@link Pack}: its parameters and the per-trial state of gradient descent
 * live on the device, and each call runs one phase of a step for every trial still running.
 * {@link PackedTrainer} drives it; the CUDA implementation is
 * {@link org.overparam.trainer.backend.cuda.CudaPackDevice}.
 *
 * <p>A step {@code s} is {@link #forward(int, int)} (the loss at the current parameters, and the stop
 * rule of {@link org.overparam.trainer.gd.GradientDescent}: a trial that stops at {@code s} keeps its
 * parameters from then on) followed by {@link #backward()} (one GD update of every trial still running).
 */
public interface PackDevice extends AutoCloseable {

    /** How a trial stands; the statuses of {@code overparam_abi.h}. */
    enum Status { RUNNING, CONVERGED, MAX_STEPS, DIVERGED }

    /** A trial's status and, once stopped, the step at which it stopped. */
    record TrialState(Status status, int stopStep) {
    }

    /** How many steps of losses the device holds between two {@link #losses} reads. */
    int chunk();

    /** The loss at step {@code step} into slot {@code slot} of the loss buffer, then the stop rule. */
    void forward(int step, int slot);

    /** One GD update of every trial still running. */
    void backward();

    /** The losses in slots {@code [0, count)}: {@code out[trial][slot]} (undefined past a trial's stop). */
    double[][] losses(int count);

    /** Every trial's state. */
    TrialState[] states();

    /** Trial {@code b}'s current parameters, flattened like {@link Pack#theta0()}. */
    double[] parameters(int b);

    /** Trial {@code b}'s worst violation of the norm-growth identity so far (wn; 0 for relu). */
    double normGrowthError(int b);

    /**
     * The kernel products of trial {@code b} formed where its parameters live (instruments), or empty to
     * have the host form them from its mirror of the parameters.
     */
    default Optional<KernelProducts> kernelProducts(int b) {
        return Optional.empty();
    }

    /** Freezes trial {@code b} (the host gave up on it). */
    void stop(int b);

    /** Where it runs, for the {@code device} column. */
    String device();

    @Override
    void close();

    /** Opens the device side of a pack. */
    interface Factory {
        PackDevice open(Pack pack);
    }
}
