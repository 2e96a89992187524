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
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.threshold.BudgetCheck;
import org.overparam.sweep.threshold.BudgetLadder;
import org.overparam.sweep.threshold.TimedOutcome;
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
            List<Group> advanced = new ArrayList<>();
            for (Group g : groups.values()) {
                if (!g.pending.isEmpty()) {
                    g.advance(status);
                    advanced.add(g);
                }
            }
            log.print(stageSummary(stage, next.size(), advanced, groups.size()));
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
        // The budget ladder: while a group's exponent still moves with the budget, double it.
        for (int d = 1; d <= settings.ladder() && stage <= MAX_STAGES; d++) {
            int budget = plan.config().train().steps() << d;
            Map<String, ParquetTableStore.Verdict> verdicts = runner.committedVerdicts(options);
            List<TrialSpec> next = new ArrayList<>();
            int converged = 0;
            int open = 0;
            int capped = 0;
            for (Group g : groups.values()) {
                if (g.fit == null || g.ladderDone) {
                    continue;
                }
                if (d > settings.ladderFor(g.model())) {
                    capped++;
                    continue;
                }
                List<TrialSpec> more = g.ladderStage(verdicts, budget, new BudgetLadder(plan.config().thresholds().delta(), ladderNs(g),
                        LADDER_RUNGS));
                if (g.ladderDone) {
                    converged++;
                } else {
                    open++;
                    next.addAll(more);
                }
            }
            if (next.isEmpty()) {
                break;
            }
            log.printf(Locale.ROOT, "stage %d: budget ladder, %d trials at %d steps (%d× the configured) for %d groups whose p still"
                    + " moves with the budget; %d budget-converged%s%n", stage, next.size(), budget, 1 << d, open, converged,
                    capped == 0 ? "" : "; " + capped + " at their model's most doublings (search.ladder)");
            SweepRunner.Outcome o = runner.runStage(plan, next, stage, options);
            planned += o.planned();
            skipped += o.skipped();
            ran += o.ran();
            stage++;
        }
        log.printf(Locale.ROOT, "search done after %d stages: %d trials (%d already done)%n", stage - 1, planned, skipped);
        return new Counts(stage - 1, planned, skipped, ran);
    }

    /** Groups listed one per line in a stage's log; more are summarized (counts by state, the widest intervals). */
    static final int LISTED_GROUPS = 8;

    /**
     * A stage's log lines, a few however many groups: the trials run, how many groups go on and why the others
     * stopped, then every group's state when there are at most {@value #LISTED_GROUPS}, else the widest open
     * intervals and the groups that stopped at this stage.
     */
    static String stageSummary(int stage, int trials, List<Group> advanced, int groups) {
        StringBuilder sb = new StringBuilder();
        Map<String, Long> byState = new TreeMap<>();
        for (Group g : advanced) {
            byState.merge(g.state, 1L, Long::sum);
        }
        long open = byState.getOrDefault(Group.OPEN, 0L);
        sb.append(String.format(Locale.ROOT, "stage %d: %d trials; %d of %d groups go on", stage, trials, open, groups));
        byState.forEach((state, count) -> {
            if (!state.equals(Group.OPEN)) {
                sb.append("; ").append(count).append(' ').append(state);
            }
        });
        sb.append('\n');
        if (advanced.size() <= LISTED_GROUPS) {
            for (Group g : advanced) {
                sb.append("  ").append(g.summary).append('\n');
            }
            return sb.toString();
        }
        List<Group> widest = advanced.stream().filter(g -> g.state.equals(Group.OPEN) && Double.isFinite(g.halfWidth))
                .sorted(java.util.Comparator.comparingDouble((Group g) -> g.halfWidth).reversed()).limit(3).toList();
        if (!widest.isEmpty()) {
            sb.append("  widest open intervals: ").append(String.join("; ", widest.stream().map(g -> g.summary).toList())).append('\n');
        }
        List<Group> stopped = advanced.stream().filter(g -> !g.state.equals(Group.OPEN)).toList();
        if (!stopped.isEmpty()) {
            sb.append("  stopped: ").append(String.join("; ", stopped.stream().limit(5).map(g -> g.summary).toList()))
                    .append(stopped.size() > 5 ? "; and " + (stopped.size() - 5) + " more (overparam status DIR lists every group)" : "")
                    .append('\n');
        }
        return sb.toString();
    }

    /** The rungs the ladder fits below its top budget. */
    static final int LADDER_RUNGS = 4;

    private static int[] ladderNs(Group g) {
        return g.templates.keySet().stream().mapToInt(Integer::intValue).toArray();
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
        /** Which repeat at its point each planned trial is (by trial id): a rerun with more steps is the same repeat. */
        private final Map<String, Integer> repeatOf = new HashMap<>();
        /** Base trial id → its run with the largest budget (a ladder rerun), where it has one. */
        private final Map<String, TrialSpec> latest = new HashMap<>();
        /** Whether the ladder found the group budget-converged. */
        private boolean ladderDone;

        /** The key of the group's model (every template has the same). */
        String model() {
            return templates.firstEntry().getValue().get(0).model().key();
        }
        static final String OPEN = "open";
        /** After a stage: open, or why the group stopped (reached, budget spent, no fit, …). */
        private String state = OPEN;
        /** After a stage: the half-width of p's interval (NaN without one). */
        private double halfWidth = Double.NaN;
        /** After a stage: one line on the group (its label, p and interval, state). */
        private String summary = "";

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
            label = first.model().key() + (first.alpha() == null ? "" : " α=" + first.alpha()) + (params.isEmpty() ? "" : " " + params)
                    + (first.loss() == org.overparam.trainer.nets.Loss.MSE ? "" : " " + first.loss().key());
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
                TrialSpec spec = steps == Integer.MAX_VALUE ? t : t.withSteps(steps);
                repeatOf.put(spec.id(), k);
                out.add(spec);
            }
            if (used == repeats) {
                planned.addAll(out);
            }
            return out;
        }

        /**
         * The group's trials as the ladder reads them: each planned trial's run with the largest budget that is
         * committed, with its verdict (diverged, timed-out and failed trials are no evidence about the width).
         */
        List<TimedOutcome> timed(Map<String, ParquetTableStore.Verdict> verdicts) {
            List<TimedOutcome> out = new ArrayList<>();
            for (TrialSpec base : planned) {
                TrialSpec run = latest.getOrDefault(base.id(), base);
                ParquetTableStore.Verdict v = verdicts.get(run.id());
                if (v == null && run != base) {
                    run = base;
                    v = verdicts.get(base.id());
                }
                TimedOutcome t = v == null ? null : TimedOutcome.ofRow(base.n(), base.m(), repeatOf.get(base.id()), run.steps(), v.status(), v.steps(),
                        base.stuckHorizon());
                if (t != null) {
                    out.add(t);
                }
            }
            return out;
        }

        /**
         * One ladder stage at {@code budget}: nothing when the ladder finds the group budget-converged (or has no fit),
         * else the censored trials worth rerunning with the budget and a designed batch of new trials at it.
         */
        List<TrialSpec> ladderStage(Map<String, ParquetTableStore.Verdict> verdicts, int budget, BudgetLadder ladder) {
            List<TimedOutcome> timed = timed(verdicts);
            if (timed.isEmpty()) {
                ladderDone = true;
                return List.of();
            }
            BudgetLadder.Result result = ladder.analyse(timed);
            if (result.converged() || result.top().fit() == null) {
                ladderDone = true;
                return List.of();
            }
            List<TrialSpec> out = new ArrayList<>();
            for (TimedOutcome r : ladder.worthRerunning(result, timed, budget)) {
                for (TrialSpec base : planned) {
                    if (base.n() == r.n() && base.m() == r.m() && repeatOf.get(base.id()) == r.repeat()) {
                        TrialSpec again = base.withSteps(budget);
                        repeatOf.put(again.id(), r.repeat());
                        latest.put(base.id(), again);
                        out.add(again);
                        break;
                    }
                }
            }
            out.addAll(specs(study.designAt(result.top().fit(), timed.stream().map(t -> t.at(budget)).toList()), repeats, budget));
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

        /** Refits from the committed outcomes and plans the next batch (none when done); sets the group's state for the log. */
        void advance(Map<String, String> status) {
            List<Outcome> outcomes = outcomes(status);
            long successes = outcomes.stream().filter(Outcome::success).count();
            halfWidth = Double.NaN;
            if (successes == 0 || successes == outcomes.size()) {
                pending = List.of();
                fit = null;
                state = successes == 0 ? "none converged" : "all converged";
                summary = label + ": " + (successes == 0 ? "no trial converged" : "every trial converged")
                        + " in [" + settings.lo() + ", " + settings.hi() + "], stopped";
                return;
            }
            try {
                fit = study.refit(fit, outcomes);
            } catch (RuntimeException e) {
                pending = List.of();
                fit = null;
                state = "no fit";
                summary = label + ": no fit (" + e.getMessage() + "), stopped";
                return;
            }
            // The budget counts every planned trial; the law is judged on those with a verdict.
            boolean spent = planned.size() >= settings.maxTrials();
            boolean done = spent || study.done(fit, outcomes);
            pending = done ? List.of() : specs(study.nextBatch(fit, history()), repeats, Integer.MAX_VALUE);
            if (pending.isEmpty()) {
                done = true;
            }
            halfWidth = (fit.pHigh() - fit.pLow()) / 2;
            state = !done ? OPEN : spent || !study.reached(fit) ? "budget spent" : "reached";
            summary = String.format(Locale.ROOT, "%s p=%.3f ± %.3f%s", label, fit.model().p(), halfWidth,
                    done ? " (" + state + ")" : "");
        }

        /** Every trial planned so far as a point (n, m): the designer counts the trials at each n. */
        private List<Outcome> history() {
            return planned.stream().map(t -> new Outcome(t.n(), t.m(), false)).toList();
        }

        /**
         * The outcomes of the planned trials committed with a verdict about the width, in planning order: converged
         * or not; a diverged trial (the step is unstable there), a timeout or a failure is no evidence.
         */
        private List<Outcome> outcomes(Map<String, String> status) {
            List<Outcome> out = new ArrayList<>();
            for (TrialSpec t : planned) {
                String s = status.get(t.id());
                if (s != null && TimedOutcome.evidence(s)) {
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
