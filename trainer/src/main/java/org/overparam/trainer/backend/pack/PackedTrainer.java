package org.overparam.trainer.backend.pack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.InfiniteWidthSpectra;
import org.overparam.trainer.instrument.TrialInstruments;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.models.Unfitted;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.ntk.BlasKernelProducts;
import org.overparam.trainer.ntk.KernelProducts;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.run.Dynamics;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Gradient descent for a whole {@link Pack} on a {@link PackDevice}, with the semantics of
 * {@link org.overparam.trainer.gd.GradientDescent} for every trial: the device applies the stop rule
 * step by step, the host reads the losses back every {@link PackDevice#chunk()} steps (and at every step
 * an instrument wants to see), and a stopped trial's parameters stay frozen on the device until read.
 *
 * <p>The instruments are the CPU ones ({@link TrialInstruments}), shown a CPU net that mirrors the
 * trial's device parameters at each instrumented step; the mirror is shared by the trials of a pack
 * (instruments read only the trained parameters, never the output signs). The kernel products behind
 * their spectra ({@link KernelProducts}, {@code n² m} each) are formed on the device where it offers them
 * ({@link PackDevice#kernelProducts}). The norm-growth check runs on the device at every step and
 * replaces the mirror's.
 *
 * <p>The {@link StuckRule} runs on the host, on the losses read back: every checkpoint {@code 2^k} is a read,
 * and a trial found stuck there is frozen ({@link PackDevice#stop}) at that step, as the CPU trainer stops it; a
 * trial out of steps is stuck or censored by the same rule at its last step. The evidence at the end (the PL
 * ratio and the {@code unfitted} count, {@link Dynamics}) is measured on a CPU net of the trial's own draws
 * holding its final parameters, in float64; the {@code unfitted} curve is not measured here (the host would
 * need the outputs of every trial at every logged step), so those curve cells are null.
 *
 * <p>A trial whose instruments throw is recorded as failed, like {@link TrialRunner} records it, and
 * frozen; the others go on.
 */
public final class PackedTrainer {
    private final TrialRunner runner;
    private final RowMajorBlas blas;
    private final SymmetricEigen eigen;
    /** {@code train.time_limit}, counted from the pack's start; null for none. */
    private final java.time.Duration timeLimit;

    public PackedTrainer(RowMajorBlas blas, SymmetricEigen eigen) {
        this(blas, eigen, null);
    }

    /** A trainer that stops a pack's running trials {@code timeLimit} after the pack started (status {@code timeout}). */
    public PackedTrainer(RowMajorBlas blas, SymmetricEigen eigen, java.time.Duration timeLimit) {
        this.blas = blas;
        this.eigen = eigen;
        this.timeLimit = timeLimit;
        this.runner = new TrialRunner(blas, eigen);
    }

    public PackedTrainer() {
        this(RowMajorBlas.best(), SymmetricEigen.reproducible());
    }

    /** What the rows say about where they ran. */
    public record Provenance(String backend, String device, String precision) {
    }

    /** The per-trial bookkeeping of the host. */
    private static final class Track {
        final TrialSpec spec;
        TrialInstruments instruments;
        double[] losses = new double[64];
        int count;
        boolean done;
        Outcome outcome;
        int steps;
        String failure;
        String note;
        final StuckRule.Watch watch;

        Track(TrialSpec spec) {
            this.spec = spec;
            this.watch = spec.stuckRule().watch(spec.steps());
        }

        void add(double loss) {
            if (count == losses.length) {
                losses = Arrays.copyOf(losses, 2 * losses.length);
            }
            losses[count++] = loss;
        }
    }

    /**
     * Trains the pack; one result per trial in the pack's order.
     *
     * @param wallStart {@link System#nanoTime()} when the pack's work began (data, init included)
     */
    public List<TrialResult> run(Pack pack, PackDevice device, Provenance where, long wallStart) {
        int size = pack.size();
        Dataset data = pack.data();
        TwoLayerReluNet mirror = runner.build(pack.trials().get(0), data);
        Track[] tracks = new Track[size];
        for (int b = 0; b < size; b++) {
            TrialSpec spec = pack.trials().get(b);
            tracks[b] = new Track(spec);
            try {
                InfiniteWidthSpectra infinite = spec.instruments().kernels() ? runner.infiniteWidthSpectra(spec, data) : null;
                KernelProducts products = spec.instruments().kernels()
                        ? device.kernelProducts(b).orElseGet(() -> new BlasKernelProducts(blas)) : new BlasKernelProducts(blas);
                tracks[b].instruments = new TrialInstruments(mirror, spec.model(), spec.alpha(), spec.stepSize(), spec.steps(),
                        spec.instruments(), infinite, blas, eigen, products);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                fail(tracks[b], device, b, e);
            }
        }
        Deadline deadline = Deadline.after(timeLimit, wallStart);
        int chunk = device.chunk();
        int budget = pack.maxSteps();
        int chunkStart = 0;
        for (int s = 0; ; s++) {
            if (s > budget) {
                throw new IllegalStateException("trials still running past the largest step budget " + budget + " (device bug)");
            }
            device.forward(s, s - chunkStart);
            if (wantedByAny(tracks, s) || s - chunkStart + 1 == chunk || s == budget || StuckRule.checkpoint(s)) {
                read(device, tracks, mirror, chunkStart, s);
                chunkStart = s + 1;
                if (Arrays.stream(tracks).allMatch(t -> t.done)) {
                    break;
                }
                if (deadline.passed()) {
                    timeOut(device, tracks, mirror, s);
                    break;
                }
            }
            device.backward();
        }
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000L / size;
        List<TrialResult> out = new ArrayList<>(size);
        for (int b = 0; b < size; b++) {
            out.add(result(tracks[b], device, b, where, wallMs, data));
        }
        return out;
    }

    private static boolean wantedByAny(Track[] tracks, int s) {
        for (Track t : tracks) {
            if (!t.done && t.instruments.wants(s)) {
                return true;
            }
        }
        return false;
    }

    /** Takes in the losses of steps {@code from..s}, shows the instruments their steps, closes stopped trials. */
    private void read(PackDevice device, Track[] tracks, TwoLayerReluNet mirror, int from, int s) {
        double[][] losses = device.losses(s - from + 1);
        PackDevice.TrialState[] states = device.states();
        for (int b = 0; b < tracks.length; b++) {
            Track t = tracks[b];
            if (t.done) {
                continue;
            }
            PackDevice.TrialState state = states[b];
            boolean running = state.status() == PackDevice.Status.RUNNING;
            int last = running ? s : state.stopStep();
            for (int step = from; step <= last; step++) {
                t.add(losses[b][step - from]);
            }
            try {
                double loss = t.losses[last];
                boolean finiteStart = s > 0 || Double.isFinite(t.losses[0]);
                if (last == s && finiteStart && t.instruments.wants(s)) {
                    mirror.setParameters(device.parameters(b));
                    t.instruments.observe(s, loss);
                }
                Outcome outcome = running ? null : outcome(state.status());
                if (running) {
                    t.note = t.watch.at(t.losses, s, t.spec.tolerance());
                } else if (outcome == Outcome.CENSORED) {
                    t.note = t.spec.stuckRule().verdict(t.losses, last, t.spec.tolerance(), t.spec.steps());
                }
                if (t.note != null) {
                    outcome = Outcome.STUCK;
                    device.stop(b);
                }
                if (outcome != null) {
                    mirror.setParameters(device.parameters(b));
                    t.instruments.finish(last, loss);
                    t.outcome = outcome;
                    t.steps = last;
                    t.done = true;
                }
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                fail(t, device, b, e);
            }
        }
    }

    /** Ends every running trial at step {@code s} (its losses read up to there) with {@code timeout}. */
    private static void timeOut(PackDevice device, Track[] tracks, TwoLayerReluNet mirror, int s) {
        for (int b = 0; b < tracks.length; b++) {
            Track t = tracks[b];
            if (t.done) {
                continue;
            }
            try {
                mirror.setParameters(device.parameters(b));
                t.instruments.finish(s, t.losses[s]);
                t.outcome = Outcome.TIMEOUT;
                t.steps = s;
                t.done = true;
                device.stop(b);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                fail(t, device, b, e);
            }
        }
    }

    private static void fail(Track t, PackDevice device, int b, Throwable e) {
        t.failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        t.outcome = Outcome.FAILED;
        t.done = true;
        device.stop(b);
    }

    private static Outcome outcome(PackDevice.Status status) {
        return switch (status) {
            case CONVERGED -> Outcome.CONVERGED;
            case MAX_STEPS -> Outcome.CENSORED;
            case DIVERGED -> Outcome.DIVERGED;
            case RUNNING -> throw new IllegalStateException("a running trial has no outcome");
        };
    }

    /** The row of one trial, assembled as {@link TrialRunner} assembles it. */
    private TrialResult result(Track t, PackDevice device, int b, Provenance where, long wallMs, Dataset data) {
        TrialSpec spec = t.spec;
        if (t.outcome == Outcome.FAILED) {
            return new TrialResult(spec.id(), spec, Outcome.FAILED, t.failure, 0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, wallMs, where.backend(), blas.implementation(), new int[0], new double[0], Map.of(), Map.of(),
                    where.device(), where.precision());
        }
        TrainingRun run = new TrainingRun(t.outcome, t.steps, Arrays.copyOf(t.losses, t.steps + 1), t.note);
        RateFit fit = RateFit.of(run.losses());
        TreeSet<Integer> steps = new TreeSet<>();
        for (int s : LogSpacedSteps.upTo(run.steps())) {
            steps.add(s);
        }
        for (int s : t.instruments.tracedSteps()) {
            steps.add(s);
        }
        int[] logged = steps.stream().mapToInt(Integer::intValue).toArray();
        double[] curve = new double[logged.length];
        for (int j = 0; j < logged.length; j++) {
            curve[j] = run.losses()[logged[j]];
        }
        Map<TrialMetric, Double> metrics = t.instruments.metrics();
        if (spec.model() == ModelKind.WN && metrics.containsKey(TrialMetric.NORM_GROWTH_ERR)) {
            metrics.put(TrialMetric.NORM_GROWTH_ERR, device.normGrowthError(b));
        }
        Dynamics dynamics = dynamics(run, spec, device.parameters(b), data);
        String message = run.outcome() == Outcome.TIMEOUT
                ? "time limit " + Deadline.format(timeLimit) + " reached after " + run.steps() + " steps"
                : TrialRunner.message(run, spec, dynamics);
        return new TrialResult(spec.id(), spec, run.outcome(), message, run.steps(), run.initialLoss(),
                run.finalLoss(), fit.rate(), fit.r2(), wallMs, where.backend(), blas.implementation(), logged, curve,
                metrics, t.instruments.curveMetrics(logged), where.device(), where.precision(), dynamics);
    }

    /**
     * The dynamics of a trained trial: the PL ratio and {@code unfitted} count on a CPU net of its own draws at its
     * final parameters {@code theta} (one forward and gradient, float64), the rest from its losses.
     */
    private Dynamics dynamics(TrainingRun run, TrialSpec spec, double[] theta, Dataset data) {
        TwoLayerReluNet net = runner.build(spec, data);
        net.setParameters(theta);
        double loss = net.forward();
        int unfitted = Unfitted.count(net.loss(), net.outputs(), data.y(), spec.n(), 1, spec.tolerance(), run.initialLoss());
        return Dynamics.of(run, spec.tolerance(), Unfitted.plRatio(net.gradient(), loss), unfitted, null);
    }
}
