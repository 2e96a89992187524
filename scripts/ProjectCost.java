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
import org.overparam.sweep.search.AdaptiveWidthSearch;
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
 * budget check's 24 trials at {@code budget_check ×} the steps. Work is turned into core-hours at the
 * reference run's throughput (its trials' work over their summed wall time, per core).
 */
public final class ProjectCost {
    public static void main(String[] args) throws Exception {
        SweepPlan plan = GridExpander.plan(ConfigLoader.load(Path.of(args[0])), true);
        AdaptiveSettings search = plan.config().adaptive();
        SparkSession spark = SparkSession.builder().master("local[1]").appName("project-cost").config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Map<String, double[]> fits = new LinkedHashMap<>();
        for (Row r : spark.read().parquet(args[1] + "/scaling").filter("method = 'adaptive' and exponent is not null")
                .select("model", "alpha", "intercept", "exponent", "slope_s").collectAsList()) {
            fits.put(r.getString(0) + "|" + r.get(1), new double[] {r.getDouble(2), r.getDouble(3), r.getDouble(4)});
        }
        double workDone = 0;
        double wallS = 0;
        // Throughput: the reference's work (cost model per step × steps run) over its wall time.
        SweepPlan reference = GridExpander.plan(ConfigLoader.parse(new String(java.nio.file.Files.readAllBytes(Path.of(args[1], "sweep.yaml"))),
                Path.of(".")), true);
        Map<String, TrialSpec> templates = new LinkedHashMap<>();
        for (TrialSpec t : reference.trials()) {
            templates.putIfAbsent(t.model().key() + "|" + t.alpha(), t);
        }
        for (Row r : spark.read().parquet(args[1] + "/trials").select("model", "alpha", "m", "n", "steps", "wall_ms").collectAsList()) {
            TrialSpec t = templates.get(r.getString(0) + "|" + (r.isNullAt(1) ? null : r.getDouble(1)));
            TrialSpec at = new TrialSpec(t.model(), t.alpha(), r.getInt(2), r.getInt(3), t.d(), t.eta(), 0, t.data(), t.steps(),
                    t.tolerance(), t.instruments(), t.params(), t.stepRule());
            workDone += org.overparam.trainer.models.TrialModels.flopsPerStep(at) * r.getInt(4);
            wallS += r.getLong(5) / 1000.0;
        }
        double flopsPerCoreSecond = workDone / wallS;
        System.out.printf(Locale.ROOT, "reference %s: %.3g flop in %.0f core-s of trials: %.3g GFLOP/s a core%n", args[1], workDone, wallS,
                flopsPerCoreSecond / 1e9);
        Map<String, List<TrialSpec>> groups = new LinkedHashMap<>();
        for (TrialSpec t : plan.trials()) {
            groups.computeIfAbsent(AdaptiveWidthSearch.key(t), k -> new ArrayList<>()).add(t);
        }
        double totalWork = 0;
        int totalTrials = 0;
        System.out.printf(Locale.ROOT, "%-12s %6s %8s %12s %10s%n", "variant", "alpha", "trials", "work (flop)", "core-h");
        for (List<TrialSpec> g : groups.values()) {
            TrialSpec first = g.get(0);
            double[] fit = fits.get(first.model().key() + "|" + first.alpha());
            if (fit == null) {
                System.out.printf(Locale.ROOT, "%-12s %6s  no fit in the reference%n", first.model().key(), first.alpha());
                continue;
            }
            List<Integer> ns = g.stream().map(TrialSpec::n).distinct().sorted().toList();
            double work = 0;
            int trials = 0;
            double[] z = {Math.log(0.1 / 0.9), 0.0, Math.log(0.9 / 0.1)};
            for (int k = 0; k < search.maxTrials() + AdaptiveSettings.BUDGET_SAMPLE; k++) {
                int n = ns.get(k % ns.size());
                double s = Math.max(fit[2], 0.1);
                int m = (int) Math.max(search.lo(), Math.min(search.hi(), Math.round(Math.exp(fit[0] + fit[1] * Math.log(n) + s * z[(k / ns.size()) % 3]))));
                TrialSpec t = GridExpander.atWidth(plan, g.stream().filter(x -> x.n() == n).findFirst().orElseThrow(), m);
                int steps = k < search.maxTrials() ? t.steps() : search.budgetCheck() * t.steps();
                work += org.overparam.trainer.models.TrialModels.flopsPerStep(t) * steps;
                trials++;
            }
            totalWork += work;
            totalTrials += trials;
            System.out.printf(Locale.ROOT, "%-12s %6s %8d %12.3g %10.2f%n", first.model().key(), first.alpha(), trials, work,
                    work / flopsPerCoreSecond / 3600);
        }
        System.out.printf(Locale.ROOT, "total: at most %d trials, %.3g flop, %.1f core-hours at the reference's throughput%n", totalTrials,
                totalWork, totalWork / flopsPerCoreSecond / 3600);
        spark.stop();
    }
}
