package org.overparam.trainer.trial;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.InfiniteWidthSpectra;
import org.overparam.trainer.instrument.TrialInstruments;
import org.overparam.trainer.kernel.SymmetricEigen;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.model.InitialDraws;
import org.overparam.trainer.model.ReluNet;
import org.overparam.trainer.model.TwoLayerReluNet;
import org.overparam.trainer.model.WeightNormNet;

/**
 * Runs one trial end to end on the CPU: data, initialization, GD with its instruments, rate fit,
 * stored curve. Never throws for a trial's own trouble: an exception (or running out of memory)
 * becomes a {@link Outcome#FAILED} result with its message, so a sweep goes on. A trial whose
 * {@link MemoryEstimate} exceeds this JVM's maximum heap fails before anything is allocated. One runner
 * serves one thread; it caches the infinite-width spectra of the last few data sets (they depend on the
 * data only).
 */
public final class TrialRunner {
    /** The {@code backend} column value for this runner. */
    public static final String BACKEND = "cpu";
    private static final int SPECTRA_CACHE = 8;

    private final RowMajorBlas blas;
    private final SymmetricEigen eigen;
    /** {@code train.time_limit} of each trial, null for none. */
    private final java.time.Duration timeLimit;
    private final Map<String, InfiniteWidthSpectra> spectra = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InfiniteWidthSpectra> eldest) {
            return size() > SPECTRA_CACHE;
        }
    };

    public TrialRunner(RowMajorBlas blas, SymmetricEigen eigen) {
        this(blas, eigen, null);
    }

    /** A runner that stops each trial {@code timeLimit} after it starts (status {@code timeout}); null: no limit. */
    public TrialRunner(RowMajorBlas blas, SymmetricEigen eigen, java.time.Duration timeLimit) {
        this.blas = blas;
        this.eigen = eigen;
        this.timeLimit = timeLimit;
    }

    /** The native-or-Java BLAS and reproducible eigensolver, each trial stopped after {@code timeLimit} (null: none). */
    public static TrialRunner withTimeLimit(java.time.Duration timeLimit) {
        return new TrialRunner(RowMajorBlas.best(), SymmetricEigen.reproducible(), timeLimit);
    }

    public TrialRunner(RowMajorBlas blas) {
        this(blas, SymmetricEigen.reproducible());
    }

    public TrialRunner() {
        this(RowMajorBlas.best(), SymmetricEigen.reproducible());
    }

    /** The net of {@code spec} on {@code data}, initialized from the spec's seed. */
    public TwoLayerReluNet build(TrialSpec spec, Dataset data) {
        InitialDraws init = InitialDraws.draw(spec.seed(), spec.m(), spec.d());
        return switch (spec.model()) {
            case RELU -> new ReluNet(data, init, blas);
            case WN -> new WeightNormNet(data, init, spec.alpha(), blas);
            default -> throw new IllegalArgumentException("build() makes relu and wn nets, not " + spec.model().key());
        };
    }

    /** The infinite-width spectra of the data of {@code spec} (cached per data set). */
    public InfiniteWidthSpectra infiniteWidthSpectra(TrialSpec spec, Dataset data) {
        String key = spec.data() + "|n=" + spec.n() + "|d=" + spec.d();
        return spectra.computeIfAbsent(key, k -> InfiniteWidthSpectra.of(data, blas, eigen));
    }

    public TrialResult run(TrialSpec spec, DataSource source) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(timeLimit, start);
        try {
            if (!spec.model().isTwoLayerRelu()) {
                return new PaperModelTrials(blas, eigen, deadline).run(spec, source, start);
            }
            MemoryEstimate.of(spec).requireFits(Runtime.getRuntime().maxMemory());
            Dataset data = source.load(spec.n(), spec.d());
            TwoLayerReluNet net = build(spec, data);
            InfiniteWidthSpectra infinite = spec.instruments().kernels() ? infiniteWidthSpectra(spec, data) : null;
            TrialInstruments instruments = new TrialInstruments(net, spec.model(), spec.alpha(), spec.eta(),
                    spec.steps(), spec.instruments(), infinite, blas, eigen);
            TrainingRun run = new GradientDescent(spec.eta(), new StopRule(spec.steps(), spec.tolerance()))
                    .run(net, instruments, deadline);
            RateFit fit = RateFit.of(run.losses());
            TreeSet<Integer> steps = new TreeSet<>();
            for (int s : LogSpacedSteps.upTo(run.steps())) {
                steps.add(s);
            }
            for (int s : instruments.tracedSteps()) {
                steps.add(s);
            }
            int[] logged = steps.stream().mapToInt(Integer::intValue).toArray();
            double[] curve = new double[logged.length];
            for (int j = 0; j < logged.length; j++) {
                curve[j] = run.losses()[logged[j]];
            }
            return new TrialResult(spec.id(), spec, run.outcome(),
                    run.outcome() == Outcome.TIMEOUT ? deadline.message(run.steps(), run.finalLoss() / run.initialLoss()) : message(run), run.steps(),
                    run.initialLoss(), run.finalLoss(), fit.rate(), fit.r2(), elapsedMs(start),
                    BACKEND, blas.implementation(), logged, curve, instruments.metrics(),
                    instruments.curveMetrics(logged));
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            String msg = e instanceof MemoryEstimate.TooLargeException ? e.getMessage()
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new TrialResult(spec.id(), spec, Outcome.FAILED, msg, 0, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, elapsedMs(start), BACKEND, blas.implementation(),
                    new int[0], new double[0]);
        }
    }

    /** The {@code message} of a run that ended without an error: null when converged, else how it ended. */
    public static String message(TrainingRun run) {
        double ratio = run.finalLoss() / run.initialLoss();
        return switch (run.outcome()) {
            case CONVERGED -> null;
            case MAX_STEPS -> String.format(Locale.ROOT, "loss at %.3g of loss0 after %d steps", ratio, run.steps());
            case DIVERGED -> Double.isFinite(run.finalLoss())
                    ? String.format(Locale.ROOT, "loss grew to %.3g × loss0 at step %d", ratio, run.steps())
                    : "loss became " + run.finalLoss() + " at step " + run.steps();
            case FAILED -> "failed";
            case TIMEOUT -> String.format(Locale.ROOT, "time limit reached after %d steps (loss at %.3g of loss0)", run.steps(), ratio);
        };
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000L;
    }
}
