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
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.SearchSettings;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.threshold.WidthBracket;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Bisects the width per group ({@code search: {m: bisect, lo, hi, resolution}}). Stage 1 runs the
 * plan, i.e. every group at the coarse widths {@link SearchSettings#coarseWidths()}; stage {@code s}
 * then runs, for each group whose {@link WidthBracket} (from the rows of stages before {@code s}) is
 * wider than the resolution, its geometric midpoint at every seed, until no group is left. Each stage
 * is one {@link SweepRunner} job whose rows carry the stage; a trial already committed (the same
 * group, width and seed: the same trial id) is never run again, so a resumed search recomputes the
 * stages from the committed rows and runs only what is missing. Deterministic: the trials' outcomes
 * fix every stage.
 */
public final class WidthSearch {
    /** A search ends after this many stages whatever happens (each halves every open bracket in log m). */
    static final int MAX_STAGES = 64;

    private final SparkSession spark;
    private final SweepRunner runner;
    private final PrintStream log;

    public WidthSearch(SparkSession spark, SweepRunner runner, PrintStream log) {
        this.spark = spark;
        this.runner = runner;
        this.log = log;
    }

    /** What a search did, summed over its stages. */
    public record Outcome(int stages, int planned, int skipped, int ran) {
    }

    public Outcome run(SweepPlan plan, SweepRunner.Options options) throws ConfigException {
        SearchSettings search = plan.config().search();
        if (search == null) {
            throw new IllegalArgumentException("plan " + plan.config().name() + " has no search: section");
        }
        double level = plan.config().thresholds().level();
        log.printf(Locale.ROOT, "stage 1: every group at widths %s%n", search.coarseWidths());
        SweepRunner.Outcome first = runner.run(plan, options);
        int planned = first.planned();
        int skipped = first.skipped();
        int ran = first.ran();

        // One trial per (group, seed) at the smallest width: the templates of later stages' trials. A group
        // is everything but the width and the seed, model parameters included (bn's optimizer, smooth's
        // activation and ω: the threshold table's model variant).
        Map<String, Group> groups = new LinkedHashMap<>();
        int lo = search.coarseWidths().get(0);
        for (TrialSpec t : plan.trials()) {
            if (t.m() == lo) {
                groups.computeIfAbsent(key(t), k -> new Group(plan)).templates.add(t);
            }
        }
        int stage = 2;
        for (; stage <= MAX_STAGES; stage++) {
            Committed committed = committedBefore(stage, options.outputDir());
            List<TrialSpec> next = new ArrayList<>();
            List<String> widths = new ArrayList<>();
            for (Group g : groups.values()) {
                SortedMap<Integer, Double> tested = g.success(committed);
                if (tested.isEmpty()) {
                    continue;
                }
                OptionalInt width = WidthBracket.of(tested, level).next(search.resolution());
                if (width.isPresent()) {
                    next.addAll(g.at(width.getAsInt()));
                    widths.add(Integer.toString(width.getAsInt()));
                }
            }
            if (next.isEmpty()) {
                break;
            }
            log.printf(Locale.ROOT, "stage %d: %d of %d groups bracketed wider than %s, widths %s: %d trials%n",
                    stage, widths.size(), groups.size(), search.resolution(), String.join(",", widths), next.size());
            SweepRunner.Outcome o = runner.runStage(plan, next, stage, options);
            planned += o.planned();
            skipped += o.skipped();
            ran += o.ran();
        }
        int stages = stage - 1;
        log.printf(Locale.ROOT, "search done after %d stages: %d trials (%d already done)%n", stages, planned, skipped);
        return new Outcome(stages, planned, skipped, ran);
    }

    /** The committed rows of stages before some stage: status by trial id, and the widths they were run at. */
    private record Committed(Map<String, String> statusById, SortedSet<Integer> widths) {
    }

    /** Trial id → status and the widths tested, from the committed rows of stages before {@code stage}. */
    private Committed committedBefore(int stage, String outputDir) {
        String trials = new Path(new ParquetTableStore(spark, outputDir).root(), ParquetTableStore.TRIALS).toString();
        List<Row> rows = org.overparam.sweep.tables.CommittedTables.read(spark, trials).filter(col("stage").lt(stage)).select("trial_id", "m", "status").collectAsList();
        Map<String, String> status = new HashMap<>();
        SortedSet<Integer> widths = new TreeSet<>();
        for (Row r : rows) {
            status.put(r.getString(0), r.getString(2));
            widths.add(r.getInt(1));
        }
        return new Committed(status, widths);
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

        /** Tested width → fraction of the committed seeds that converged (widths with no committed trial left out). */
        SortedMap<Integer, Double> success(Committed committed) {
            SortedMap<Integer, Double> out = new TreeMap<>();
            for (int w : committed.widths()) {
                int found = 0;
                int converged = 0;
                for (TrialSpec t : at(w)) {
                    String status = committed.statusById().get(t.id());
                    // A timeout is no evidence either way (train.time_limit stopped it before any rule decided).
                    if (status != null && !"timeout".equals(status)) {
                        found++;
                        converged += "converged".equals(status) ? 1 : 0;
                    }
                }
                if (found > 0) {
                    out.put(w, converged / (double) found);
                }
            }
            return out;
        }
    }

    /** Everything that fixes a group but the width and the seed. */
    private static String key(TrialSpec t) {
        return t.model().key() + "|" + t.alpha() + "|" + t.n() + "|" + t.d() + "|" + t.eta() + "|" + t.params().canonical();
    }
}
