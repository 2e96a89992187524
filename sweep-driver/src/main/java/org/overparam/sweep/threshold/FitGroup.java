package org.overparam.sweep.threshold;

import java.util.ArrayList;
import java.util.List;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.StepRule;
import org.overparam.trainer.trial.TrialSpec;

/**
 * A fit group (theory.md §6): everything that fixes a trial but n, its width m and its seed — the model with
 * its parameters, α, d, the step η and its rule, the data, the step budget, the tolerance and the training loss
 * (mse, or the jamming protocol's squared hinge: two protocols, two thresholds). The trials of
 * one group share one curve m*(n) and one exponent p; with n fixed ({@link #at}) they share one threshold
 * m*. Defined once here, in its two forms: the record, built from a trial ({@link #of}) by the width
 * searches, and the table columns ({@link #COLUMNS}, {@link #THRESHOLD_COLUMNS}) that the aggregation groups
 * rows by. The two agree: the model parameters are the table's {@code variant}, and a fit group's trials
 * differ only in n, m and seed ({@code FitGroupTest}).
 *
 * @param params the model parameters' canonical text at the group's first width (smooth's ω at He's product
 *               change with the width: compare groups built from trials at one width, as the searches do)
 */
public record FitGroup(ModelKind model, String params, Double alpha, int d, double eta, StepRule stepRule, String data,
                       int steps, double tolerance, String loss) {
    /** The columns of {@code trials} (with {@code variant}) that hold a fit group, in table order. */
    public static final List<String> COLUMNS = List.of("model", "variant", "alpha", "d", "eta", "data", "max_steps", "tolerance", "loss");
    /** The columns of a threshold group: {@link #COLUMNS} with {@code n} after α. */
    public static final List<String> THRESHOLD_COLUMNS = withN(COLUMNS);

    /** The fit group of {@code t}. */
    public static FitGroup of(TrialSpec t) {
        return new FitGroup(t.model(), t.params().canonical(), t.alpha(), t.d(), t.eta(), t.stepRule(), t.data(), t.steps(),
                t.tolerance(), t.loss().key());
    }

    /** The threshold group of this fit group at {@code n}. */
    public ThresholdGroup at(int n) {
        return new ThresholdGroup(this, n);
    }

    /** A fit group at one n: the trials of one threshold m*(n). */
    public record ThresholdGroup(FitGroup fit, int n) {
        /** The threshold group of {@code t}. */
        public static ThresholdGroup of(TrialSpec t) {
            return FitGroup.of(t).at(t.n());
        }
    }

    private static List<String> withN(List<String> columns) {
        List<String> out = new ArrayList<>(columns);
        out.add(out.indexOf("alpha") + 1, "n");
        return List.copyOf(out);
    }
}
