package org.overparam.sweep.search.adaptive;

import java.util.ArrayList;
import java.util.List;
import org.overparam.sweep.threshold.BudgetLadder;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.TimedOutcome;

/**
 * The adaptive search of one fit group with its budget ladder, independent of how trials run (Spark trials,
 * or a simulated oracle in tests): the {@link AdaptiveStudy} at the base budget, then ladder stages, each with
 * twice the budget of the last: the censored trials worth it rerun ({@link BudgetLadder#worthRerunning}) and a
 * designed batch of new trials where the top rung's fit says the exponent is least known (the thresholds move
 * with the budget, and the trials placed for the smaller one may not resolve where they moved to), until the
 * ladder says budget-converged or {@code maxDoublings} doublings ran. {@code AdaptiveWidthSearch} makes the same
 * decisions from committed rows; this loop is what the oracle tests drive.
 */
public final class LadderStudy {
    /** Runs trials: planned points at a budget (the k-th trial at a point is its k-th repeat), or reruns at a larger budget. */
    public interface Runner {
        List<TimedOutcome> run(List<Outcome> planned, int budget);

        List<TimedOutcome> rerun(List<TimedOutcome> trials, int budget);
    }

    /** The outcome: the base search, the ladder after the last stage, the trials (one per trial, largest budget), the doublings run. */
    public record Result(AdaptiveStudy.Result search, BudgetLadder.Result ladder, List<TimedOutcome> trials, int doublings) {
    }

    private final AdaptiveStudy study;
    private final BudgetLadder ladder;
    private final int budget;
    private final int maxDoublings;

    public LadderStudy(AdaptiveStudy study, BudgetLadder ladder, int budget, int maxDoublings) {
        this.study = study;
        this.ladder = ladder;
        this.budget = budget;
        this.maxDoublings = maxDoublings;
    }

    public Result run(Runner runner) {
        List<TimedOutcome> trials = new ArrayList<>();
        AdaptiveStudy.Result search = study.run(planned -> {
            List<Outcome> numbered = new ArrayList<>();
            List<TimedOutcome> ran = runner.run(planned, budget);
            for (TimedOutcome t : ran) {
                trials.add(t);
                numbered.add(t.at(budget));
            }
            return numbered;
        });
        BudgetLadder.Result result = ladder.analyse(trials);
        int doublings = 0;
        while (!result.converged() && doublings < maxDoublings) {
            int next = budget << (doublings + 1);
            List<TimedOutcome> again = ladder.worthRerunning(result, trials, next);
            List<Outcome> designed = result.top().fit() == null ? List.of()
                    : study.designAt(result.top().fit(), trials.stream().map(t -> t.at(next)).toList());
            if (again.isEmpty() && designed.isEmpty()) {
                break;
            }
            List<TimedOutcome> reran = runner.rerun(again, next);
            for (TimedOutcome r : reran) {
                trials.replaceAll(t -> t.sameTrial(r) ? r : t);
            }
            trials.addAll(runner.run(designed, next));
            doublings++;
            result = ladder.analyse(trials);
        }
        return new Result(search, result, List.copyOf(trials), doublings);
    }
}
