package org.overparam.trainer.models;

import java.util.Locale;
import java.util.Map;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.trial.StepRule;
import org.overparam.trainer.trial.TrialSpec;

/**
 * One trial's net with its optimizer, stop rule and observers, as {@link TrialModel#start} built it;
 * used once, by one thread. {@link #train} runs it; the other methods read the trained net and what
 * the observers recorded. The defaults are those of a GD regression: curve at the log-spaced steps,
 * rate fitted to every step's loss; no evidence at the end ({@link #evidence}) and no {@code unfitted} curve
 * unless a model measures them (every built-in model does).
 */
public interface ModelTraining {
    /** Trains the net with the model's optimizer and stop rule, observers attached. */
    TrainingRun train(Deadline deadline);

    /** The steps whose loss (and curve metrics) go into {@code curves}, ascending. */
    default int[] curveSteps(TrainingRun run) {
        return LogSpacedSteps.upTo(run.steps());
    }

    /** The loss at each of {@code steps}. */
    default double[] curveLoss(TrainingRun run, int[] steps) {
        double[] curve = new double[steps.length];
        for (int j = 0; j < steps.length; j++) {
            curve[j] = run.losses()[steps[j]];
        }
        return curve;
    }

    /** The exponential rate fitted to the loss record. */
    default RateFit rateFit(TrainingRun run) {
        return RateFit.of(run.losses());
    }

    /** The {@code message} of a run that ended without an error: null when converged, else how it ended. */
    default String message(TrainingRun run) {
        return endMessage(run);
    }

    /** The model's per-trial metrics, read after training. */
    Map<TrialMetric, Double> metrics(TrainingRun run);

    /** The model's curve metrics at {@code steps} (NaN where a step was not observed). */
    Map<CurveMetric, double[]> curveMetrics(int[] steps);

    /**
     * The PL ratio {@code ‖∇L‖²/(2L)} (the full-batch gradient, also after SGD) and the {@link Unfitted} count at
     * the final parameters: one more forward and gradient, so called once, after {@link #metrics} and
     * {@link #curveMetrics} (it may leave the net's caches at a fresh forward). {@link Evidence#NONE} by default.
     */
    default Evidence evidence(TrainingRun run) {
        return Evidence.NONE;
    }

    /** The {@link Unfitted} count at each of {@code steps} (−1 where not measured); null where the model measures none. */
    default int[] curveUnfitted(int[] steps) {
        return null;
    }

    /**
     * What the final parameters say about the dynamics.
     *
     * @param plRatio  {@code ‖∇L‖²/(2L)}, NaN where undefined (a loss of 0 or not finite)
     * @param unfitted the {@link Unfitted} count, −1 where undefined
     */
    record Evidence(double plRatio, int unfitted) {
        /** Nothing measured. */
        public static final Evidence NONE = new Evidence(Double.NaN, -1);
    }

    /** The stop rule of {@code spec}: budget, tolerance, the default divergence factor and its stuck rule. */
    static StopRule stopRule(TrialSpec spec) {
        return new StopRule(spec.steps(), spec.tolerance(), StopRule.DEFAULT_DIVERGENCE_FACTOR, spec.stuckRule());
    }

    /** The standard message of a loss-driven run (see {@link #message}); a stuck run's is the stuck rule's evidence. */
    static String endMessage(TrainingRun run) {
        double ratio = run.finalLoss() / run.initialLoss();
        return switch (run.outcome()) {
            case CONVERGED -> null;
            case CENSORED -> String.format(Locale.ROOT, "loss at %.3g of loss0 after %d steps", ratio, run.steps());
            case STUCK -> run.note();
            case DIVERGED -> divergedMessage(run.finalLoss(), run.initialLoss(), run.steps());
            case FAILED -> "failed";
            case TIMEOUT -> String.format(Locale.ROOT, "time limit reached after %d steps (loss at %.3g of loss0)", run.steps(), ratio);
        };
    }

    /** How a diverged run ended: the growth factor, or the non-finite loss. */
    static String divergedMessage(double last, double first, int steps) {
        return Double.isFinite(last)
                ? String.format(Locale.ROOT, "loss grew to %.3g × loss0 at step %d", last / first, steps)
                : "loss became " + last + " at step " + steps;
    }

    /**
     * The {@code message} of a diverged trial: how it diverged, the step it took and the rule behind it
     * (theory.md §8: divergence is a step-size event, it says nothing about the width), e.g.
     * {@code loss grew to 1.2e+06 × loss0 at step 12 with step 0.5 (eta 0.5, eta_per none): the step is unstable
     * here, not the width}.
     */
    static String divergedMessage(TrainingRun run, TrialSpec spec) {
        StepRule rule = spec.stepRule();
        return divergedMessage(run.finalLoss(), run.initialLoss(), run.steps()) + " with step " + number(spec.stepSize())
                + " (eta " + number(spec.eta()) + ", eta_per " + (rule.equals(StepRule.NONE) ? "none" : rule.canonical())
                + "): the step is unstable here, not the width";
    }

    /** Four significant digits, trailing zeros dropped: {@code 0.5}, {@code 1.25e-05}. */
    private static String number(double x) {
        String s = String.format(Locale.ROOT, "%.4g", x);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }
}
