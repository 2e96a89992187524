package org.overparam.trainer.trial;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.nets.Loss;

/**
 * Everything that determines one trial's result: model, its α (null for models without one), width
 * {@code m}, examples {@code n}, dimension {@code d}, step size {@code eta}, trial {@code seed}, the data
 * source's {@link org.overparam.trainer.data.DataSource#identity identity}, the stopping rule (budget,
 * tolerance, the {@link StuckRule stuck horizon}), the training {@link Loss}, what it measures
 * ({@link InstrumentSettings}), and the model-specific parameters ({@link ModelParams}).
 * Its {@link #id()} is a stable hash of exactly these, so the same trial has the same id in every sweep.
 * A value: whether its model takes its α and parameters is the model's to say
 * ({@code org.overparam.trainer.models.TrialModels#check}).
 */
public record TrialSpec(ModelKind model, Double alpha, int m, int n, int d, double eta, long seed,
                        String data, int steps, double tolerance, InstrumentSettings instruments, ModelParams params,
                        StepRule stepRule, Loss loss, int stuckHorizon)
        implements Serializable {
    private static final long serialVersionUID = 5L;

    public TrialSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(stepRule, "stepRule");
        Objects.requireNonNull(loss, "loss");
        if (stuckHorizon < 0) {
            throw new IllegalArgumentException("train.stuck_horizon must be >= 0, got " + stuckHorizon);
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(instruments, "instruments");
        Objects.requireNonNull(params, "params");
    }

    /** A trial on the MSE loss with the default stuck horizon ({@link StuckRule#DEFAULT_HORIZON}). */
    public TrialSpec(ModelKind model, Double alpha, int m, int n, int d, double eta, long seed, String data,
                     int steps, double tolerance, InstrumentSettings instruments, ModelParams params, StepRule stepRule) {
        this(model, alpha, m, n, d, eta, seed, data, steps, tolerance, instruments, params, stepRule, Loss.MSE,
                StuckRule.DEFAULT_HORIZON);
    }

    /** A trial at the plain step ({@link StepRule#NONE}: {@code step = eta}). */
    public TrialSpec(ModelKind model, Double alpha, int m, int n, int d, double eta, long seed, String data,
                     int steps, double tolerance, InstrumentSettings instruments, ModelParams params) {
        this(model, alpha, m, n, d, eta, seed, data, steps, tolerance, instruments, params, StepRule.NONE);
    }

    /** The GD step this trial takes: {@code eta} under its {@link StepRule}. */
    public double stepSize() {
        return stepRule.step(eta, n, m);
    }

    /** A trial without model-specific parameters (relu, wn). */
    public TrialSpec(ModelKind model, Double alpha, int m, int n, int d, double eta, long seed, String data,
                     int steps, double tolerance, InstrumentSettings instruments) {
        this(model, alpha, m, n, d, eta, seed, data, steps, tolerance, instruments, ModelParams.NONE);
    }

    /** A trial with the default instruments ({@link InstrumentSettings#OFF}). */
    public TrialSpec(ModelKind model, Double alpha, int m, int n, int d, double eta, long seed, String data,
                     int steps, double tolerance) {
        this(model, alpha, m, n, d, eta, seed, data, steps, tolerance, InstrumentSettings.OFF);
    }

    /** The stuck rule of this trial ({@link StuckRule#OFF} at horizon 0). */
    public StuckRule stuckRule() {
        return new StuckRule(stuckHorizon);
    }

    /**
     * The canonical text hashed into {@link #id()}; field order and number formats are fixed. The
     * instruments enter only when they differ from the default, the model parameters only when there
     * are any, and the step rule, the loss and the stuck horizon only when they are not the default (plain
     * step, MSE, {@link StuckRule#DEFAULT_HORIZON}), so the ids of trials of older versions never change.
     */
    public String canonical() {
        return "model=" + model.key()
                + ";alpha=" + (alpha == null ? "-" : Double.toString(alpha))
                + ";m=" + m + ";n=" + n + ";d=" + d
                + ";eta=" + Double.toString(eta)
                + ";seed=" + seed
                + ";data=" + data
                + ";steps=" + steps
                + ";tolerance=" + Double.toString(tolerance)
                + (instruments.equals(InstrumentSettings.OFF) ? "" : ";instruments=" + instruments.canonical())
                + (params.equals(ModelParams.NONE) ? "" : ";params=" + params.canonical())
                + (stepRule.equals(StepRule.NONE) ? "" : ";eta_per=" + stepRule.canonical())
                + (loss == Loss.MSE ? "" : ";loss=" + loss.key())
                + (stuckHorizon == StuckRule.DEFAULT_HORIZON ? "" : ";stuck_horizon=" + stuckHorizon);
    }

    /** 16 hex digits of SHA-256 over {@link #canonical()}. */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * The same trial at width {@code width} with the model parameters {@code params} of that width (a
     * width search runs a group's trials at new widths; smooth's ω at He's product change with the width,
     * so the caller, who knows the grid, supplies them).
     */
    public TrialSpec withWidth(int width, ModelParams params) {
        return new TrialSpec(model, alpha, width, n, d, eta, seed, data, steps, tolerance, instruments, params, stepRule,
                loss, stuckHorizon);
    }

    /** The same trial with another step budget (a width search's budget check reruns trials with more steps). */
    public TrialSpec withSteps(int budget) {
        return new TrialSpec(model, alpha, m, n, d, eta, seed, data, budget, tolerance, instruments, params, stepRule,
                loss, stuckHorizon);
    }

    /** The same trial on another loss. */
    public TrialSpec withLoss(Loss other) {
        return new TrialSpec(model, alpha, m, n, d, eta, seed, data, steps, tolerance, instruments, params, stepRule,
                other, stuckHorizon);
    }

    /** The same trial with another stuck horizon (0: no stuck rule). */
    public TrialSpec withStuckHorizon(int horizon) {
        return new TrialSpec(model, alpha, m, n, d, eta, seed, data, steps, tolerance, instruments, params, stepRule,
                loss, horizon);
    }

}
