package org.overparam.trainer.gd;

import java.util.Arrays;
import org.overparam.trainer.nets.TrainableNet;

/**
 * Full-batch gradient descent with a constant step size: evaluate the loss, stop if the
 * {@link StopRule} says so (its {@link StuckRule} checked at every checkpoint {@code 2^k} and at the last
 * step), else take one step. Records the loss after every update.
 */
public final class GradientDescent {
    private final double eta;
    private final StopRule stop;

    public GradientDescent(double eta, StopRule stop) {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be positive and finite, got " + eta);
        }
        this.eta = eta;
        this.stop = stop;
    }

    /** Trains {@code net} in place. */
    public TrainingRun run(TrainableNet net) {
        return run(net, StepObserver.NONE);
    }

    /** Trains {@code net} in place, showing it to {@code observer} at the steps it wants and at the end. */
    public TrainingRun run(TrainableNet net, StepObserver observer) {
        return run(net, observer, Deadline.NONE);
    }

    /** As {@link #run(TrainableNet, StepObserver)}, stopping with {@link Outcome#TIMEOUT} once {@code deadline} passed. */
    public TrainingRun run(TrainableNet net, StepObserver observer, Deadline deadline) {
        double[] losses = new double[Math.min(stop.maxSteps(), 1 << 16) + 1];
        double loss0 = net.forward();
        losses[0] = loss0;
        if (!Double.isFinite(loss0)) {
            observer.finish(0, loss0);
            return new TrainingRun(Outcome.DIVERGED, 0, Arrays.copyOf(losses, 1));
        }
        if (observer.wants(0)) {
            observer.observe(0, loss0);
        }
        int s = 0;
        Outcome outcome;
        StuckRule.Watch watch = stop.stuck().watch(stop.maxSteps());
        String note = null;
        while (true) {
            double loss = losses[s];
            outcome = stop.verdict(loss, s, loss0);
            if (outcome == null) {
                note = watch.at(losses, s, stop.tolerance());
            } else if (outcome == Outcome.CENSORED) {
                note = stop.stuckAt(losses, s);
            }
            if (note != null) {
                outcome = Outcome.STUCK;
            }
            if (outcome != null) {
                break;
            }
            if (deadline.passed()) {
                outcome = Outcome.TIMEOUT;
                break;
            }
            net.step(eta);
            s++;
            if (s == losses.length) {
                losses = Arrays.copyOf(losses, (int) Math.min((long) stop.maxSteps() + 1, 2L * losses.length));
            }
            losses[s] = net.forward();
            if (observer.wants(s)) {
                observer.observe(s, losses[s]);
            }
        }
        observer.finish(s, losses[s]);
        return new TrainingRun(outcome, s, Arrays.copyOf(losses, s + 1), note);
    }
}
