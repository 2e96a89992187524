import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An atlas's trial core time by model, as it ran and as it would have run on another trainer: from runs of one
 * grid ({@code conf/sweeps/bench-atlas-models.yaml}) with the trainer as it is ({@code --after}) and as it was
 * ({@code --before}), each at two step budgets (the config's, and a shorter one: {@code --after-short},
 * {@code --before-short}), each (model, n, m)'s trial time as a fixed part and a part per step
 * ({@code T(s) = F + s·S}, from the two budgets), and each atlas trial of those models timed by the ratio
 * {@code T_before(s)/T_after(s)} at its own steps {@code s} and the grid point nearest to it (n and m on a log scale);
 * models absent from the grid count as unchanged. With {@code --recorded} and {@code --recorded-short} (the grid run with
 * the trainer that ran the atlas), both estimates are scaled from the atlas's recorded times by
 * {@code T_before(s)/T_recorded(s)} and {@code T_after(s)/T_recorded(s)}; without, the recorded times are taken as after. Also says whether the two grid runs gave the same rows (status, steps,
 * final loss bits) and, where not, how far the final losses moved. Run by {@code scripts/bench-atlas-models.sh}.
 * <pre>
 *   java @conf/jvm-options -cp "$(cat sweep-driver/target/classpath.txt)" scripts/AtlasCoreTime.java \
 *     --atlas OUT/atlas --before BEFORE --after AFTER
 * </pre>
 */
public final class AtlasCoreTime {
    record Point(String model, int n, int m) {
        static final java.util.Comparator<Point> ORDER = java.util.Comparator.comparing(Point::model).thenComparingInt(Point::n)
                .thenComparingInt(Point::m);
    }

    public static void main(String[] args) {
        Map<String, String> opt = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        for (String k : List.of("--atlas", "--before", "--after", "--before-short", "--after-short")) {   // --recorded(-short): optional
            if (!opt.containsKey(k)) {
                System.err.println("atlas-core-time: " + k + " DIR is needed");
                System.exit(2);
            }
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("atlas-core-time")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Map<Point, double[]> before = cost(spark, opt.get("--before"), opt.get("--before-short"));
            Map<Point, double[]> after = cost(spark, opt.get("--after"), opt.get("--after-short"));
            Map<Point, double[]> recorded = opt.containsKey("--recorded") ? cost(spark, opt.get("--recorded"), opt.get("--recorded-short")) : after;
            compareRows(spark, opt.get("--before"), opt.get("--after"));
            for (Point p : after.keySet()) {
                double[] a = after.get(p);
                double[] b = before.get(p);
                System.out.printf(Locale.ROOT, "grid model=%s n=%d m=%d after_fixed_ms=%.1f after_us_per_step=%.1f before_fixed_ms=%.1f "
                        + "before_us_per_step=%.1f speedup_at_1000_steps=%.2f%n", p.model(), p.n(), p.m(), a[0], 1e3 * a[1], b[0], 1e3 * b[1],
                        (b[0] + 1000 * b[1]) / (a[0] + 1000 * a[1]));
            }
            Map<String, double[]> byModel = new TreeMap<>();
            for (Row r : spark.read().parquet(opt.get("--atlas") + "/trials").select("model", "n", "m", "wall_ms", "steps").collectAsList()) {
                String model = r.getString(0);
                double ms = r.getLong(3);
                int steps = r.getInt(4);
                Point near = nearest(after.keySet(), model, r.getInt(1), r.getInt(2));
                double rec = near == null ? 1 : recorded.get(near)[0] + steps * recorded.get(near)[1];
                double toBefore = near == null ? 1.0 : (before.get(near)[0] + steps * before.get(near)[1]) / rec;
                double toAfter = near == null ? 1.0 : (after.get(near)[0] + steps * after.get(near)[1]) / rec;
                double[] sums = byModel.computeIfAbsent(model, k -> new double[4]);
                sums[0] += ms * toAfter;
                sums[1] += ms * toBefore;
                sums[2] += 1;
                sums[3] += ms;
            }
            double total = 0;
            double totalBefore = 0;
            double totalRecorded = 0;
            for (Map.Entry<String, double[]> e : byModel.entrySet()) {
                double[] s = e.getValue();
                total += s[0];
                totalBefore += s[1];
                totalRecorded += s[3];
                System.out.printf(Locale.ROOT, "atlas model=%s trials=%d core_min_recorded=%.1f core_min_after=%.1f core_min_before=%.1f speedup=%.2f%s%n",
                        e.getKey(), (long) s[2], s[3] / 60e3, s[0] / 60e3, s[1] / 60e3, s[1] / s[0],
                        s[0] == s[1] ? " (code unchanged: as recorded)" : "");
            }
            System.out.printf(Locale.ROOT, "atlas all core_min_recorded=%.1f core_min_after=%.1f core_min_before=%.1f speedup=%.2f%n",
                    totalRecorded / 60e3, total / 60e3, totalBefore / 60e3, totalBefore / total);
        } finally {
            spark.stop();
        }
    }

    /**
     * Each (model, n, m)'s trial time {@code T(s) = F + s·S} in milliseconds, {@code {F, S}}, from a run at the longer
     * budget and one at the shorter (medians over the point's trials of wall_ms and steps; F kept ≥ 0).
     */
    static Map<Point, double[]> cost(SparkSession spark, String longRun, String shortRun) {
        Map<Point, double[]> lng = medians(spark, longRun);
        Map<Point, double[]> shrt = medians(spark, shortRun);
        Map<Point, double[]> out = new TreeMap<>(Point.ORDER);
        for (Map.Entry<Point, double[]> e : lng.entrySet()) {
            double[] l = e.getValue();
            double[] s = shrt.get(e.getKey());
            if (s == null || l[1] <= s[1]) {
                out.put(e.getKey(), new double[] {0, l[0] / Math.max(1, l[1])});
                continue;
            }
            double perStep = Math.max(0, (l[0] - s[0]) / (l[1] - s[1]));
            out.put(e.getKey(), new double[] {Math.max(0, s[0] - s[1] * perStep), perStep});
        }
        return out;
    }

    /** Per (model, n, m) of a grid run: {median wall_ms, median steps}. */
    static Map<Point, double[]> medians(SparkSession spark, String dir) {
        Map<Point, List<double[]>> all = new TreeMap<>(Point.ORDER);
        for (Row r : spark.read().parquet(dir + "/trials").select("model", "n", "m", "wall_ms", "steps").collectAsList()) {
            all.computeIfAbsent(new Point(r.getString(0), r.getInt(1), r.getInt(2)), k -> new ArrayList<>())
                    .add(new double[] {r.getLong(3), r.getInt(4)});
        }
        Map<Point, double[]> out = new TreeMap<>(Point.ORDER);
        all.forEach((p, v) -> {
            double[] ms = v.stream().mapToDouble(x -> x[0]).sorted().toArray();
            double[] st = v.stream().mapToDouble(x -> x[1]).sorted().toArray();
            out.put(p, new double[] {ms[ms.length / 2], st[st.length / 2]});
        });
        return out;
    }

    /** The grid point of {@code model} nearest to (n, m) on a log scale, or null where the grid has no such model. */
    static Point nearest(Iterable<Point> grid, String model, int n, int m) {
        Point best = null;
        double dist = Double.POSITIVE_INFINITY;
        for (Point p : grid) {
            if (!p.model().equals(model)) {
                continue;
            }
            double dn = Math.log((double) p.n() / n);
            double dm = Math.log((double) p.m() / m);
            double dd = dn * dn + dm * dm;
            if (dd < dist) {
                dist = dd;
                best = p;
            }
        }
        return best;
    }

    /**
     * Per model: how many grid trials have the same status, steps and final-loss bits in both runs; for the others, how
     * many keep their status and the median and largest relative move of the final loss.
     */
    static void compareRows(SparkSession spark, String before, String after) {
        Map<String, Row> b = new TreeMap<>();
        for (Row r : spark.read().parquet(before + "/trials").select("trial_id", "model", "status", "steps", "loss_final").collectAsList()) {
            b.put(r.getString(0), r);
        }
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, List<Double>> moves = new TreeMap<>();
        for (Row a : spark.read().parquet(after + "/trials").select("trial_id", "model", "status", "steps", "loss_final").collectAsList()) {
            Row r = b.get(a.getString(0));
            long[] c = counts.computeIfAbsent(a.getString(1), k -> new long[3]);
            c[2]++;
            if (r == null) {
                continue;
            }
            boolean status = a.getString(2).equals(r.getString(2)) && a.getInt(3) == r.getInt(3);
            boolean bits = status && (a.isNullAt(4) ? r.isNullAt(4)
                    : !r.isNullAt(4) && Double.doubleToRawLongBits(a.getDouble(4)) == Double.doubleToRawLongBits(r.getDouble(4)));
            c[0] += bits ? 1 : 0;
            c[1] += status ? 1 : 0;
            if (!bits && !a.isNullAt(4) && !r.isNullAt(4)) {
                moves.computeIfAbsent(a.getString(1), k -> new ArrayList<>()).add(Math.abs(a.getDouble(4) - r.getDouble(4)) / Math.abs(r.getDouble(4)));
            }
        }
        counts.forEach((model, c) -> {
            List<Double> m = moves.getOrDefault(model, List.of());
            List<Double> sorted = new ArrayList<>(m);
            sorted.sort(Double::compare);
            System.out.printf(Locale.ROOT, "rows model=%s trials=%d bit_identical=%d same_status_and_steps=%d%s%n", model, c[2], c[0], c[1],
                    sorted.isEmpty() ? "" : String.format(Locale.ROOT, " final_loss_move_rel_median=%.2g max=%.2g",
                            sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)));
        });
    }
}
