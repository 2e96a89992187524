package org.overparam.sweep.search.adaptive;

import java.util.ArrayList;
import java.util.List;
import org.overparam.sweep.threshold.GoodnessOfFit;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;

/**
 * The adaptive search loop of one fit group, independent of how trials run: an initial batch spread over
 * the grid, then stages of {@code batch} designed trials, refitting after each, until the 95 % interval
 * of p is narrower than ±{@code target} or {@code maxTrials} are spent. The runner turns planned (n, m)
 * points into outcomes (Spark trials, or a simulated oracle in tests). Batches come from
 * {@link BatchDesigner#nextBatch(ThresholdFit, int, List)} with every trial so far, so one trial in
 * {@value BatchDesigner#CHECK_EVERY} is a check that gives {@link GoodnessOfFit} its power.
 */
public final class AdaptiveStudy {

    /** Runs planned trials; the outcome's success field of a plan is ignored. */
    public interface TrialRunner {
        List<Outcome> run(List<Outcome> planned);
    }

    /** The result: final fit, every outcome, and the stages run. */
    public record Result(ThresholdFit fit, List<Outcome> outcomes, int stages, boolean reachedTarget) {}

    private final int[] ns;
    private final BatchDesigner designer;
    private final ThresholdFitter fitter = new ThresholdFitter();
    private final double target;
    private final int maxTrials;
    private final int batch;
    private final int minTrials;

    public AdaptiveStudy(int[] ns, int lo, int hi, double target, int maxTrials, int batch) {
        this(ns, lo, hi, target, maxTrials, batch, 0);
    }

    /** As the other constructor; the study never stops on the target before {@code minTrials} trials. */
    public AdaptiveStudy(int[] ns, int lo, int hi, double target, int maxTrials, int batch, int minTrials) {
        this.minTrials = minTrials;
        this.ns = ns.clone();
        this.target = target;
        this.maxTrials = maxTrials;
        this.batch = batch;
        this.designer = new BatchDesigner(ns, lo, hi, 12);
    }

    /** The first stage: each n at log-spaced widths over [lo, hi]. */
    public List<Outcome> initialBatch() {
        List<Integer> ms = designer.candidateWidths();
        int perN = Math.max(2, batch / ns.length);
        List<Outcome> plan = new ArrayList<>();
        for (int n : ns) {
            for (int k = 0; k < perN; k++) {
                int idx = (int) Math.round(k * (ms.size() - 1) / (double) (perN - 1));
                plan.add(new Outcome(n, ms.get(idx), false));
            }
        }
        return plan;
    }

    public Result run(TrialRunner runner) {
        List<Outcome> all = new ArrayList<>(runner.run(initialBatch()));
        ThresholdFit fit = refit(null, all);
        int stages = 1;
        while (!done(fit, all)) {
            all.addAll(runner.run(nextBatch(fit, all)));
            fit = refit(fit, all);
            stages++;
        }
        if (!fit.hasProfile()) {
            fit = fitter.withProfile(fit, all);
        }
        return new Result(fit, List.copyOf(all), stages, reached(fit));
    }

    /**
     * The fit after a stage: from scratch the first time, else from the previous stage's estimate. Its
     * interval of p is the profile-likelihood one once the Wald interval is within twice the target (the
     * profile costs tens of fits; Wald decides only that it is not worth computing yet).
     */
    public ThresholdFit refit(ThresholdFit previous, List<Outcome> all) {
        ThresholdFit fit = previous == null ? fitter.fit(all) : fitter.fitFrom(previous.model(), all);
        double wald = (fit.waldHigh() - fit.waldLow()) / 2;
        return Double.isFinite(wald) && wald <= 2 * target ? fitter.withProfile(fit, all) : fit;
    }

    /**
     * Whether the study stops: p's interval within ±target and the fitted law not rejected by the data
     * ({@link GoodnessOfFit}: a power law or curve shape the outcomes reject has no interval worth reaching), or
     * the outcomes reach the budget.
     */
    public boolean done(ThresholdFit fit, List<Outcome> outcomes) {
        if (outcomes.size() >= maxTrials) {
            return true;
        }
        return reached(fit) && outcomes.size() >= minTrials && !GoodnessOfFit.of(fit, outcomes).misfit();
    }

    /**
     * The next stage's trials given the fit and every trial so far (never more than the budget leaves):
     * designed batches with their checks ({@link BatchDesigner#nextBatch(ThresholdFit, int, List)}).
     */
    public List<Outcome> nextBatch(ThresholdFit fit, List<Outcome> history) {
        return designer.nextBatch(fit, Math.max(0, Math.min(batch, maxTrials - history.size())), history);
    }

    /**
     * A ladder stage's designed batch: {@code batch} trials (the budget does not limit it) placed for the fit of
     * the ladder's top rung, given every trial so far.
     */
    public List<Outcome> designAt(ThresholdFit fit, List<Outcome> history) {
        return designer.nextBatch(fit, batch, history);
    }

    /** Whether p's 95 % (profile) interval is within ±target. */
    public boolean reached(ThresholdFit fit) {
        if (!fit.hasProfile()) {
            return false;
        }
        double half = (fit.pHigh() - fit.pLow()) / 2;
        return Double.isFinite(half) && half <= target;
    }
}
