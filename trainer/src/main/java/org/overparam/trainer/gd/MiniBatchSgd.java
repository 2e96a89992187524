package org.overparam.trainer.gd;

import java.util.Arrays;
import org.overparam.trainer.nets.MiniBatchNet;
import org.overparam.trainer.rng.RandomStream;

/**
 * Mini-batch SGD with a constant step size, in epochs: each epoch draws a fresh Fisher–Yates permutation
 * of the {@code n} examples from the stream {@code ("sgd/order", seed, n)} (the one {@code bn}'s SGD
 * uses) and cuts it into {@code B = ⌈n/b⌉} consecutive batches of {@code b} examples (the last one
 * {@code n − (B−1)b} when {@code b} does not divide {@code n}). Step {@code s ≥ 1} is one batch: batch
 * {@code (s−1) mod B} of epoch {@code ⌊(s−1)/B⌋}, so epoch {@code e} ends at step {@code (e+1)B}.
 *
 * <p>The full training loss is evaluated (one forward over all {@code n}) at step 0, at every step the
 * observer wants, at the end of every epoch and at the last step; the {@link StopRule} is checked there
 * only (converged once {@code loss ≤ tolerance·loss0}, diverged on a non-finite loss or
 * {@code loss > divergenceFactor·loss0}; the {@link StuckRule} at the first evaluated step at or after each
 * checkpoint, and at the last step). The returned loss record holds those losses and NaN at the
 * steps where the loss was not evaluated. The run depends only on the net, {@code η}, {@code b}, the rule
 * and the seed.
 */
public final class MiniBatchSgd {
    private final double eta;
    private final int batch;
    private final StopRule stop;
    private final long seed;

    public MiniBatchSgd(double eta, int batch, StopRule stop, long seed) {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be positive and finite, got " + eta);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("the batch size must be >= 1, got " + batch);
        }
        this.eta = eta;
        this.batch = batch;
        this.stop = stop;
        this.seed = seed;
    }

    /** The batches per epoch, {@code ⌈n/b⌉}. */
    public static int batchesPerEpoch(int n, int batch) {
        return (n + batch - 1) / batch;
    }

    /** Fills {@code order} with a fresh Fisher–Yates permutation of {@code 0..n−1} drawn from {@code rng}. */
    public static void shuffle(int[] order, RandomStream rng) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = (int) Math.floor(rng.nextUniform() * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Trains {@code net} in place, showing it to {@code observer} at the steps it wants and at the end. */
    public TrainingRun run(MiniBatchNet net, StepObserver observer, Deadline deadline) {
        int n = net.examples();
        int perEpoch = batchesPerEpoch(n, batch);
        int[] order = new int[n];
        RandomStream orderRng = RandomStream.of("sgd/order", seed, n);
        double[] losses = new double[Math.min(stop.maxSteps(), 1 << 16) + 1];
        Arrays.fill(losses, Double.NaN);
        double loss0 = net.forward();
        losses[0] = loss0;
        if (!Double.isFinite(loss0)) {
            observer.finish(0, loss0);
            return new TrainingRun(Outcome.DIVERGED, 0, Arrays.copyOf(losses, 1));
        }
        if (observer.wants(0)) {
            observer.observe(0, loss0);
        }
        double loss = loss0;
        int s = 0;
        Outcome outcome;
        StuckRule.Watch watch = stop.stuck().watch(stop.maxSteps());
        String note = null;
        while (true) {
            outcome = stop.verdict(loss, s, loss0);
            if (outcome == null && !Double.isNaN(losses[s])) {
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
                if (Double.isNaN(losses[s])) {
                    losses[s] = net.forward();
                }
                break;
            }
            int k = s % perEpoch;
            if (k == 0) {
                shuffle(order, orderRng);
            }
            net.batchStep(order, k * batch, Math.min(n, (k + 1) * batch), eta);
            s++;
            if (s == losses.length) {
                int old = losses.length;
                losses = Arrays.copyOf(losses, (int) Math.min((long) stop.maxSteps() + 1, 2L * losses.length));
                Arrays.fill(losses, old, losses.length, Double.NaN);
            }
            boolean wanted = observer.wants(s);
            if (wanted || s % perEpoch == 0 || s == stop.maxSteps()) {
                loss = net.forward();
                losses[s] = loss;
                if (wanted) {
                    observer.observe(s, loss);
                }
            }
        }
        observer.finish(s, losses[s]);
        return new TrainingRun(outcome, s, Arrays.copyOf(losses, s + 1), note);
    }
}
