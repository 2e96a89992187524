package org.overparam.trainer.models;

import java.util.Locale;
import java.util.Map;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;

/**
 * One trial's net with its optimizer, stop rule and observers, as {@link TrialModel#start} built it;
 * used once, by one thread. {@link #train} runs it; the other methods read the trained net and what
 * the observers recorded. The defaults are those of a GD regression: curve at the log-spaced steps,
 * rate fitted to every step's loss.
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

    /** The standard message of a loss-driven run (see {@link #message}). */
    static String endMessage(TrainingRun run) {
        double ratio = run.finalLoss() / run.initialLoss();
        return switch (run.outcome()) {
            case CONVERGED -> null;
            case MAX_STEPS -> String.format(Locale.ROOT, "loss at %.3g of loss0 after %d steps", ratio, run.steps());
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
}
