package org.overparam.trainer.models;

import java.util.List;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Everything a sweep needs to know about one network family, in one place: its config name and grid
 * keys, the parameter combinations those keys expand to, its memory and cost estimates, how it builds
 * and trains a net (optimizer, stop rule, instruments), the {@code trials} and {@code curves} columns
 * it fills, and which backends train it. Implementations are stateless and registered once, in
 * {@link TrialModels}; the trial runner, the config loader, the grid, the table schema and the docs'
 * key tables all read them from there. Per trial, {@link #start} returns a fresh {@link ModelTraining}.
 */
public interface TrialModel {
    /** The model's name: {@code kind().key()} is its config and table name. */
    ModelKind kind();

    /** The config name ({@code relu}, {@code wn}, …). */
    default String key() {
        return kind().key();
    }

    /** The grid keys this model uses besides {@code m}, {@code n}, {@code d}, {@code eta}, in docs order. */
    List<GridKey> gridKeys();

    /** The grid keys a sweep of this model must set (no default). */
    default List<GridKey> requiredKeys() {
        return List.of();
    }

    /** Whether the grid's α parameterizes this model; if not, trials carry no α. */
    default boolean usesAlpha() {
        return gridKeys().contains(GridKey.ALPHA);
    }

    /** Whether the model has exactly one output (then the data must have one target per example). */
    default boolean singleOutput() {
        return false;
    }

    /** Whether the model is a classifier that needs labels ±1. */
    default boolean needsBinaryLabels() {
        return false;
    }

    /**
     * The losses this model trains on ({@code train.loss}), in docs order; {@link Loss#MSE} alone by default
     * (bn and smooth have their own fixed losses, which {@code mse} stands for). A squared-hinge trial needs one
     * output and labels ±1 besides.
     */
    default List<Loss> losses() {
        return List.of(Loss.MSE);
    }

    /**
     * The parameter combinations {@code axes} yield for this model at input dimension {@code d}, width
     * {@code m} and the data's output count {@code dataOutputs} (the default of {@code d_y}), with the
     * model's defaults where an axis is empty.
     */
    List<ModelParams> params(ModelAxes axes, int d, int m, int dataOutputs);

    /** How many combinations {@link #params} yields (independent of {@code d} and {@code m}). */
    int paramCount(ModelAxes axes);

    /** Whether {@code params} are exactly the parameters this model takes. */
    boolean accepts(ModelParams params);

    /** Floating-point work of one training step of {@code spec}, from its matrix products. */
    double flopsPerStep(TrialSpec spec);

    /** The per-trial metrics this model measures, in column order (docs/tables.md). */
    List<TrialMetric> trialMetrics();

    /** The per-step metrics this model stores beside the loss in {@code curves}. */
    List<CurveMetric> curveMetrics();

    /**
     * The {@code trials} columns the end-of-run summary averages over seeds for this model, its main
     * results; empty for none (relu and wn are summarized by their thresholds). Models with the same
     * columns share one block.
     */
    default List<String> summaryColumns() {
        return List.of();
    }

    /** Whether the CUDA kernels train this model; if not, its trials run on the CPU trainer. */
    default boolean trainedByCudaKernels() {
        return false;
    }

    /**
     * The exponent of n in the width each theorem for this model asks for, with the theorem, by range of α
     * (the {@code scaling} table's {@code theory_p} and {@code theory}); empty where no theorem gives one.
     */
    default List<WidthBound> widthBounds() {
        return List.of();
    }

    /** The theorems' per-step rates this model's trials are compared with ({@code rates}, the summary); empty for none. */
    default List<RatePrediction> ratePredictions() {
        return List.of();
    }

    /**
     * Throws when {@code spec} cannot fit in this JVM, before anything is allocated (an
     * {@link org.overparam.trainer.trial.InsufficientMemoryException} or
     * {@link org.overparam.trainer.trial.MemoryEstimate.TooLargeException} saying what it needs).
     */
    void requireMemory(TrialSpec spec);

    /** Loads the data of {@code spec}, builds its net from the trial's seed and readies its instruments. */
    ModelTraining start(TrialSpec spec, DataSource source, TrialContext context);
}
