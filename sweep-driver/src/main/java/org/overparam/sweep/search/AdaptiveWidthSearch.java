package org.overparam.sweep.search;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.sweep.search.adaptive.AdaptiveStudy;
import org.overparam.sweep.threshold.BudgetCheck;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The adaptive width search ({@code search: {m: adaptive, …}}, {@link AdaptiveSettings}) on Spark. Every fit
 * group (everything of a trial but n, m and seed) is one {@link AdaptiveStudy}: stage 1 spreads a batch over
 * the grid's n and [lo, hi]; each later stage refits the group's model to its trials so far and adds the
 * batch that most shrinks the variance of the exponent p, until p's interval is within ±target or the group's
 * max_trials are spent. All open groups' batches run as one {@link SweepRunner} stage, so a stage fills the
 * executors. Then one more stage runs each group's budget check ({@link BudgetCheck}) with
 * {@code budget_check ×} the steps. The k-th trial at one (n, m) point takes the k-th seed of the config.
 * <p>Resumable and deterministic: a stage's trials are a function of the outcomes of the earlier stages'
 * trials, read back by trial id in planning order (never in the table's order), and a committed trial is
 * never run again. A resumed search replans every stage from the committed rows and runs only what is missing.
 */
public final class AdaptiveWidthSearch implements WidthSearch {
    /** A search ends after this many stages whatever happens. */
    static final int MAX_STAGES = 200;

    private final SweepRunner runner;
    private final PrintStream log;
    private final AdaptiveSettings settings;

    public AdaptiveWidthSearch(SweepRunner runner, PrintStream log, AdaptiveSettings settings) {
        this.runner = runner;
        this.log = log;
        this.settings = settings;
    }

    @Override
    public Counts run(SweepPlan plan, SweepRunner.Options options) throws ConfigException {
        runner.prepare(plan, options);
        Map<FitGroup, Group> groups = new LinkedHashMap<>();
        for (TrialSpec t : plan.trials()) {
            groups.computeIfAbsent(FitGroup.of(t), k -> new Group()).add(t);
        }
        for (Group g : groups.values()) {
            g.start(plan, settings);
        }
        log.printf(Locale.ROOT, "adaptive search: %d groups, widths %d..%d, target p ± %s, at most %d trials a group%s%n",
                groups.size(), settings.lo(), settings.hi(), settings.target(), settings.maxTrials(),
                settings.budgetCheck() > 0 ? ", then a budget check at " + settings.budgetCheck() + "× the steps" : "");
        int planned = 0;
        int skipped = 0;
        int ran = 0;
        int stage = 1;
        for (; stage <= MAX_STAGES; stage++) {
            List<TrialSpec> next = new ArrayList<>();
            for (Group g : groups.values()) {
                next.addAll(g.pending);
            }
            if (next.isEmpty()) {
                break;
            }
            SweepRunner.Outcome o = runner.runStage(plan, next, stage, options);
            planned += o.planned();
            skipped += o.skipped();
            ran += o.ran();
            Map<String, String> status = runner.committedStatuses(options);
            List<String> line = new ArrayList<>();
            for (Group g : groups.values()) {
                if (!g.pending.isEmpty()) {
                    line.add(g.advance(status));
                }
            }
            long open = groups.values().stream().filter(g -> !g.pending.isEmpty()).count();
            log.printf(Locale.ROOT, "stage %d: %d trials; %d of %d groups go on; %s%n", stage, next.size(), open, groups.size(),
                    String.join("; ", line));
        }
        if (settings.budgetCheck() > 0) {
            List<TrialSpec> checks = new ArrayList<>();
            for (Group g : groups.values()) {
                checks.addAll(g.budgetCheck(plan, settings));
            }
            if (!checks.isEmpty()) {
                log.printf(Locale.ROOT, "stage %d: budget check, %d trials at %d steps%n", stage, checks.size(),
                        settings.budgetCheck() * plan.config().train().steps());
                SweepRunner.Outcome o = runner.runStage(plan, checks, stage, options);
                planned += o.planned();
                skipped += o.skipped();
                ran += o.ran();
                stage++;
            }
        }
        log.printf(Locale.ROOT, "search done after %d stages: %d trials (%d already done)%n", stage - 1, planned, skipped);
        return new Counts(stage - 1, planned, skipped, ran);
    }

    /** One fit group's study: its templates (at lo, by n, in seed order), the trials planned, its fit. */
    private static final class Group {
        private final TreeMap<Integer, List<TrialSpec>> templates = new TreeMap<>();
        /** Every trial planned so far, in planning order, with the point it stands for. */
        private final List<TrialSpec> planned = new ArrayList<>();
        /** Trials planned at each (n, m): the next repeat takes the next seed. */
        private final Map<Long, Integer> repeats = new HashMap<>();
        private List<TrialSpec> pending = List.of();
        private SweepPlan plan;
        private AdaptiveSettings settings;
        private AdaptiveStudy study;
        private ThresholdFit fit;
        private String label;

        void add(TrialSpec t) {
            templates.computeIfAbsent(t.n(), n -> new ArrayList<>()).add(t);
        }

        void start(SweepPlan plan, AdaptiveSettings settings) {
            this.plan = plan;
            this.settings = settings;
            TrialSpec first = templates.firstEntry().getValue().get(0);
            // ω1, ω2 at He's product change with the width: the label names the rest.
            String params = java.util.Arrays.stream(first.params().canonical().split(","))
                    .filter(p -> !p.isEmpty() && !p.startsWith("omega")).collect(java.util.stream.Collectors.joining(","));
            label = first.model().key() + (first.alpha() == null ? "" : " α=" + first.alpha()) + (params.isEmpty() ? "" : " " + params);
            int[] ns = templates.keySet().stream().mapToInt(Integer::intValue).toArray();
            study = new AdaptiveStudy(ns, settings.lo(), settings.hi(), settings.target(), settings.maxTrials(), settings.batch(),
                    settings.minTrials());
            pending = specs(study.initialBatch(), repeats, Integer.MAX_VALUE);
        }

        /** Specs for planned points: the k-th repeat of a point takes seed k; a point out of seeds moves to the nearest free width. */
        private List<TrialSpec> specs(List<Outcome> points, Map<Long, Integer> used, int steps) {
            List<TrialSpec> out = new ArrayList<>();
            for (Outcome p : points) {
                List<TrialSpec> seeds = templates.get(p.n());
                int m = freeWidth(p.n(), p.m(), seeds.size(), used);
                if (m < 0) {
                    continue;
                }
                long point = (long) p.n() << 32 | m;
                int k = used.merge(point, 1, Integer::sum) - 1;
                TrialSpec t = GridExpander.atWidth(plan, seeds.get(k), m);
                out.add(steps == Integer.MAX_VALUE ? t : t.withSteps(steps));
            }
            if (steps == Integer.MAX_VALUE) {
                planned.addAll(out);
            }
            return out;
        }

        /** The width nearest m in [lo, hi] with a seed left at n (m itself first), or -1 when none is. */
        private int freeWidth(int n, int m, int seeds, Map<Long, Integer> used) {
            for (int step = 0; step <= settings.hi() - settings.lo(); step++) {
                for (int w : new int[] {m + step, m - step}) {
                    if (w >= settings.lo() && w <= settings.hi() && used.getOrDefault((long) n << 32 | w, 0) < seeds) {
                        return w;
                    }
                }
            }
            return -1;
        }

        /** Refits from the committed outcomes and plans the next batch (none when done); a summary for the log. */
        String advance(Map<String, String> status) {
            List<Outcome> outcomes = outcomes(status);
            long successes = outcomes.stream().filter(Outcome::success).count();
            if (successes == 0 || successes == outcomes.size()) {
                pending = List.of();
                fit = null;
                return label + ": " + (successes == 0 ? "no trial converged" : "every trial converged")
                        + " in [" + settings.lo() + ", " + settings.hi() + "], stopped";
            }
            try {
                fit = study.refit(fit, outcomes);
            } catch (RuntimeException e) {
                pending = List.of();
                fit = null;
                return label + ": no fit (" + e.getMessage() + "), stopped";
            }
            boolean done = study.done(fit, planned.size());
            pending = done ? List.of() : specs(study.nextBatch(fit, history()), repeats, Integer.MAX_VALUE);
            if (pending.isEmpty()) {
                done = true;
            }
            return String.format(Locale.ROOT, "%s p=%.3f ± %.3f%s", label, fit.model().p(), (fit.pHigh() - fit.pLow()) / 2,
                    done ? (study.reached(fit) ? " (reached)" : " (budget spent)") : "");
        }

        /** Every trial planned so far as a point (n, m): the designer counts the trials at each n. */
        private List<Outcome> history() {
            return planned.stream().map(t -> new Outcome(t.n(), t.m(), false)).toList();
        }

        /** The outcomes of the planned trials committed with a verdict, in planning order (timeouts are no evidence). */
        private List<Outcome> outcomes(Map<String, String> status) {
            List<Outcome> out = new ArrayList<>();
            for (TrialSpec t : planned) {
                String s = status.get(t.id());
                if (s != null && !"timeout".equals(s)) {
                    out.add(new Outcome(t.n(), t.m(), "converged".equals(s)));
                }
            }
            return out;
        }

        /** The budget check's trials: near the fitted thresholds, with budget_check × the steps. */
        List<TrialSpec> budgetCheck(SweepPlan plan, AdaptiveSettings settings) {
            if (fit == null) {
                return List.of();
            }
            int[] ns = templates.keySet().stream().mapToInt(Integer::intValue).toArray();
            List<Outcome> points = BudgetCheck.sample(fit, ns, settings.lo(), settings.hi(), AdaptiveSettings.BUDGET_SAMPLE);
            return specs(points, new HashMap<>(), settings.budgetCheck() * plan.config().train().steps());
        }
    }
}
