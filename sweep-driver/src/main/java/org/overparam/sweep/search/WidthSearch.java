package org.overparam.sweep.search;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.WidthBracket;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.SearchSettings;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.sweep.tables.ParquetTableStore;
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

        // One trial per (group, seed) at the smallest width: the templates of later stages' trials.
        Map<String, List<TrialSpec>> groups = new LinkedHashMap<>();
        int lo = search.coarseWidths().get(0);
        for (TrialSpec t : plan.trials()) {
            if (t.m() == lo) {
                groups.computeIfAbsent(key(t.model().key(), t.alpha(), t.n(), t.d(), t.eta()), k -> new ArrayList<>()).add(t);
            }
        }
        int stage = 2;
        for (; stage <= MAX_STAGES; stage++) {
            Map<String, SortedMap<Integer, Double>> success = successBefore(stage, options.outputDir());
            List<TrialSpec> next = new ArrayList<>();
            List<String> widths = new ArrayList<>();
            for (Map.Entry<String, List<TrialSpec>> g : groups.entrySet()) {
                SortedMap<Integer, Double> tested = success.get(g.getKey());
                if (tested == null) {
                    continue;
                }
                OptionalInt width = WidthBracket.of(tested, level).next(search.resolution());
                if (width.isPresent()) {
                    g.getValue().forEach(t -> next.add(t.withWidth(width.getAsInt())));
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

    /** Group → tested width → fraction of seeds converged, from the committed rows of stages before {@code stage}. */
    private Map<String, SortedMap<Integer, Double>> successBefore(int stage, String outputDir) {
        String trials = new Path(new ParquetTableStore(spark, outputDir).root(), ParquetTableStore.TRIALS).toString();
        List<Row> rows = spark.read().parquet(trials)
                .filter(col("stage").lt(stage))
                .groupBy("model", "alpha", "n", "d", "eta", "m")
                .agg(count(lit(1)).as("seeds"), sum(when(col("status").equalTo("converged"), 1).otherwise(0)).as("converged"))
                .collectAsList();
        Map<String, SortedMap<Integer, Double>> out = new HashMap<>();
        for (Row r : rows) {
            String k = key(r.getAs("model"), r.isNullAt(r.fieldIndex("alpha")) ? null : r.getAs("alpha"),
                    r.getAs("n"), r.getAs("d"), r.getAs("eta"));
            out.computeIfAbsent(k, x -> new TreeMap<>())
                    .put(r.getAs("m"), r.<Long>getAs("converged") / (double) r.<Long>getAs("seeds"));
        }
        return out;
    }

    private static String key(String model, Double alpha, int n, int d, double eta) {
        return model + "|" + alpha + "|" + n + "|" + d + "|" + eta;
    }
}
