package org.overparam.sweep.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.overparam.sweep.tables.TrialStatuses;
import org.overparam.trainer.trial.TrialSpec;

/**
 * What a run of some trials into an output folder still has to do: the trials with no committed row, and the
 * committed ones whose status {@code --retry} names (their rows are replaced); the rest are skipped. A trial is
 * never run twice otherwise, which makes a resumed sweep run exactly what is missing.
 *
 * @param todo    the trials to run, in the given order
 * @param retried the ids among them that have a committed row to replace
 * @param skipped the trials already committed and kept
 */
record ResumePlan(List<TrialSpec> todo, Set<String> retried, int skipped) {
    static ResumePlan of(List<TrialSpec> trials, Map<String, String> committed, Set<String> retry) {
        List<TrialSpec> todo = new ArrayList<>();
        Set<String> retried = new HashSet<>();
        Set<String> statuses = new HashSet<>();
        for (String s : retry) {
            statuses.add(TrialStatuses.normalize(s));   // max_steps: censored, in old outputs too
        }
        for (TrialSpec t : trials) {
            String status = committed.get(t.id());
            if (status == null) {
                todo.add(t);
            } else if (statuses.contains(TrialStatuses.normalize(status))) {
                todo.add(t);
                retried.add(t.id());
            }
        }
        return new ResumePlan(List.copyOf(todo), Set.copyOf(retried), trials.size() - todo.size());
    }

    /** The log line of a resumed run. */
    String describe(int total, Set<String> retry) {
        return String.format(Locale.ROOT, "resuming: %d of %d trials already done, %d to run%s", skipped, total, todo.size(),
                retried.isEmpty() ? "" : String.format(Locale.ROOT, " (%d retried with status %s: their rows are replaced)",
                        retried.size(), String.join(",", new TreeSet<>(retry))));
    }
}
