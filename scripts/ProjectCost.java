import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Projects the trials and the cost of an adaptive sweep from the cost model ({@link TrialSpec#estimatedCost},
 * the floating-point work of a trial's full step budget) and a measured run of a smaller sweep of the same
 * variants (its adaptive fits and its throughput). Run with the driver's class path:
 * <pre>
 *   java @conf/jvm-options -cp "$(cat sweep-driver/target/classpath.txt):sweep-driver/target/classes" \
 *        scripts/ProjectCost.java CONFIG REFERENCE_DIR
 * </pre>
 * Each variant spends its whole {@code max_trials} (the upper bound: a search that reaches its target stops
 * earlier), spread evenly over its n at the widths where the reference fit, extrapolated, gives success 0.1,
 * 0.5 and 0.9, each running its full step budget (an upper bound too: converged trials stop early); then the
 * budget check's 24 trials at {@code budget_check ×} the steps; then every ladder stage k = 1 … {@code ladder}
 * for every group (an upper bound: a group stops when budget-converged), each with a designed batch and as many
 * reruns of censored trials as a third of {@code max_trials}, at 2^k × the steps. A variant is a model, α and
 * loss (the reference must have run the same ones). Work is turned into core-hours at the reference run's
 * throughput (its trials' work over their summed wall time, per core).
 */
public final class ProjectCost {
    public static void main(String[] args) throws Exception {
        SweepPlan plan = GridExpander.plan(ConfigLoader.load(Path.of(args[0])), true);
        AdaptiveSettings search = (AdaptiveSettings) plan.config().widths();
        SparkSession spark = SparkSession.builder().master("local[1]").appName("project-cost").config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Map<String, double[]> fits = new LinkedHashMap<>();
        for (Row r : spark.read().parquet(args[1] + "/scaling").filter("method = 'adaptive' and exponent is not null")
                .select("model", "alpha", "loss", "intercept", "exponent", "slope_s").collectAsList()) {
            fits.put(r.getString(0) + "|" + r.get(1) + "|" + r.getString(2), new double[] {r.getDouble(3), r.getDouble(4), r.getDouble(5)});
        }
        double workDone = 0;
        double wallS = 0;
        // Throughput: the reference's work (cost model per step × steps run) over its wall time.
        SweepPlan reference = GridExpander.plan(ConfigLoader.parse(new String(java.nio.file.Files.readAllBytes(Path.of(args[1], "sweep.yaml"))),
                Path.of(".")), true);
        Map<String, TrialSpec> templates = new LinkedHashMap<>();
        for (TrialSpec t : reference.trials()) {
            templates.putIfAbsent(variant(t), t);
        }
        for (Row r : spark.read().parquet(args[1] + "/trials").select("model", "alpha", "loss", "m", "n", "steps", "wall_ms").collectAsList()) {
            TrialSpec t = templates.get(r.getString(0) + "|" + (r.isNullAt(1) ? null : r.getDouble(1)) + "|" + r.getString(2));
            TrialSpec at = new TrialSpec(t.model(), t.alpha(), r.getInt(3), r.getInt(4), t.d(), t.eta(), 0, t.data(), t.steps(),
                    t.tolerance(), t.instruments(), t.params(), t.stepRule(), t.loss(), t.stuckHorizon());
            workDone += org.overparam.trainer.models.TrialModels.flopsPerStep(at) * r.getInt(5);
            wallS += r.getLong(6) / 1000.0;
        }
        double flopsPerCoreSecond = workDone / wallS;
        System.out.printf(Locale.ROOT, "reference %s: %.3g flop in %.0f core-s of trials: %.3g GFLOP/s a core%n", args[1], workDone, wallS,
                flopsPerCoreSecond / 1e9);
        Map<String, List<TrialSpec>> groups = new LinkedHashMap<>();
        for (TrialSpec t : plan.trials()) {
            groups.computeIfAbsent(variant(t), k -> new ArrayList<>()).add(t);
        }
        double totalWork = 0;
        int totalTrials = 0;
        System.out.printf(Locale.ROOT, "%-12s %6s %-14s %8s %12s %10s%n", "variant", "alpha", "loss", "trials", "work (flop)", "core-h");
        for (List<TrialSpec> g : groups.values()) {
            TrialSpec first = g.get(0);
            double[] fit = fits.get(variant(first));
            if (fit == null) {
                System.out.printf(Locale.ROOT, "%-12s %6s %-14s no fit in the reference%n", first.model().key(), first.alpha(), first.loss().key());
                continue;
            }
            List<Integer> ns = g.stream().map(TrialSpec::n).distinct().sorted().toList();
            double work = 0;
            int trials = 0;
            double[] z = {Math.log(0.1 / 0.9), 0.0, Math.log(0.9 / 0.1)};
            int checks = search.budgetCheck() > 0 ? AdaptiveSettings.BUDGET_SAMPLE : 0;
            int perRung = search.batch() + search.maxTrials() / 3;
            for (int k = 0; k < search.maxTrials() + checks + search.ladder() * perRung; k++) {
                int n = ns.get(k % ns.size());
                double s = Math.max(fit[2], 0.1);
                int m = (int) Math.max(search.lo(), Math.min(search.hi(), Math.round(Math.exp(fit[0] + fit[1] * Math.log(n) + s * z[(k / ns.size()) % 3]))));
                TrialSpec t = GridExpander.atWidth(plan, g.stream().filter(x -> x.n() == n).findFirst().orElseThrow(), m);
                int extra = k - search.maxTrials() - checks;
                long steps = k < search.maxTrials() ? t.steps() : extra < 0 ? (long) search.budgetCheck() * t.steps()
                        : ((long) t.steps() << (1 + extra / perRung));
                work += org.overparam.trainer.models.TrialModels.flopsPerStep(t) * steps;
                trials++;
            }
            totalWork += work;
            totalTrials += trials;
            System.out.printf(Locale.ROOT, "%-12s %6s %-14s %8d %12.3g %10.2f%n", first.model().key(), first.alpha(), first.loss().key(), trials, work,
                    work / flopsPerCoreSecond / 3600);
        }
        System.out.printf(Locale.ROOT, "total: at most %d trials, %.3g flop, %.1f core-hours at the reference's throughput%n", totalTrials,
                totalWork, totalWork / flopsPerCoreSecond / 3600);
        spark.stop();
    }

    /** A variant: model, α and loss, as the reference's tables name them. */
    private static String variant(TrialSpec t) {
        return t.model().key() + "|" + t.alpha() + "|" + t.loss().key();
    }
}
