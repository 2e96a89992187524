package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.analysis.ScalingFit;
import org.overparam.sweep.threshold.FitGroup;

/**
 * The over-parametrization atlas (issue 16): every variant's joint fit of an adaptive search
 * ({@code scaling} rows with {@code method = adaptive}) on one page — the figure of the model thresholds
 * m*(n) of every variant on one log-log plot with their fits and the theories' slopes, and the table of
 * exponents, budget checks and misfits ({@link HtmlReport#atlasSection}). A variant is one fit group
 * ({@link ScalingFit#FIT_GROUP}). Empty for sweeps without adaptive rows (or written before the
 * {@code method} column existed): the report is then as it was.
 */
final class Atlas {
    /** The atlas figure's file in {@code DIR/report/}. */
    static final String FILE = "atlas.png";
    static final String SECTION = "Atlas";
    static final String CAPTION = "The over-parametrization atlas: the model-based threshold m*(n) of every variant (the width at which"
            + " 1 − δ of the seeds converge, from the joint fit P(m, n) = (1 − λ) F((ln m − a − p ln n)/s)) with its 95 % interval,"
            + " the fitted power law m ∝ n^p through them, and the exponent of n in the theorem's width condition (dashed, same"
            + " colour, through the fit at the geometric middle of the n range; cut a decade beyond the data; logarithms and the"
            + " data-dependent λ0, μ0, γ aside). The legend gives p with its 95 % interval at the configured budget, the budget-converged p"
            + " with its interval where the budget ladder settled (else \"not budget-converged\"), and the theory's exponent. A triangle"
            + " below (above) the data marks an n where the model's m* lies below (above) the widths searched: no width was"
            + " measured there (above: censored at the widest).";
    /** Theory lines are cut where they leave the data's range by more than this factor. */
    private static final double THEORY_MARGIN = 10;

    /**
     * One variant: its readable name, the scaling row, its model thresholds (n ascending), and the n where the model's
     * m* lies below or above the widths searched ({@code m_star_model_status}): no width was measured there.
     */
    record Variant(String label, Row fit, double[] n, double[] mStar, double[] lo, double[] hi, double[] below, double[] above) {
        /** The fitted power law {@code m ∝ n^p} at level 1 − δ (through the model thresholds), at n; NaN without a fit. */
        double line(double at) {
            if (isNull("exponent") || isNull("intercept")) {
                return Double.NaN;
            }
            return Math.exp(d("intercept") + d("exponent") * Math.log(at) + offset());
        }

        /**
         * ln m*(n) − (a + p ln n): the same at every n ({@code s F⁻¹((1 − δ)/(1 − λ))}), so read from the
         * thresholds themselves (mean over n); 0 where there are none (the line is then the fit's median).
         */
        double offset() {
            double sum = 0;
            int k = 0;
            for (int i = 0; i < n.length; i++) {
                if (mStar[i] > 0) {
                    sum += Math.log(mStar[i]) - d("intercept") - d("exponent") * Math.log(n[i]);
                    k++;
                }
            }
            return k == 0 ? 0 : sum / k;
        }

        double nMin() {
            return ((Number) fit.getAs("n_min")).doubleValue();
        }

        double nMax() {
            return ((Number) fit.getAs("n_max")).doubleValue();
        }

        /** The theory's exponent, or NaN. */
        double theory() {
            return isNull("theory_exponent") ? Double.NaN : d("theory_exponent");
        }

        boolean isNull(String column) {
            return !Arrays.asList(fit.schema().fieldNames()).contains(column) || fit.isNullAt(fit.fieldIndex(column));
        }

        double d(String column) {
            return ((Number) fit.getAs(column)).doubleValue();
        }
    }

    private final List<Variant> variants;

    private Atlas(List<Variant> variants) {
        this.variants = variants;
    }

    List<Variant> variants() {
        return variants;
    }

    boolean isEmpty() {
        return variants.isEmpty();
    }

    /** Whether {@code scaling} (as read from {@code DIR/scaling}) has joint fits of an adaptive search. */
    static boolean hasAdaptive(Dataset<Row> scaling) {
        return Arrays.asList(scaling.columns()).contains("method") && !scaling.filter(col("method").equalTo("adaptive")).isEmpty();
    }

    /** {@code scaling} without the adaptive rows (the least-squares fits the rest of the report shows). */
    static Dataset<Row> leastSquares(Dataset<Row> scaling) {
        return Arrays.asList(scaling.columns()).contains("method") ? scaling.filter(col("method").isNull().or(col("method").notEqual("adaptive")))
                : scaling;
    }

    /** The atlas of {@code DIR/scaling} and {@code DIR/thresholds} as read (with their variant column); empty without adaptive rows. */
    static Atlas of(Dataset<Row> scaling, Dataset<Row> thresholds) {
        if (!hasAdaptive(scaling)) {
            return new Atlas(List.of());
        }
        if (!Arrays.asList(scaling.columns()).contains(ModelVariant.COLUMN)) {
            scaling = scaling.withColumn(ModelVariant.COLUMN, org.apache.spark.sql.functions.lit(""));
        }
        List<Row> fits = scaling.filter(col("method").equalTo("adaptive"))
                .orderBy(col("model"), col(ModelVariant.COLUMN), col("alpha"), col("d"), col("eta"), col("data"), col("max_steps"))
                .collectAsList();
        Map<String, TreeMap<Integer, double[]>> points = new LinkedHashMap<>();
        List<String> tc = Arrays.asList(thresholds.columns());
        if (tc.contains("m_star_model") && tc.containsAll(FitGroup.COLUMNS)) {
            List<String> cols = new ArrayList<>(FitGroup.COLUMNS);
            cols.addAll(List.of("n", "m_star_model", "m_star_model_lo", "m_star_model_hi"));
            for (Row r : thresholds.filter(col("m_star_model").isNotNull())
                    .select(cols.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new)).distinct().collectAsList()) {
                int k = FitGroup.COLUMNS.size();
                points.computeIfAbsent(key(r), x -> new TreeMap<>()).put(r.getInt(k),
                        new double[] {r.getDouble(k + 1), value(r, k + 2), value(r, k + 3)});
            }
        }
        // The n where the model's m* lies outside the widths searched: marked, never drawn as a width.
        Map<String, TreeMap<Integer, String>> outside = new LinkedHashMap<>();
        if (tc.contains("m_star_model_status") && tc.containsAll(FitGroup.COLUMNS)) {
            List<String> cols = new ArrayList<>(FitGroup.COLUMNS);
            cols.addAll(List.of("n", "m_star_model_status"));
            for (Row r : thresholds.filter(col("m_star_model_status").isin("below_range", "above_range"))
                    .select(cols.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new)).distinct().collectAsList()) {
                int k = FitGroup.COLUMNS.size();
                outside.computeIfAbsent(key(r), x -> new TreeMap<>()).put(r.getInt(k), r.getString(k + 1));
            }
        }
        List<String> labels = labels(fits);
        List<Variant> out = new ArrayList<>();
        for (int i = 0; i < fits.size(); i++) {
            TreeMap<Integer, double[]> p = points.getOrDefault(key(fits.get(i)), new TreeMap<>());
            double[] n = p.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[][] v = p.values().toArray(double[][]::new);
            TreeMap<Integer, String> o = outside.getOrDefault(key(fits.get(i)), new TreeMap<>());
            out.add(new Variant(labels.get(i), fits.get(i), n, column(v, 0), column(v, 1), column(v, 2), where(o, "below_range"),
                    where(o, "above_range")));
        }
        return new Atlas(out);
    }

    private static double[] where(TreeMap<Integer, String> status, String value) {
        return status.entrySet().stream().filter(e -> e.getValue().equals(value)).mapToDouble(e -> e.getKey()).toArray();
    }

    private static double value(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }

    private static double[] column(double[][] rows, int j) {
        return Arrays.stream(rows).mapToDouble(r -> r[j]).toArray();
    }

    /** The fit group of a row, nulls included, as one string. */
    private static String key(Row r) {
        StringBuilder s = new StringBuilder();
        for (String c : FitGroup.COLUMNS) {
            Object v = r.isNullAt(r.fieldIndex(c)) ? null : r.get(r.fieldIndex(c));
            s.append(v instanceof Number x ? Double.toString(x.doubleValue()) : String.valueOf(v)).append('|');
        }
        return s.toString();
    }

    /**
     * Readable names: the model with what tells its variants apart ({@code wn α=0.5}, {@code bn (gd)},
     * {@code smooth gelu}, {@code deep-relu L=3}); where two fits would share a name, the fields they differ
     * in (d, η, data, steps, tolerance, the full variant) are added.
     */
    static List<String> labels(List<Row> fits) {
        List<String> shortNames = fits.stream().map(Atlas::shortLabel).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fits.size(); i++) {
            List<Row> same = new ArrayList<>();
            for (int j = 0; j < fits.size(); j++) {
                if (shortNames.get(j).equals(shortNames.get(i))) {
                    same.add(fits.get(j));
                }
            }
            if (same.size() == 1) {
                out.add(shortNames.get(i));
                continue;
            }
            List<String> extra = new ArrayList<>();
            Row r = fits.get(i);
            for (String[] f : new String[][] {{"d", "d"}, {"eta", "η"}, {"data", "data"}, {"max_steps", "steps"}, {"tolerance", "tol"}, {"loss", "loss"},
                {ModelVariant.COLUMN, ""}}) {
                if (same.stream().map(x -> text(x, f[0])).distinct().count() > 1) {
                    extra.add((f[1].isEmpty() ? "" : f[1] + "=") + text(r, f[0]));
                }
            }
            out.add(shortNames.get(i) + (extra.isEmpty() ? "" : " [" + String.join(", ", extra) + "]"));
        }
        return out;
    }

    private static String text(Row r, String column) {
        if (!Arrays.asList(r.schema().fieldNames()).contains(column) || r.isNullAt(r.fieldIndex(column))) {
            return "–";
        }
        Object v = r.get(r.fieldIndex(column));
        return v instanceof Double x ? Format.num(x) : v.toString();
    }

    /** The model with α and the variant's telling parts: activation, L, d_y ≠ 1, ω, optimizer, batch (ε and He's init left out). */
    static String shortLabel(Row r) {
        StringBuilder s = new StringBuilder((String) r.getAs("model"));
        if (!r.isNullAt(r.fieldIndex("alpha"))) {
            s.append(" α=").append(Format.num(r.getAs("alpha")));
        }
        String variant = Arrays.asList(r.schema().fieldNames()).contains(ModelVariant.COLUMN) && !r.isNullAt(r.fieldIndex(ModelVariant.COLUMN))
                ? r.getAs(ModelVariant.COLUMN) : "";
        Map<String, String> parts = new LinkedHashMap<>();
        for (String p : variant.split(",")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                parts.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        List<String> words = new ArrayList<>();
        if (parts.containsKey("activation")) {
            words.add(parts.get("activation"));
        }
        if (parts.containsKey("L")) {
            words.add("L=" + parts.get("L"));
        }
        if (parts.containsKey("d_y") && !"1".equals(parts.get("d_y"))) {
            words.add("d_y=" + parts.get("d_y"));
        }
        if (parts.containsKey("omega_ratio")) {
            words.add("ω2/ω1=" + parts.get("omega_ratio"));
        }
        if (parts.containsKey("omega1")) {
            words.add("ω1=" + parts.get("omega1") + ", ω2=" + parts.get("omega2"));
        }
        for (String w : words) {
            s.append(' ').append(w);
        }
        List<String> training = new ArrayList<>();
        if (parts.containsKey("optimizer")) {
            training.add(parts.get("optimizer"));
        }
        if (parts.containsKey("batch")) {
            training.add("batch " + parts.get("batch"));
        }
        if (parts.containsKey("convert_at")) {
            training.add("convert at " + parts.get("convert_at"));
        }
        if (!training.isEmpty()) {
            s.append(" (").append(String.join(", ", training)).append(')');
        }
        return s.toString();
    }

    /**
     * The legend entry of a variant: its name, p with its interval, and where the fit has the budget ladder's verdict,
     * the budget p was fitted at and the budget-converged p with its interval (or that it is not budget-converged);
     * then the theory's exponent.
     */
    static String legend(Variant v) {
        StringBuilder s = new StringBuilder(v.label()).append(": p = ");
        s.append(v.isNull("exponent") ? "–" : String.format(Locale.ROOT, "%.2f", v.d("exponent")));
        if (!v.isNull("exponent_lo") || !v.isNull("exponent_hi")) {
            s.append(" [").append(v.isNull("exponent_lo") ? "–" : String.format(Locale.ROOT, "%.2f", v.d("exponent_lo"))).append(", ")
                    .append(v.isNull("exponent_hi") ? "–" : String.format(Locale.ROOT, "%.2f", v.d("exponent_hi"))).append(']');
        }
        if (!v.isNull("budget_converged") && !v.isNull("max_steps")) {
            s.append(String.format(Locale.ROOT, " at %,d steps; ", ((Number) v.fit().getAs("max_steps")).intValue()));
            if (v.fit().<Boolean>getAs("budget_converged") && !v.isNull("p_budget")) {
                s.append(String.format(Locale.ROOT, "budget-converged %.2f", v.d("p_budget")));
                if (!v.isNull("p_budget_lo") && !v.isNull("p_budget_hi")) {
                    s.append(String.format(Locale.ROOT, " [%.2f, %.2f]", v.d("p_budget_lo"), v.d("p_budget_hi")));
                }
            } else {
                s.append("not budget-converged");
            }
        }
        if (!Double.isNaN(v.theory())) {
            s.append(", theory ").append(Format.num(v.theory()));
        }
        return s.toString();
    }

    /**
     * The theory's line of a variant: slope {@code theory_exponent} through the fitted line at the geometric
     * middle of [n_min, n_max], over that range but cut where it leaves {@code [yLo/10, yHi·10]} (a steep
     * theory over 1.5 decades of n would otherwise stretch the axis over many decades); null without a theory or fit.
     */
    static double[][] theoryLine(Variant v, double yLo, double yHi) {
        double q = v.theory();
        double mid = Math.sqrt(v.nMin() * v.nMax());
        double at = v.line(mid);
        if (Double.isNaN(q) || !(at > 0)) {
            return null;
        }
        double from = v.nMin();
        double to = v.nMax();
        if (q > 0) {
            from = Math.max(from, mid * Math.pow(yLo / THEORY_MARGIN / at, 1 / q));
            to = Math.min(to, mid * Math.pow(yHi * THEORY_MARGIN / at, 1 / q));
        } else if (q < 0) {
            from = Math.max(from, mid * Math.pow(yHi * THEORY_MARGIN / at, 1 / q));
            to = Math.min(to, mid * Math.pow(yLo / THEORY_MARGIN / at, 1 / q));
        }
        if (!(to > from)) {
            return null;
        }
        return new double[][] {{from, to}, {at * Math.pow(from / mid, q), at * Math.pow(to / mid, q)}};
    }

    private static double[] filled(int k, double y) {
        double[] out = new double[k];
        Arrays.fill(out, y);
        return out;
    }

    private static String names(double[] n) {
        return String.join(", ", Arrays.stream(n).mapToObj(x -> Integer.toString((int) x)).toList());
    }

    /**
     * The atlas figure: per variant its thresholds with intervals, its fit, the theory's slope (dashed), and the n
     * where m* lies outside the widths searched (triangles beyond the data's edge).
     */
    Chart chart() {
        Chart chart = new Chart("The atlas: threshold width m*(n) of every variant", "training examples n",
                "m*(n) at 1 − δ (joint fit, 95% interval)", true, true, 1000, 760);
        chart.log2X();
        chart.legend(Styler.LegendPosition.OutsideS);
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = 0;
        for (Variant v : variants) {
            for (double y : new double[] {v.line(v.nMin()), v.line(v.nMax())}) {
                if (y > 0 && Double.isFinite(y)) {
                    yLo = Math.min(yLo, y);
                    yHi = Math.max(yHi, y);
                }
            }
            for (double[] ys : new double[][] {v.mStar(), v.lo(), v.hi()}) {
                for (double y : ys) {
                    if (y > 0 && Double.isFinite(y)) {
                        yLo = Math.min(yLo, y);
                        yHi = Math.max(yHi, y);
                    }
                }
            }
        }
        for (Variant v : variants) {
            Color c = chart.nextColor();
            boolean shown = chart.points(legend(v), v.n(), v.mStar(), c);
            chart.intervals(v.n(), v.lo(), v.hi(), c);
            if (!Double.isNaN(v.line(v.nMin()))) {
                double[] x = {v.nMin(), v.nMax()};
                if (chart.line(shown ? "fit, " + v.label() : legend(v), x, new double[] {v.line(x[0]), v.line(x[1])}, c, false) && shown) {
                    chart.hideLast();
                }
            }
            // Below or above the widths searched: a triangle beyond the edge of the data (half the lowest, twice the
            // highest value drawn), pointing the way out: never on the fit, where it would read as a width.
            if (v.below().length > 0 && Double.isFinite(yLo)) {
                chart.points(v.label() + ": m* below the widths searched at n = " + names(v.below()) + " (not measured)", v.below(),
                        filled(v.below().length, yLo / 2), c, SeriesMarkers.TRIANGLE_DOWN);
            }
            if (v.above().length > 0 && yHi > 0) {
                chart.points(v.label() + ": m* above the widths searched at n = " + names(v.above()) + " (censored)", v.above(),
                        filled(v.above().length, 2 * yHi), c, SeriesMarkers.TRIANGLE_UP);
            }
            double[][] t = theoryLine(v, yLo, yHi);
            if (t != null) {
                if (chart.reference("theory, " + v.label(), t[0], t[1], c, new float[] {7f, 5f})) {
                    chart.hideLast();
                }
            }
        }
        return chart;
    }
}
