package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.style.Styler;

/**
 * The plots of the derived tables ({@code DIR/thresholds}, {@code DIR/scaling}, {@code DIR/rates}):
 * success probability against width per n, {@code m_star} against n with the fitted power law and the
 * theory's slopes, and the measured/predicted rate ratios against n.
 */
final class ThresholdFigures {
    private static final float[][] DASHES = {{8f, 6f}, {3f, 4f}, {12f, 4f, 3f, 4f}};
    private static final Color[] GRAYS = {Color.DARK_GRAY, new Color(0x80, 0x80, 0x80), Color.BLACK};

    /** A chart to save, with its place in the report. */
    record Plot(Chart chart, String section, String file, String caption) {
    }

    private ThresholdFigures() {
    }

    /** Plots of a fit group: the threshold groups with the same model, α, d, η (one per n). */
    private static String fitKey(Row r) {
        return r.getAs("model") + "|" + alpha(r) + "|" + r.getAs("d") + "|" + r.getAs("eta");
    }

    private static String alpha(Row r) {
        return r.isNullAt(r.fieldIndex("alpha")) ? "-" : Format.num(r.getAs("alpha"));
    }

    private static String fitTitle(Row r) {
        String a = r.isNullAt(r.fieldIndex("alpha")) ? "" : ", α=" + alpha(r);
        return r.getAs("model") + a + ", d=" + r.getAs("d") + ", η=" + Format.num(r.getAs("eta"));
    }

    private static String fitSlug(Row r) {
        String a = r.isNullAt(r.fieldIndex("alpha")) ? "" : "_alpha" + alpha(r);
        return r.getAs("model") + a + "_d" + r.getAs("d") + "_eta" + Format.num(r.getAs("eta"));
    }

    /** Success fraction against width, one chart per (model, α, d, η), one line per n. */
    static List<Plot> successVsWidth(Dataset<Row> thresholds, int maxCharts) {
        List<Row> rows = thresholds.orderBy("model", "alpha", "d", "eta", "n", "m").collectAsList();
        Map<String, Map<Integer, List<Row>>> byFit = new LinkedHashMap<>();
        for (Row r : rows) {
            byFit.computeIfAbsent(fitKey(r), k -> new TreeMap<>()).computeIfAbsent(r.getAs("n"), k -> new ArrayList<>()).add(r);
        }
        List<Plot> out = new ArrayList<>();
        for (Map<Integer, List<Row>> byN : byFit.values()) {
            if (out.size() >= maxCharts) {
                break;
            }
            Row first = byN.values().iterator().next().get(0);
            double level = 1 - first.<Double>getAs("delta");
            Chart chart = new Chart("Success probability against width, " + fitTitle(first), "width m",
                    "fraction of seeds converged (95% Wilson interval)", true, false);
            chart.yRange(-0.02, 1.02);
            chart.log2X();
            chart.legend(Styler.LegendPosition.InsideSE); // wide nets succeed: the lower right stays empty
            double mMin = Double.MAX_VALUE;
            double mMax = 0;
            List<double[]> stars = new ArrayList<>();
            for (Map.Entry<Integer, List<Row>> e : byN.entrySet()) {
                List<Row> ws = e.getValue();
                double[] m = Format.column(ws, "m");
                Color c = chart.nextColor();
                chart.line("n=" + e.getKey(), m, Format.column(ws, "success"), c, true);
                chart.intervals(m, Format.column(ws, "success_lo"), Format.column(ws, "success_hi"), c);
                mMin = Math.min(mMin, m[0]);
                mMax = Math.max(mMax, m[m.length - 1]);
                Row g = ws.get(0);
                if (!g.isNullAt(g.fieldIndex("m_star"))) {
                    stars.add(new double[] {g.getAs("m_star"), level});
                }
            }
            chart.reference("1 − δ = " + Format.num(level), new double[] {mMin, mMax}, new double[] {level, level});
            if (!stars.isEmpty()) {
                chart.points("m_star (interpolated in log m)", stars.stream().mapToDouble(p -> p[0]).toArray(),
                        stars.stream().mapToDouble(p -> p[1]).toArray(), Color.BLACK);
            }
            out.add(new Plot(chart, "Thresholds", "success_vs_m_" + fitSlug(first) + ".png",
                    "Fraction of seeds that converged within the step budget against the width, one line per n, with 95% Wilson"
                            + " intervals; m_star (diamonds) is where the fraction, interpolated in log m, reaches 1 − δ (dashed)."));
        }
        return out;
    }

    /** m_star against n on log-log axes, per (model, d, η): one series per α, its fit, the theory's slopes. */
    static List<Plot> mStarVsN(Dataset<Row> thresholds, Dataset<Row> scaling) {
        List<Row> groups = thresholds.select("model", "alpha", "n", "d", "eta", "m_star", "m_star_lo", "m_star_hi", "m_star_status")
                .distinct().orderBy("model", "d", "eta", "alpha", "n").collectAsList();
        Map<String, Row> fits = new LinkedHashMap<>();
        for (Row f : scaling.collectAsList()) {
            fits.put(fitKey(f), f);
        }
        Map<String, Map<String, List<Row>>> byPanel = new LinkedHashMap<>();
        for (Row r : groups) {
            String panel = r.getAs("model") + "_d" + r.getAs("d") + "_eta" + Format.num(r.getAs("eta"));
            byPanel.computeIfAbsent(panel, k -> new LinkedHashMap<>()).computeIfAbsent(fitKey(r), k -> new ArrayList<>()).add(r);
        }
        List<Plot> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Row>>> panel : byPanel.entrySet()) {
            Row any = panel.getValue().values().iterator().next().get(0);
            String title = any.getAs("model") + ", d=" + any.getAs("d") + ", η=" + Format.num(any.getAs("eta"));
            Chart chart = new Chart("Threshold width m_star against n, " + title, "training examples n",
                    "m_star (bootstrap 95% interval)", true, true);
            chart.log2X();
            chart.legend(Styler.LegendPosition.InsideNW); // thresholds grow with n: the upper left stays empty
            Map<Double, double[]> theoryAnchors = new TreeMap<>();
            Map<Double, String> theoryNames = new TreeMap<>();
            for (Map.Entry<String, List<Row>> e : panel.getValue().entrySet()) {
                List<Row> rs = e.getValue().stream().filter(r -> "bracketed".equals(r.getAs("m_star_status"))).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                Row r0 = rs.get(0);
                String label = r0.isNullAt(r0.fieldIndex("alpha")) ? r0.getAs("model") : "α=" + alpha(r0);
                Color c = chart.nextColor();
                double[] n = Format.column(rs, "n");
                chart.points("m_star, " + label, n, Format.column(rs, "m_star"), c);
                chart.intervals(n, Format.column(rs, "m_star_lo"), Format.column(rs, "m_star_hi"), c);
                Row fit = fits.get(e.getKey());
                if (fit != null && !fit.isNullAt(fit.fieldIndex("exponent"))) {
                    double a = fit.getAs("intercept");
                    double p = fit.getAs("exponent");
                    double lo = ((Number) fit.getAs("n_min")).doubleValue();
                    double hi = ((Number) fit.getAs("n_max")).doubleValue();
                    String ci = fit.isNullAt(fit.fieldIndex("exponent_lo")) ? ""
                            : String.format(Locale.ROOT, " [%.2f, %.2f]", fit.<Double>getAs("exponent_lo"), fit.<Double>getAs("exponent_hi"));
                    chart.line(String.format(Locale.ROOT, "fit %s: m ∝ n^%.2f%s", label, p, ci), new double[] {lo, hi},
                            new double[] {Math.exp(a + p * Math.log(lo)), Math.exp(a + p * Math.log(hi))}, c, false);
                    if (!fit.isNullAt(fit.fieldIndex("theory_exponent"))) {
                        double q = fit.getAs("theory_exponent");
                        // Each theory slope once per chart, drawn through the first fitted group's value at its smallest n.
                        if (!theoryAnchors.containsKey(q)) {
                            theoryAnchors.put(q, new double[] {lo, hi, Math.exp(a + p * Math.log(lo))});
                            theoryNames.put(q, fit.getAs("theory"));
                        }
                    }
                }
            }
            int k = 0;
            for (Map.Entry<Double, double[]> t : theoryAnchors.entrySet()) {
                double q = t.getKey();
                double[] at = t.getValue();
                String name = String.format(Locale.ROOT, "theory slope %s: %s", Format.num(q), theoryNames.get(q));
                chart.reference(name, new double[] {at[0], at[1]}, new double[] {at[2], at[2] * Math.pow(at[1] / at[0], q)},
                        GRAYS[k % GRAYS.length], DASHES[k % DASHES.length]);
                k++;
            }
            out.add(new Plot(chart, "Thresholds", "m_star_vs_n_" + panel.getKey() + ".png",
                    "The threshold width against the number of examples on log-log axes: bracketed m_star with bootstrap 95%"
                            + " intervals, the least-squares power law per α (exponent with its 95% t-interval), and the exponent"
                            + " of n in the theorems' width conditions (dashed, through the first fit's value at its smallest n;"
                            + " logarithms and the data-dependent λ0, μ0 aside)."));
        }
        return out;
    }

    /** Median measured/predicted rate against n, one series per (α, prediction) where the theorem's regime applies. */
    static List<Plot> rateRatios(Dataset<Row> rates) {
        List<Row> rows = rates.filter(col("applies")).orderBy("model", "d", "eta", "prediction", "alpha", "n").collectAsList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<Row>> bySeries = new LinkedHashMap<>();
        for (Row r : rows) {
            String a = r.isNullAt(r.fieldIndex("alpha")) ? "" : " α=" + alpha(r);
            String name = r.getAs("model") + a + ", d=" + r.getAs("d") + ", η=" + Format.num(r.getAs("eta"))
                    + " vs " + predictionName(r.getAs("prediction"));
            bySeries.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        }
        Chart chart = new Chart("Measured rate over predicted rate (converged trials)", "training examples n",
                "rate / prediction (median, quartiles)", true, true);
        chart.log2X();
        chart.legend(Styler.LegendPosition.OutsideS);
        double nMin = Double.MAX_VALUE;
        double nMax = 0;
        for (Map.Entry<String, List<Row>> e : bySeries.entrySet()) {
            Color c = chart.nextColor();
            double[] n = Format.column(e.getValue(), "n");
            chart.line(e.getKey(), n, Format.column(e.getValue(), "ratio_median"), c, true);
            chart.intervals(n, Format.column(e.getValue(), "ratio_q25"), Format.column(e.getValue(), "ratio_q75"), c);
            nMin = Math.min(nMin, n[0]);
            nMax = Math.max(nMax, n[n.length - 1]);
        }
        chart.reference("measured = predicted", new double[] {nMin, nMax}, new double[] {1, 1});
        return List.of(new Plot(chart, "Theory: rates", "rate_ratio_vs_n.png",
                "Median over converged trials (all widths and seeds) of the fitted rate divided by the rate of the theorem whose"
                        + " α-regime the group is in (hidden constants 1), with quartiles; above 1 the prediction is beaten."));
    }

    static String predictionName(String prediction) {
        return switch (prediction) {
            case "thm4.1" -> "Thm 4.1 ηλ0/(2α²)";
            case "thm4.2" -> "Thm 4.2 ημ0/2";
            case "du" -> "Du et al. ηλmin(H∞)/2";
            default -> prediction;
        };
    }
}
