package org.overparam.trainer.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.instrument.InfiniteWidthSpectra;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.models.ModelTraining;
import org.overparam.trainer.models.TrialContext;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.models.TwoLayerReluModel;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.trial.MemoryEstimate;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Runs one trial of any model end to end on the CPU, the same way for every model
 * ({@link TrialModel}, from {@link TrialModels}): memory check, data and net, training with the model's
 * optimizer, stop rule and observers, rate fit, stored curve, metrics. Never throws for a trial's own
 * trouble: an exception (or running out of memory) becomes a {@link Outcome#FAILED} result with its
 * message, so a sweep goes on; a trial too large for this JVM fails before anything is allocated. One
 * runner serves one thread; it caches the infinite-width spectra of the last few data sets (they depend
 * on the data only).
 */
public final class TrialRunner implements TrialContext {
    /** The {@code backend} column value for this runner. */
    public static final String BACKEND = "cpu";
    private static final int SPECTRA_CACHE = 8;

    private final RowMajorBlas blas;
    private final SymmetricEigen eigen;
    /** {@code train.time_limit} of each trial, null for none. */
    private final java.time.Duration timeLimit;
    private long packed;
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

    /** This JVM's BLAS and eigensolver, each trial stopped after {@code timeLimit} (null: none). */
    public static TrialRunner withTimeLimit(java.time.Duration timeLimit) {
        return new TrialRunner(RowMajorBlas.best(), SymmetricEigen.reproducible(), timeLimit);
    }

    public TrialRunner(RowMajorBlas blas) {
        this(blas, SymmetricEigen.reproducible());
    }

    public TrialRunner() {
        this(RowMajorBlas.best(), SymmetricEigen.reproducible());
    }

    @Override
    public RowMajorBlas blas() {
        return blas;
    }

    @Override
    public SymmetricEigen eigen() {
        return eigen;
    }

    /** The relu or wn net of {@code spec} on {@code data}, initialized from the spec's seed (the packed trainer's mirror). */
    public TwoLayerReluNet build(TrialSpec spec, Dataset data) {
        return TwoLayerReluModel.of(spec.model()).net(spec, data, blas);
    }

    /** The infinite-width spectra of the data of {@code spec} (cached per data set). */
    @Override
    public InfiniteWidthSpectra infiniteWidthSpectra(TrialSpec spec, Dataset data) {
        String key = spec.data() + "|n=" + spec.n() + "|d=" + spec.d();
        return spectra.computeIfAbsent(key, k -> InfiniteWidthSpectra.of(data, blas, eigen));
    }

    public TrialResult run(TrialSpec spec, DataSource source) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(timeLimit, start);
        try {
            ModelTraining training = start(spec, source);
            TrainingRun run = training.train(deadline);
            return result(spec, training, run, deadline, () -> elapsedMs(start));
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return failed(spec, e, elapsedMs(start));
        }
    }

    /**
     * Runs {@code trials} in their order, one result each in the same order, with the rows {@link #run} gives each:
     * relu and wn trials of one small shape on one data set are trained side by side ({@link PackedTrials}), the rest
     * one by one.
     */
    public java.util.List<TrialResult> runAll(java.util.List<TrialSpec> trials, DataSource source) {
        return new PackedTrials(this, timeLimit).run(trials, source);
    }

    /** The most trials {@link #runAll} trains side by side. */
    public static final int MAX_PACK = PackedTrials.MAX_LANES;
    /** The fewest: a smaller group of trials that could be packed runs one by one. */
    public static final int MIN_PACK = PackedTrials.MIN_LANES;

    /**
     * What trials {@link #runAll} may train side by side share (equal keys: one pack), or null for a trial it trains
     * alone: relu and wn of a small shape ({@link org.overparam.trainer.nets.ReluNetPack#packs}) with this JVM's BLAS.
     */
    public static Object packKey(TrialSpec spec) {
        return PackedTrials.key(spec, RowMajorBlas.best());
    }

    /** How many trials {@link #runAll} has trained in packs of two or more, over this runner's life. */
    public long packedTrials() {
        return packed;
    }

    void countPacked(int trials) {
        packed += trials;
    }

    /** The model's checks, then its training begun: data, net, instruments. */
    ModelTraining start(TrialSpec spec, DataSource source) {
        TrialModels.check(spec);
        TrialModel model = TrialModels.of(spec.model());
        model.requireMemory(spec);
        return model.start(spec, source, this);
    }

    /** The row of a trial that trained to {@code run}; {@code wallMs} read when the row is made. */
    TrialResult result(TrialSpec spec, ModelTraining training, TrainingRun run, Deadline deadline, java.util.function.LongSupplier wallMs) {
        RateFit fit = training.rateFit(run);
        int[] logged = training.curveSteps(run);
        double[] curve = training.curveLoss(run, logged);
        Map<TrialMetric, Double> metrics = training.metrics(run);
        Map<CurveMetric, double[]> curveMetrics = training.curveMetrics(logged);
        // After the metrics: the evidence takes one more forward and gradient at the final parameters.
        ModelTraining.Evidence evidence = training.evidence(run);
        Dynamics dynamics = Dynamics.of(run, spec.tolerance(), evidence.plRatio(), evidence.unfitted(),
                training.curveUnfitted(logged));
        String message = switch (run.outcome()) {
            case TIMEOUT -> deadline.message(run.steps(), run.finalLoss() / run.initialLoss());
            case DIVERGED -> ModelTraining.divergedMessage(run, spec);
            case STUCK -> stuckMessage(run, dynamics);
            default -> training.message(run);
        };
        return new TrialResult(spec.id(), spec, run.outcome(), message, run.steps(),
                run.initialLoss(), run.finalLoss(), fit.rate(), fit.r2(), wallMs.getAsLong(),
                BACKEND, blas.implementation(), logged, curve, metrics, curveMetrics, TrialResult.CPU_DEVICE,
                TrialResult.FLOAT64, dynamics);
    }

    /** The row of a trial that threw. */
    TrialResult failed(TrialSpec spec, Throwable e, long wallMs) {
        String msg = e instanceof MemoryEstimate.TooLargeException ? e.getMessage()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new TrialResult(spec.id(), spec, Outcome.FAILED, msg, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, wallMs, BACKEND, blas.implementation(),
                new int[0], new double[0]);
    }

    /** The {@code message} of a GD run that ended without an error: null when converged, else how it ended. */
    public static String message(TrainingRun run) {
        return ModelTraining.endMessage(run);
    }

    /**
     * The {@code message} of a run of {@code spec} that ended without an error, the time limit aside: a diverged
     * run names its step and rule, a stuck one gives the stuck rule's evidence and the PL ratio.
     */
    public static String message(TrainingRun run, TrialSpec spec, Dynamics dynamics) {
        return switch (run.outcome()) {
            case DIVERGED -> ModelTraining.divergedMessage(run, spec);
            case STUCK -> stuckMessage(run, dynamics);
            default -> ModelTraining.endMessage(run);
        };
    }

    /** The stuck rule's evidence, with the PL ratio at the end where it is defined (theory.md §8: a plateau's is near 0). */
    private static String stuckMessage(TrainingRun run, Dynamics dynamics) {
        return Double.isNaN(dynamics.plRatio()) ? run.note()
                : run.note() + String.format(java.util.Locale.ROOT, "; PL ratio %.3g", dynamics.plRatio());
    }

    static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000L;
    }
}
