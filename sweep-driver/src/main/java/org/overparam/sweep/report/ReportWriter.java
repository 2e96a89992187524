package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.tables.ParquetTableStore;

/**
 * Writes {@code DIR/report/}: plots of a sweep's thresholds, training dynamics and theory comparisons
 * (PNG, and PDF beside each), a self-contained {@code index.html} that leads with the answer (what ran,
 * for an adaptive search the atlas of every variant's m*(n) and joint fit ({@link Atlas}), the threshold
 * table, m_star against n; {@link HtmlReport}) with the plots inlined as SVG, and a
 * Markdown {@code summary.md}. Aggregation runs in Spark
 * (medians over seeds); only the aggregates reach the driver. Plots:
 * <ul>
 *   <li>per group (model, α, n, d, η), one series per width m: loss/loss0, flipped activations,
 *       largest weight movement and λmin(Λ(s)) against the GD step;</li>
 *   <li>across groups: λmin of the kernels at init against m with the infinite-width values; final
 *       flips and movement against m; measured rate against each theorem's prediction;</li>
 *   <li>from the derived tables, when {@code overparam aggregate} wrote them: success probability
 *       against m per n, m_star against n with the fitted power law and the theory's slopes, measured
 *       over predicted rate against n ({@link ThresholdFigures}).</li>
 * </ul>
 * A group with more than {@link #MAX_WIDTHS} widths (a width search) gets lines for that many, spread
 * evenly in log m.
 */
public final class ReportWriter {
    /** Groups beyond this many get no per-group plots (the summary still lists them). */
    public static final int MAX_GROUPS = 12;
    /** Per-group plots draw at most this many widths (one per palette colour), spread in log m (a search tests more). */
    public static final int MAX_WIDTHS = 7;
    /** λmin(Λ(s)) at most this fraction of the group's largest is zero to rounding (a singular kernel). */
    static final double SINGULAR = 1e-10;
    private static final List<String> GROUP = List.of("model", "alpha", "n", "d", "eta");

    private final SparkSession spark;
    private final Path dir;
    private final Path reportDir;
    private final FileSystem fs;
    private final List<Figure> figures = new ArrayList<>();

    /**
     * One written plot: its section, the PNG's file name (a PDF of the same name sits beside it), its
     * caption, and its SVG text (inlined in index.html).
     */
    public record Figure(String section, String file, String caption, String svg) {
        /** The PDF beside the PNG. */
        public String pdf() {
            return file.replaceAll("\\.png$", ".pdf");
        }
    }

    public ReportWriter(SparkSession spark, String outputDir) throws IOException {
        this.spark = spark;
        Path p = new Path(outputDir);
        this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.setWriteChecksum(false);
        this.dir = fs.makeQualified(p);
        this.reportDir = new Path(dir, "report");
    }

    /** Writes the report and returns the figures written. */
    public List<Figure> write() throws IOException {
        // Groups are model and variant (ModelVariant): the model column carries both, e.g. "grelu L=3,d_y=1".
        Dataset<Row> trials = labelled(org.overparam.sweep.tables.DistinctRows.trials(spark, new Path(dir, ParquetTableStore.TRIALS).toString(), System.err)).cache();
        Dataset<Row> curves = org.overparam.sweep.tables.DistinctRows.curves(spark, new Path(dir, ParquetTableStore.CURVES).toString(), System.err);
        fs.mkdirs(reportDir);
        List<Row> groups = trials.select(GROUP.stream().map(Column::new).toArray(Column[]::new)).distinct()
                .orderBy(GROUP.stream().map(Column::new).toArray(Column[]::new)).collectAsList();
        String derived = "";
        List<Row> thresholdRows = List.of();
        List<Row> scalingRows = List.of();
        List<Atlas.Variant> atlas = List.of();
        if (fs.exists(new Path(dir, Aggregation.THRESHOLDS)) && fs.exists(new Path(dir, Aggregation.SCALING))
                && fs.exists(new Path(dir, Aggregation.RATES))) {
            Dataset<Row> thresholdTable = spark.read().parquet(new Path(dir, Aggregation.THRESHOLDS).toString());
            Dataset<Row> scalingTable = spark.read().parquet(new Path(dir, Aggregation.SCALING).toString());
            // An adaptive search's joint fits open the report (the atlas); the rest shows the least-squares fits as before.
            Atlas found = Atlas.of(scalingTable, thresholdTable);
            if (!found.isEmpty()) {
                save(found.chart(), Atlas.SECTION, Atlas.FILE, Atlas.CAPTION);
                atlas = found.variants();
            }
            Dataset<Row> thresholds = labelled(thresholdTable);
            Dataset<Row> scaling = labelled(Atlas.leastSquares(scalingTable));
            Dataset<Row> rates = labelled(spark.read().parquet(new Path(dir, Aggregation.RATES).toString()));
            List<ThresholdFigures.Plot> plots = new ArrayList<>(ThresholdFigures.successVsWidth(thresholds, MAX_GROUPS));
            plots.addAll(ThresholdFigures.mStarVsN(thresholds, scaling));
            plots.addAll(ThresholdFigures.rateRatios(rates));
            for (ThresholdFigures.Plot p : plots) {
                save(p.chart(), p.section(), p.file(), p.caption());
            }
            derived = Summary.thresholds(thresholds, scaling, rates);
            thresholdRows = thresholds.orderBy("model", "alpha", "d", "eta", "n", "m").collectAsList();
            scalingRows = scaling.collectAsList();
        }
        Map<String, Map<Integer, List<Row>>> medians = curveMedians(trials, curves);
        int plotted = 0;
        for (Row g : groups) {
            if (plotted++ >= MAX_GROUPS) {
                break;
            }
            groupPlots(g, medians.getOrDefault(groupKey(g), Map.of()));
        }
        kernelAtInitPlots(trials);
        finalDynamicsPlots(trials);
        errorVsOmegaPlot(trials);
        marginsVsWidthPlot(trials);
        deepDynamicsPlots(trials, curves);
        ratePlot(trials);
        writeText("summary.md", Summary.markdown(trials, groups.size(), Math.min(groups.size(), MAX_GROUPS)) + Summary.atlas(atlas) + derived);
        writeText("index.html", HtmlReport.page(HtmlReport.Overview.of(trials, dir, sweepName(), groups.size(), planned()), thresholdRows, scalingRows, figures, atlas));
        trials.unpersist();
        return List.copyOf(figures);
    }

    /** The sweep's name from the manifest, else the folder's name. */
    private String sweepName() {
        try {
            return org.overparam.sweep.run.SweepManifest.exists(fs, dir) ? org.overparam.sweep.run.SweepManifest.read(fs, dir).sweep() : dir.getName();
        } catch (IOException e) {
            return dir.getName();
        }
    }

    /** The trial count the manifest plans, or -1 when it cannot be read (a width search plans stage by stage). */
    private long planned() {
        try {
            return org.overparam.sweep.run.SweepManifest.exists(fs, dir)
                    ? org.overparam.sweep.run.SweepManifest.read(fs, dir).trials() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@code rows} with the model column naming the variant too, and no variant column. */
    private static Dataset<Row> labelled(Dataset<Row> rows) {
        return ModelVariant.labelModel(rows).drop(ModelVariant.COLUMN);
    }

    public Path reportDir() {
        return reportDir;
    }

    private static String groupKey(Row r) {
        return r.getAs("model") + "|" + (r.isNullAt(r.fieldIndex("alpha")) ? "-" : num(r.getAs("alpha"))) + "|"
                + r.getAs("n") + "|" + r.getAs("d") + "|" + num(r.getAs("eta"));
    }

    static String groupTitle(Row r) {
        String alpha = r.isNullAt(r.fieldIndex("alpha")) ? "" : ", α=" + num(r.getAs("alpha"));
        return r.getAs("model") + alpha + ", n=" + r.getAs("n") + ", d=" + r.getAs("d") + ", η=" + num(r.getAs("eta"));
    }

    private static String slug(Row r) {
        String alpha = r.isNullAt(r.fieldIndex("alpha")) ? "" : "_alpha" + num(r.getAs("alpha"));
        return r.getAs("model") + alpha + "_n" + r.getAs("n") + "_d" + r.getAs("d") + "_eta" + num(r.getAs("eta"));
    }

    static String num(Object x) {
        double v = ((Number) x).doubleValue();
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Medians over seeds per (group, m, step): group key → m → rows ordered by step. */
    private Map<String, Map<Integer, List<Row>>> curveMedians(Dataset<Row> trials, Dataset<Row> curves) {
        Dataset<Row> joined = curves.join(trials.select("trial_id", "model", "alpha", "n", "d", "eta", "m", "loss0", "steps"), "trial_id")
                .withColumn("width_key", concat_ws("|", col("model"), coalesce(col("alpha").cast("string"), lit("-")),
                        col("n"), col("d"), col("eta"), col("m")));
        // A trial that stopped early (converged or diverged) stays where training left it: carry its last
        // values to the later steps of its width's other seeds, so that each median is over every seed
        // rather than over the slowest ones still running. Steps where some seed has no value (another
        // seed's last step, off the common log-spaced steps) are left out.
        Dataset<Row> steps = joined.select(col("width_key"), col("step").as("later_step")).distinct();
        Dataset<Row> carried = joined.filter(col("step").equalTo(col("steps")))
                .join(steps, "width_key")
                .filter(col("later_step").gt(col("steps")))
                .drop("step")
                .withColumnRenamed("later_step", "step");
        Dataset<Row> seedsPerWidth = joined.groupBy("width_key").agg(countDistinct("trial_id").as("width_seeds"));
        List<Row> rows = joined.unionByName(carried).groupBy("width_key", "model", "alpha", "n", "d", "eta", "m", "step")
                .agg(percentile_approx(col("loss").divide(col("loss0")), lit(0.5), lit(1000)).as("rel_loss"),
                        percentile_approx(col("act_flip_frac"), lit(0.5), lit(1000)).as("flips"),
                        percentile_approx(col("max_move_w"), lit(0.5), lit(1000)).as("move"),
                        percentile_approx(col("lambda_min_lambda"), lit(0.5), lit(1000)).as("lambda_min"),
                        count(lit(1)).as("seeds"))
                .join(seedsPerWidth, "width_key")
                .filter(col("seeds").equalTo(col("width_seeds")))
                .orderBy("model", "alpha", "n", "d", "eta", "m", "step").collectAsList();
        Map<String, Map<Integer, List<Row>>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(groupKey(r), k -> new TreeMap<>())
                    .computeIfAbsent(r.<Integer>getAs("m"), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private void groupPlots(Row group, Map<Integer, List<Row>> byWidth) throws IOException {
        String title = groupTitle(group);
        String slug = slug(group);
        String section = "Training dynamics: " + title;
        // When some widths finish ten times sooner than the slowest, a linear step axis crushes them
        // against step 0: draw the steps on a log axis (from step 1) instead.
        int firstEnd = Integer.MAX_VALUE;
        int lastEnd = 0;
        for (List<Row> rows : byWidth.values()) {
            int end = rows.get(rows.size() - 1).<Integer>getAs("step");
            firstEnd = Math.min(firstEnd, end);
            lastEnd = Math.max(lastEnd, end);
        }
        boolean logSteps = lastEnd >= 10L * Math.max(1, firstEnd);
        String stepAxis = logSteps ? "GD step (log scale)" : "GD step";
        Chart loss = new Chart("Loss, " + title, stepAxis, "loss / loss0 (median over seeds)", logSteps, true);
        Chart flips = new Chart("Flipped activation patterns, " + title, stepAxis, "fraction of 1{w_k·x_i ≥ 0} changed since init", logSteps, false);
        Chart move = new Chart("Largest weight movement, " + title, stepAxis, "max_k ‖w_k(s) − w_k(0)‖", logSteps, false);
        Chart lambda = new Chart("λmin(Λ(s)), " + title, stepAxis, "smallest eigenvalue of the training kernel", logSteps, true);
        java.util.Set<Integer> shown = spreadInLog(byWidth.keySet(), MAX_WIDTHS);
        double largestLambda = byWidth.values().stream().flatMap(List::stream)
                .filter(r -> !r.isNullAt(r.fieldIndex("lambda_min"))).mapToDouble(r -> r.<Double>getAs("lambda_min")).max().orElse(0);
        for (Map.Entry<Integer, List<Row>> e : byWidth.entrySet()) {
            if (!shown.contains(e.getKey())) {
                continue;
            }
            String name = "m=" + e.getKey();
            List<Row> rows = e.getValue();
            double[] steps = column(rows, "step");
            loss.line(name, steps, column(rows, "rel_loss"));
            // Flips and movements exist at the instrumented steps only (a few, log-spaced): markers, not
            // lines, so that nothing is implied between them.
            double[][] f = nonNull(rows, "flips");
            flips.markers(name, f[0], f[1]);
            double[][] mv = nonNull(rows, "move");
            move.markers(name, mv[0], mv[1]);
            double[][] lm = nonNull(rows, "lambda_min");
            // A kernel of rank below n (m·d < n) has λmin zero up to rounding (1e-17…1e-15): not drawn,
            // or it would stretch the log axis over a dozen decades.
            for (int i = 0; i < lm[1].length; i++) {
                if (lm[1][i] <= SINGULAR * largestLambda) {
                    lm[1][i] = Double.NaN;
                }
            }
            lambda.markers(name, lm[0], lm[1]);
        }
        save(loss, section, "loss_" + slug + ".png", "Training loss relative to its initial value, median over seeds (a seed that stopped"
                + " keeps its last value), one line per width.");
        save(flips, section, "flips_" + slug + ".png", "Fraction of activation indicators 1{w_k·x_i ≥ 0} that differ from init (Du et al. Fig. 1b).");
        save(move, section, "move_" + slug + ".png", "Largest distance of a neuron's effective weights from init (Du et al. Fig. 1c).");
        save(lambda, section, "lambda_" + slug + ".png", "Smallest eigenvalue of Λ(s) = V/α² + G (wn) or H (relu) at the instrumented steps"
                + " (where the kernel is singular, λmin ≤ 1e-10 of the group's largest value, i.e. zero to rounding, no point is drawn).");
    }

    /** At most {@code max} of the sorted {@code widths}: the smallest, the largest, and those nearest to even steps in log m between. */
    static java.util.Set<Integer> spreadInLog(java.util.Set<Integer> widths, int max) {
        List<Integer> all = new ArrayList<>(new java.util.TreeSet<>(widths));
        if (all.size() <= max) {
            return new java.util.TreeSet<>(all);
        }
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        double lo = Math.log(all.get(0));
        double hi = Math.log(all.get(all.size() - 1));
        for (int i = 0; i < max; i++) {
            double target = lo + (hi - lo) * i / (max - 1);
            Integer best = null;
            for (int w : all) {
                if (!out.contains(w) && (best == null || Math.abs(Math.log(w) - target) < Math.abs(Math.log(best) - target))) {
                    best = w;
                }
            }
            out.add(best);
        }
        return out;
    }

    private void kernelAtInitPlots(Dataset<Row> trials) throws IOException {
        List<Row> rows = trials.filter(col("lambda_min_h0").isNotNull())
                .groupBy("model", "n", "d", "m")
                .agg(percentile_approx(col("lambda_min_v0"), lit(0.5), lit(1000)).as("v0"),
                        percentile_approx(col("lambda_min_h0"), lit(0.5), lit(1000)).as("h0"),
                        percentile_approx(col("lambda_min_g0"), lit(0.5), lit(1000)).as("g0"),
                        percentile_approx(col("lambda0_inf"), lit(0.5), lit(1000)).as("v_inf"),
                        percentile_approx(col("lambda_min_h_inf"), lit(0.5), lit(1000)).as("h_inf"),
                        percentile_approx(col("mu0_inf"), lit(0.5), lit(1000)).as("g_inf"))
                .orderBy("model", "n", "d", "m").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<Row>> bySeries = new LinkedHashMap<>();
        for (Row r : rows) {
            bySeries.computeIfAbsent(r.getAs("model") + ", n=" + r.getAs("n") + ", d=" + r.getAs("d"), k -> new ArrayList<>()).add(r);
        }
        // One chart for one data set; with several, one chart each (six lines per data set are enough).
        boolean split = bySeries.size() > 1;
        String title = "Kernels at init approach their infinite-width limits";
        String caption = "Smallest eigenvalues of H(0), V(0), G(0) against the width, with the infinite-width values (dashed, same colour):"
                + " they depend on the data only.";
        Chart chart = null;
        float[] dash = {8f, 6f};
        for (Map.Entry<String, List<Row>> e : bySeries.entrySet()) {
            if (chart == null || split) {
                chart = new Chart(title + (split ? ", " + e.getKey() : ""), "width m", "smallest eigenvalue (median over trials)", true, true);
            }
            String key = split ? "" : ", " + e.getKey();
            List<Row> rs = e.getValue();
            double[] m = column(rs, "m");
            chart.line("λmin H(0)" + key, m, column(rs, "h0"));
            chart.reference("λmin H∞" + key, m, column(rs, "h_inf"), chart.lastColor(), dash);
            double[][] v = nonNull(rs, "v0", "m");
            if (chart.line("λmin V(0)" + key, v[0], v[1])) {
                chart.reference("λ0 = λmin V∞" + key, v[0], nonNull(rs, "v_inf", "m")[1], chart.lastColor(), dash);
                double[][] g = nonNull(rs, "g0", "m");
                chart.line("λmin G(0)" + key, g[0], g[1]);
                chart.reference("μ0 = λmin G∞" + key, g[0], nonNull(rs, "g_inf", "m")[1], chart.lastColor(), dash);
            }
            if (split) {
                Row r0 = rs.get(0);
                save(chart, "Theory: kernels", "kernels_at_init_vs_m_" + r0.getAs("model") + "_n" + r0.getAs("n") + "_d" + r0.getAs("d") + ".png", caption);
            }
        }
        if (!split) {
            save(chart, "Theory: kernels", "kernels_at_init_vs_m.png", caption);
        }
    }

    private void finalDynamicsPlots(Dataset<Row> trials) throws IOException {
        List<Row> rows = trials.filter(col("act_flip_frac").isNotNull())
                .groupBy("model", "alpha", "n", "d", "eta", "m")
                .agg(percentile_approx(col("act_flip_frac"), lit(0.5), lit(1000)).as("flips"),
                        percentile_approx(col("max_move_w"), lit(0.5), lit(1000)).as("move"))
                .orderBy("model", "alpha", "n", "d", "eta", "m").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(groupTitle(r), k -> new ArrayList<>()).add(r);
        }
        Chart flips = new Chart("Flipped activations at the end of training", "width m", "fraction flipped (median over seeds)", true, true);
        Chart move = new Chart("Largest weight movement at the end of training", "width m", "max_k ‖w_k − w_k(0)‖ (median over seeds)", true, true);
        int n = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (n++ >= MAX_GROUPS) {
                break;
            }
            double[] m = column(e.getValue(), "m");
            flips.line(e.getKey(), m, column(e.getValue(), "flips"));
            move.line(e.getKey(), m, column(e.getValue(), "move"));
        }
        save(flips, "Training dynamics against width", "final_flips_vs_m.png",
                "Wider nets change fewer activation patterns (lazy training): the final flipped fraction against m.");
        save(move, "Training dynamics against width", "final_move_vs_m.png",
                "Wider nets move their weights less: the final largest movement against m.");
    }

    /**
     * Paper 004 Figure 1: smooth's train and test classification error against ω2 (one line pair per n, d,
     * η, m and activation), mean over seeds with 95 % Student-t intervals, diverged trials left out; drawn when
     * smooth trials sweep ω2 and measured errors (class-label targets).
     */
    private void errorVsOmegaPlot(Dataset<Row> trials) throws IOException {
        if (!java.util.Arrays.asList(trials.columns()).contains("omega2")) {
            return;
        }
        List<Row> rows = trials.filter(col("train_error").isNotNull().and(col("omega2").isNotNull())
                        .and(col("status").notEqual("diverged")))
                .groupBy("n", "d", "eta", "m", "activation", "omega2")
                .agg(org.apache.spark.sql.functions.avg("train_error").as("train"), org.apache.spark.sql.functions.stddev_samp("train_error").as("train_sd"),
                        org.apache.spark.sql.functions.avg("test_error").as("test"), org.apache.spark.sql.functions.stddev_samp("test_error").as("test_sd"),
                        count(lit(1)).as("k"))
                .orderBy("n", "d", "eta", "m", "activation", "omega2").collectAsList();
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent("n=" + r.getAs("n") + " m=" + r.getAs("m") + " " + r.getAs("activation") + " eta=" + num(r.getAs("eta")),
                    k -> new ArrayList<>()).add(r);
        }
        if (byGroup.values().stream().noneMatch(g -> g.size() > 1)) {
            return;
        }
        Chart chart = new Chart("Train and test error against ω2 (paper 004 Figure 1)", "ω2", "classification error (mean over seeds, 95 % interval)", true, false);
        int g = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (g++ >= MAX_GROUPS) {
                break;
            }
            double[] w2 = column(e.getValue(), "omega2");
            for (String which : List.of("train", "test")) {
                double[] mean = column(e.getValue(), which);
                double[] lo = new double[mean.length];
                double[] hi = new double[mean.length];
                for (int i = 0; i < mean.length; i++) {
                    Row r = e.getValue().get(i);
                    Object sd = r.getAs(which + "_sd");
                    long k = r.getAs("k");
                    double half = sd == null || k < 2 ? 0 : studentT95(k - 1) * ((Double) sd) / Math.sqrt(k);
                    lo[i] = mean[i] - half;
                    hi[i] = mean[i] + half;
                }
                chart.line(which + " error, " + e.getKey(), w2, mean);
                chart.intervals(w2, lo, hi, chart.lastColor());
            }
        }
        save(chart, "Paper figures", "error_vs_omega2.png",
                "Paper 004 Figure 1: train and test classification error against ω2 at the sweep's ω1ω2, mean over seeds with 95 % Student-t intervals (diverged trials left out).");
    }

    /**
     * Paper 001 Figure 1: bn's margin estimates γ_a, γ_c and γ = γ_a + γ_c against the width (one set per n, d,
     * η, optimizer), mean over seeds with 2-standard-error bars; drawn when bn trials span two widths or more.
     */
    private void marginsVsWidthPlot(Dataset<Row> trials) throws IOException {
        if (!java.util.Arrays.asList(trials.columns()).contains("gamma")) {
            return;
        }
        List<Row> rows = trials.filter(col("gamma").isNotNull())
                .groupBy("n", "d", "eta", "optimizer", "m")
                .agg(org.apache.spark.sql.functions.avg("gamma_a").as("a"), org.apache.spark.sql.functions.stddev_samp("gamma_a").as("a_sd"),
                        org.apache.spark.sql.functions.avg("gamma_c").as("c"), org.apache.spark.sql.functions.stddev_samp("gamma_c").as("c_sd"),
                        org.apache.spark.sql.functions.avg("gamma").as("g"), org.apache.spark.sql.functions.stddev_samp("gamma").as("g_sd"),
                        count(lit(1)).as("k"))
                .orderBy("n", "d", "eta", "optimizer", "m").collectAsList();
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent("n=" + r.getAs("n") + " d=" + r.getAs("d") + " " + r.getAs("optimizer"), k -> new ArrayList<>()).add(r);
        }
        if (byGroup.values().stream().noneMatch(g -> g.size() > 1)) {
            return;
        }
        Chart chart = new Chart("Margin estimates against width (paper 001 Figure 1)", "width m", "γ (mean over seeds ± 2 standard errors)", true, true);
        int g = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (g++ >= MAX_GROUPS) {
                break;
            }
            double[] m = column(e.getValue(), "m");
            for (String[] which : new String[][] {{"a", "γ_a"}, {"c", "γ_c"}, {"g", "γ"}}) {
                double[] mean = column(e.getValue(), which[0]);
                double[] lo = new double[mean.length];
                double[] hi = new double[mean.length];
                for (int i = 0; i < mean.length; i++) {
                    Row r = e.getValue().get(i);
                    Object sd = r.getAs(which[0] + "_sd");
                    long k = r.getAs("k");
                    double half = sd == null || k < 2 ? 0 : 2 * ((Double) sd) / Math.sqrt(k);
                    lo[i] = mean[i] - half;
                    hi[i] = mean[i] + half;
                }
                chart.line(which[1] + ", " + e.getKey(), m, mean);
                chart.intervals(m, lo, hi, chart.lastColor());
            }
        }
        save(chart, "Paper figures", "margins_vs_m.png",
                "Paper 001 Figure 1: the reference-network margin estimates γ_a, γ_c and γ = γ_a + γ_c against the width, mean over seeds ± 2 standard errors.");
    }

    /**
     * Paper 002 Figure 2a–c for grelu and deep-relu, one line per model and width: the MSE {@code 2·loss/(n d_y)}
     * against the step, the maximum over seeds at widths {@code m ≥ n²L d_y} (Theorem 1's) and the minimum
     * below, as the paper plots (2a); {@code ‖g_t − g_{t−1}‖} (2b) and the fraction of gates changed by each
     * step (2c), means over seeds. At each step, over the seeds still running there.
     */
    private void deepDynamicsPlots(Dataset<Row> trials, Dataset<Row> curves) throws IOException {
        if (!java.util.Arrays.asList(trials.columns()).contains("L")) {
            return;
        }
        Dataset<Row> deep = trials.filter(col("L").isNotNull()).select("trial_id", "model", "n", "d_y", "L", "m");
        List<Row> rows = curves.join(deep, "trial_id")
                .groupBy("model", "n", "d_y", "L", "m", "step")
                .agg(org.apache.spark.sql.functions.max("loss").as("max_loss"), org.apache.spark.sql.functions.min("loss").as("min_loss"),
                        org.apache.spark.sql.functions.avg("grad_change").as("grad_change"),
                        org.apache.spark.sql.functions.avg("pattern_hamming").as("hamming"))
                .orderBy("model", "n", "d_y", "L", "m", "step").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(r.getAs("model") + " n=" + r.getAs("n") + " m=" + r.getAs("m"), k -> new ArrayList<>()).add(r);
        }
        Chart mse = new Chart("MSE against step (paper 002 Figure 2a)", "step", "MSE: max over seeds at m ≥ n²L d_y, min below", true, true);
        Chart grad = new Chart("Gradient differences (paper 002 Figure 2b)", "step", "‖g_t − g_{t−1}‖ (mean over seeds)", true, true);
        Chart hamming = new Chart("Changed ReLU patterns (paper 002 Figure 2c)", "step", "fraction of gates changed by the step (mean over seeds)", true, false);
        int g = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (g++ >= MAX_GROUPS) {
                break;
            }
            Row first = e.getValue().get(0);
            double n = ((Number) first.getAs("n")).doubleValue();
            double dy = ((Number) first.getAs("d_y")).doubleValue();
            double depth = ((Number) first.getAs("L")).doubleValue();
            boolean theory = ((Number) first.getAs("m")).doubleValue() >= n * n * depth * dy;
            double[] step = column(e.getValue(), "step");
            double[] loss = column(e.getValue(), theory ? "max_loss" : "min_loss");
            for (int i = 0; i < loss.length; i++) {
                loss[i] *= 2.0 / (n * dy);
            }
            mse.line(e.getKey() + (theory ? " (max over seeds)" : " (min over seeds)"), step, loss);
            grad.line(e.getKey(), step, column(e.getValue(), "grad_change"));
            hamming.line(e.getKey(), step, column(e.getValue(), "hamming"));
        }
        String section = "Paper figures";
        save(mse, section, "deep_mse_vs_step.png", "Paper 002 Figure 2a: training MSE against the step; at Theorem 1's width "
                + "n²L d_y and above the worst seed, below it the best seed.");
        save(grad, section, "deep_grad_change_vs_step.png", "Paper 002 Figure 2b: ‖g_t − g_{t−1}‖ between successive gradients, mean over seeds.");
        save(hamming, section, "deep_hamming_vs_step.png", "Paper 002 Figure 2c: fraction of the ReLU gates changed by each step "
                + "(0 for GReLU, whose gates are fixed), mean over seeds.");
    }

    /** The two-sided 95 % Student-t quantile for {@code dof} degrees of freedom (1.96 beyond 30). */
    static double studentT95(long dof) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        return dof >= 1 && dof <= 30 ? t[(int) dof - 1] : 1.96;
    }

    private void ratePlot(Dataset<Row> trials) throws IOException {
        // Converged trials: a run that stalled has a rate fitted to a flat curve, orders of magnitude below.
        List<Row> rows = trials.filter(col("rate").isNotNull().and(col("rate_pred_h").isNotNull()).and(col("status").equalTo("converged")))
                .select("model", "alpha", "eta", "rate", "rate_pred_v", "rate_pred_g", "rate_pred_h", "eta_max_v",
                        "lambda_max_lambda0").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Row r : rows) {
            String model = r.getAs("model");
            double rate = r.getAs("rate");
            double eta = r.getAs("eta");
            double stable = r.isNullAt(r.fieldIndex("lambda_max_lambda0")) ? Double.NaN : 1.0 / r.<Double>getAs("lambda_max_lambda0");
            double pred;
            String name;
            if (model.equals("wn")) {
                double alpha = r.getAs("alpha");
                if (alpha <= 1) {
                    pred = r.<Double>getAs("rate_pred_v");
                    name = eta <= r.<Double>getAs("eta_max_v") ? "Thm 4.1: wn α ≤ 1, η ≤ α²/‖V∞‖" : "wn α ≤ 1, η > α²/‖V∞‖";
                } else {
                    pred = r.<Double>getAs("rate_pred_g");
                    name = eta <= stable ? "Thm 4.2: wn α > 1, η ≤ 1/‖Λ(0)‖" : "wn α > 1, η > 1/‖Λ(0)‖";
                }
            } else {
                pred = r.getAs("rate_pred_h");
                name = eta <= stable ? "Du et al.: relu, η ≤ 1/‖H(0)‖" : "relu, η > 1/‖H(0)‖";
            }
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {pred, rate});
            if (pred > 0 && rate > 0) {
                lo = Math.min(lo, Math.min(pred, rate));
                hi = Math.max(hi, Math.max(pred, rate));
            }
        }
        Chart chart = new Chart("Measured convergence rate against the theorems' predictions", "predicted rate (constants = 1)", "measured rate ρ", true, true);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            chart.scatter(e.getKey(), e.getValue().stream().mapToDouble(p -> p[0]).toArray(),
                    e.getValue().stream().mapToDouble(p -> p[1]).toArray());
        }
        if (hi > 0) {
            chart.reference("measured = predicted", new double[] {lo, hi}, new double[] {lo, hi});
        }
        save(chart, "Theory: rates", "rate_vs_prediction.png",
                "Each converged trial's fitted per-step rate against its prediction (hidden constants 1); above the dashed line the predicted rate is beaten. Series separate trials inside and outside each theorem's step-size condition; no trial meets the width conditions with constants 1 (see summary.md).");
    }

    static double[] column(List<Row> rows, String name) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            Row r = rows.get(i);
            Object v = r.get(r.fieldIndex(name));
            out[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        return out;
    }

    /** x = "step" (or {@code xName}), y = {@code name}, rows where y is not null. */
    private static double[][] nonNull(List<Row> rows, String name, String... xName) {
        String x = xName.length > 0 ? xName[0] : "step";
        List<Row> kept = rows.stream().filter(r -> !r.isNullAt(r.fieldIndex(name))).toList();
        return new double[][] {column(kept, x), column(kept, name)};
    }

    private void save(Chart chart, String section, String file, String caption) throws IOException {
        if (!chart.hasData()) {
            return;
        }
        // Model labels carry a variant ("smooth d_y=1,activation=gelu"): keep file names to safe characters.
        file = file.replaceAll("[^A-Za-z0-9._-]", "_");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        chart.writePng(png);
        try (OutputStream out = fs.create(new Path(reportDir, file), true)) {
            png.writeTo(out);
        }
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        chart.writePdf(pdf);
        Figure figure = new Figure(section, file, caption, "");
        try (OutputStream out = fs.create(new Path(reportDir, figure.pdf()), true)) {
            pdf.writeTo(out);
        }
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        chart.writeSvg(svg);
        figures.add(new Figure(section, file, caption, svg.toString(StandardCharsets.UTF_8)));
    }

    private void writeText(String file, String text) throws IOException {
        try (OutputStream out = fs.create(new Path(reportDir, file), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
