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
        Steps steps = start(net, observer, deadline);
        while (steps.advance()) {
            steps.record(net.forward());
        }
        return steps.result();
    }

    /**
     * A run begun on {@code net} (its initial loss evaluated), to be driven step by step: {@link Steps#advance()},
     * then the loss at the new parameters into {@link Steps#record}. {@link #run} is that loop with the net's own
     * {@link TrainableNet#forward()}; a caller that forms the losses of several nets at once (the packed CPU trainer)
     * drives several runs in lockstep and gets the same runs.
     */
    public Steps start(TrainableNet net, StepObserver observer, Deadline deadline) {
        return new Steps(net, observer, deadline);
    }

    /** One run of {@link GradientDescent} in progress. */
    public final class Steps {
        private final TrainableNet net;
        private final StepObserver observer;
        private final Deadline deadline;
        private final StuckRule.Watch watch;
        private double[] losses;
        private final double loss0;
        private int s;
        private Outcome outcome;
        private String note;
        private boolean done;

        private Steps(TrainableNet net, StepObserver observer, Deadline deadline) {
            this.net = net;
            this.observer = observer;
            this.deadline = deadline;
            this.losses = new double[Math.min(stop.maxSteps(), 1 << 16) + 1];
            this.loss0 = net.forward();
            losses[0] = loss0;
            this.watch = stop.stuck().watch(stop.maxSteps());
            if (!Double.isFinite(loss0)) {
                outcome = Outcome.DIVERGED;
                end();
                return;
            }
            if (observer.wants(0)) {
                observer.observe(0, loss0);
            }
        }

        /**
         * Applies the stop rule at the current step; where the run goes on, takes one GD step and returns true (the
         * caller then forms the loss at the new parameters, by a forward pass that leaves the net as its own
         * {@link TrainableNet#forward()} would, and passes it to {@link #record}); else ends the run and returns false.
         */
        public boolean advance() {
            if (done) {
                return false;
            }
            outcome = stop.verdict(losses[s], s, loss0);
            if (outcome == null) {
                note = watch.at(losses, s, stop.tolerance());
            } else if (outcome == Outcome.CENSORED) {
                note = stop.stuckAt(losses, s);
            }
            if (note != null) {
                outcome = Outcome.STUCK;
            }
            if (outcome == null && deadline.passed()) {
                outcome = Outcome.TIMEOUT;
            }
            if (outcome != null) {
                end();
                return false;
            }
            net.step(eta);
            return true;
        }

        /** The loss after the step {@link #advance()} took. */
        public void record(double loss) {
            if (done) {
                throw new IllegalStateException("the run has ended");
            }
            s++;
            if (s == losses.length) {
                losses = Arrays.copyOf(losses, (int) Math.min((long) stop.maxSteps() + 1, 2L * losses.length));
            }
            losses[s] = loss;
            if (observer.wants(s)) {
                observer.observe(s, loss);
            }
        }

        /** Whether the run has ended. */
        public boolean done() {
            return done;
        }

        /** The ended run. */
        public TrainingRun result() {
            if (!done) {
                throw new IllegalStateException("the run has not ended");
            }
            return new TrainingRun(outcome, s, Arrays.copyOf(losses, s + 1), note);
        }

        private void end() {
            done = true;
            observer.finish(s, losses[s]);
        }
    }
}
