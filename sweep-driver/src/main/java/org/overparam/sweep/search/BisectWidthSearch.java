package org.overparam.sweep.search;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.LeastSquaresLadder;
import org.overparam.sweep.threshold.ThresholdEstimator;
import org.overparam.sweep.threshold.TimedOutcome;
import org.overparam.sweep.threshold.WidthBracket;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Bisects the width per group ({@code search: {m: bisect, lo, hi, resolution}}). Stage 1 runs the
 * plan, i.e. every group at the coarse widths {@link BisectSettings#coarseWidths()}; stage {@code s}
 * then runs, for each group whose {@link WidthBracket} (from the rows of stages before {@code s}) is
 * wider than the resolution, its geometric midpoint at every seed, until no group is left. Each stage
 * is one {@link SweepRunner} job whose rows carry the stage; a trial already committed (the same
 * group, width and seed: the same trial id) is never run again, so a resumed search recomputes the
 * stages from the committed rows and runs only what is missing. Deterministic: the trials' outcomes
 * fix every stage.
 */
public final class BisectWidthSearch implements WidthSearch {
    /** A search ends after this many stages whatever happens (each halves every open bracket in log m). */
    static final int MAX_STAGES = 64;

    private final SparkSession spark;
    private final SweepRunner runner;
    private final PrintStream log;
    private final BisectSettings search;

    public BisectWidthSearch(SparkSession spark, SweepRunner runner, PrintStream log, BisectSettings search) {
        this.spark = spark;
        this.runner = runner;
        this.log = log;
        this.search = search;
    }

    @Override
    public Counts run(SweepPlan plan, SweepRunner.Options options) throws ConfigException {
        double level = plan.config().thresholds().level();
        log.printf(Locale.ROOT, "stage 1: every group at widths %s%n", search.coarseWidths());
        SweepRunner.Outcome first = runner.run(plan, options);
        int planned = first.planned();
        int skipped = first.skipped();
        int ran = first.ran();

        // One trial per (group, seed) at the smallest width: the templates of later stages' trials. A group
        // is everything but the width and the seed, model parameters included (bn's optimizer, smooth's
        // activation and ω: the threshold table's model variant).
        Map<FitGroup.ThresholdGroup, Group> groups = new LinkedHashMap<>();
        int lo = search.coarseWidths().get(0);
        for (TrialSpec t : plan.trials()) {
            if (t.m() == lo) {
                groups.computeIfAbsent(FitGroup.ThresholdGroup.of(t), k -> new Group(plan)).templates.add(t);
            }
        }
        int steps = plan.config().train().steps();
        int[] counts = {planned, skipped, ran};
        int stage = bisect(plan, options, groups.values(), groups.values(), 2, steps, level, counts);
        // The budget ladder: while a fit group's exponent still moves with the budget, double it for that group:
        // rerun its censored trials below the thresholds with the larger budget, then bisect again at it.
        for (int d = 1; d <= search.ladder() && stage <= MAX_STAGES; d++) {
            int budget = steps << d;
            Committed committed = committedBefore(Integer.MAX_VALUE, options.outputDir());
            Map<FitGroup, List<Group>> fits = new LinkedHashMap<>();
            groups.forEach((key, g) -> fits.computeIfAbsent(key.fit(), k -> new ArrayList<>()).add(g));
            List<Group> moving = new ArrayList<>();
            List<TrialSpec> reruns = new ArrayList<>();
            for (List<Group> fit : fits.values()) {
                int[] ns = fit.stream().mapToInt(g -> g.templates.get(0).n()).sorted().toArray();
                List<TimedOutcome> timed = new ArrayList<>();
                for (Group g : fit) {
                    timed.addAll(g.timed(committed, budget / 2));
                }
                if (timed.isEmpty() || LeastSquaresLadder.of(timed, ns, plan.config().thresholds().delta(), LADDER_RUNGS).converged()) {
                    continue;
                }
                for (Group g : fit) {
                    reruns.addAll(g.rerunsAt(committed, budget, level));
                }
                moving.addAll(fit);
            }
            if (moving.isEmpty()) {
                break;
            }
            log.printf(Locale.ROOT, "stage %d: budget ladder, %d groups' thresholds still move with the budget: %d censored trials"
                    + " rerun at %d steps (%d× the configured)%n", stage, moving.size(), reruns.size(), budget, 1 << d);
            if (!reruns.isEmpty()) {
                SweepRunner.Outcome o = runner.runStage(plan, reruns, stage, options);
                counts[0] += o.planned();
                counts[1] += o.skipped();
                counts[2] += o.ran();
                stage++;
            }
            stage = bisect(plan, options, moving, groups.values(), stage, budget, level, counts);
        }
        planned = counts[0];
        skipped = counts[1];
        ran = counts[2];
        int stages = stage - 1;
        log.printf(Locale.ROOT, "search done after %d stages: %d trials (%d already done)%n", stages, planned, skipped);
        return new Counts(stages, planned, skipped, ran);
    }

    /** The rungs the ladder fits below its top budget. */
    static final int LADDER_RUNGS = 4;

    /**
     * Bisects {@code open}'s brackets at {@code budget}, a stage a midpoint, until every bracket is within the
     * resolution; returns the next stage's number. {@code counts} (planned, skipped, ran) accumulates.
     */
    private int bisect(SweepPlan plan, SweepRunner.Options options, java.util.Collection<Group> open, java.util.Collection<Group> all,
                       int stage, int budget, double level, int[] counts) throws ConfigException {
        for (; stage <= MAX_STAGES; stage++) {
            Committed committed = committedBefore(stage, options.outputDir());
            List<TrialSpec> next = new ArrayList<>();
            List<String> widths = new ArrayList<>();
            for (Group g : open) {
                SortedMap<Integer, Double> tested = g.success(committed, budget);
                if (tested.isEmpty()) {
                    continue;
                }
                OptionalInt width = WidthBracket.of(tested, level).next(search.resolution());
                if (width.isPresent()) {
                    next.addAll(g.at(width.getAsInt(), budget));
                    widths.add(Integer.toString(width.getAsInt()));
                }
            }
            if (next.isEmpty()) {
                break;
            }
            log.printf(Locale.ROOT, "stage %d: %d of %d groups bracketed wider than %s%s, widths %s: %d trials%n",
                    stage, widths.size(), all.size(), search.resolution(),
                    budget == plan.config().train().steps() ? "" : " at " + budget + " steps", String.join(",", widths), next.size());
            SweepRunner.Outcome o = runner.runStage(plan, next, stage, options);
            counts[0] += o.planned();
            counts[1] += o.skipped();
            counts[2] += o.ran();
        }
        return stage;
    }

    /** The committed rows of stages before some stage: verdict by trial id, and the widths they were run at. */
    private record Committed(Map<String, ParquetTableStore.Verdict> byId, SortedSet<Integer> widths) {
    }

    /** Trial id → status and the widths tested, from the committed rows of stages before {@code stage}. */
    private Committed committedBefore(int stage, String outputDir) {
        String trials = new Path(new ParquetTableStore(spark, outputDir).root(), ParquetTableStore.TRIALS).toString();
        List<Row> rows = org.overparam.sweep.tables.CommittedTables.read(spark, trials).filter(col("stage").lt(stage)).select("trial_id", "m", "status", "steps")
                .collectAsList();
        Map<String, ParquetTableStore.Verdict> byId = new HashMap<>();
        SortedSet<Integer> widths = new TreeSet<>();
        for (Row r : rows) {
            byId.put(r.getString(0), new ParquetTableStore.Verdict(org.overparam.sweep.tables.TrialStatuses.normalize(r.getString(2)), r.getInt(3)));
            widths.add(r.getInt(1));
        }
        return new Committed(byId, widths);
    }

    /**
     * One group's trials at its smallest width, one per seed, and those trials at other widths ({@link
     * GridExpander#atWidth}: the trials a grid listing that width would hold, so their ids are the ones
     * committed rows carry).
     */
    private static final class Group {
        private final SweepPlan plan;
        private final List<TrialSpec> templates = new ArrayList<>();
        private final Map<Integer, List<TrialSpec>> byWidth = new HashMap<>();

        Group(SweepPlan plan) {
            this.plan = plan;
        }

        List<TrialSpec> at(int width) {
            return byWidth.computeIfAbsent(width, w -> templates.stream().map(t -> GridExpander.atWidth(plan, t, w)).toList());
        }

        /** The group's trials at {@code width} with the step budget {@code budget}. */
        List<TrialSpec> at(int width, int budget) {
            List<TrialSpec> base = at(width);
            return budget == base.get(0).steps() ? base : base.stream().map(t -> t.withSteps(budget)).toList();
        }

        /**
         * A trial's committed run with the largest budget up to {@code budget} (the base budget doubled): the one
         * that knows most about its outcome by then; null when none is committed.
         */
        private TimedOutcome latest(Committed committed, TrialSpec base, int repeat, int budget) {
            for (int b = budget; b >= base.steps(); b /= 2) {
                TrialSpec run = b == base.steps() ? base : base.withSteps(b);
                ParquetTableStore.Verdict v = committed.byId().get(run.id());
                if (v != null) {
                    return TimedOutcome.ofRow(base.n(), base.m(), repeat, b, v.status(), v.steps(), base.stuckHorizon());
                }
                if (b == base.steps()) {
                    break;
                }
            }
            return null;
        }

        /** Every tested trial of the group as the ladder reads it at {@code budget}: its run with the most steps up to it. */
        List<TimedOutcome> timed(Committed committed, int budget) {
            List<TimedOutcome> out = new ArrayList<>();
            for (int w : committed.widths()) {
                List<TrialSpec> seeds = at(w);
                for (int k = 0; k < seeds.size(); k++) {
                    TimedOutcome t = latest(committed, seeds.get(k), k, budget);
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
            return out;
        }

        /**
         * Tested width → fraction of its seeds converged by {@code budget} (widths with no evidence left out): a
         * divergence, a timeout or a failure is no evidence about the width (theory.md §8); a trial censored at a
         * smaller budget counts as not converged by this one (the ladder reran those near the threshold).
         */
        SortedMap<Integer, Double> success(Committed committed, int budget) {
            SortedMap<Integer, Double> out = new TreeMap<>();
            for (int w : committed.widths()) {
                int found = 0;
                int converged = 0;
                List<TrialSpec> seeds = at(w);
                for (int k = 0; k < seeds.size(); k++) {
                    TimedOutcome t = latest(committed, seeds.get(k), k, budget);
                    if (t != null) {
                        found++;
                        converged += t.at(budget).success() ? 1 : 0;
                    }
                }
                if (found > 0) {
                    out.put(w, converged / (double) found);
                }
            }
            return out;
        }

        /**
         * The ladder's reruns with budget {@code budget} (twice the last): every censored trial at a tested width
         * from half the group's threshold at the last budget up to its smallest succeeding width there — the band
         * the threshold may fall into with the larger budget.
         */
        List<TrialSpec> rerunsAt(Committed committed, int budget, double level) {
            SortedMap<Integer, Double> before = success(committed, budget / 2);
            WidthBracket bracket = WidthBracket.of(before, level);
            double mStar = ThresholdEstimator.mStar(before, level);
            double from = Double.isNaN(mStar) ? 0 : mStar / 2;
            Integer to = bracket.succeeding();
            List<TrialSpec> out = new ArrayList<>();
            for (int w : before.keySet()) {
                if (w < from || (to != null && w >= to)) {
                    continue;
                }
                List<TrialSpec> seeds = at(w);
                for (int k = 0; k < seeds.size(); k++) {
                    TimedOutcome t = latest(committed, seeds.get(k), k, budget / 2);
                    if (t != null && !t.converged() && t.certified() < budget) {
                        out.add(seeds.get(k).withSteps(budget));
                    }
                }
            }
            return out;
        }
    }
}
