package org.overparam.sweep.report;

import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.knowm.xchart.style.Styler;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.analysis.TrainedParameters;
import org.overparam.sweep.threshold.FitGroup;

/**
 * The atlas's thresholds as parameter counts: N*(n), the parameters GD trains at the model threshold m*(n)
 * ({@link TrainedParameters}), of every variant against n, beside the jamming anchor's linear law N* ∝ n (Geiger,
 * Spigler et al. 2019: N* ≈ n/3 in their depth-3 runs with random labels and the squared hinge; drawn as N = n and
 * N = n/3). A variant whose N* grows more slowly than n is below the regime of that law (a floor set by the
 * architecture); one that grows faster needs more parameters per point as n grows.
 * <p>Where the budget ladder ran larger budgets ({@code DIR/ladder}), each variant is drawn at its top rung — the
 * largest budget its trials ran — with the exponent the ladder settled at (or that rung's, marked not
 * budget-converged): the count at the configured budget would measure the budget.
 */
final class ParametersFigure {
    static final String FILE = "atlas_parameters.png";
    static final String CAPTION = "Parameters at the threshold: N*(n), the count GD trains at the model threshold m*(n) (relu m·d,"
            + " wn m·(d+1), bn m·(d+2), grelu and deep-relu L·m², smooth m·(d+d_y)), with m*'s 95 % interval, against n; grey"
            + " dashed: the jamming anchor's linear law N* ∝ n (N = n and N = n/3; Geiger, Spigler et al. 2019, random labels,"
            + " squared hinge). The legend gives the exponent of N*(n): p times 1, or 2 for the models that train m × m layers."
            + " Where the budget ladder ran larger budgets, each variant is drawn at its largest (the ladder's m*(n), no interval)"
            + " with its budget-converged exponent, or that budget's marked not budget-converged.";

    private ParametersFigure() {
    }

    /** N at each of a variant's thresholds (NaN where unknown). */
    static double[] count(Atlas.Variant v, double[] widths) {
        double[] out = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            out[i] = Double.isFinite(widths[i]) && widths[i] > 0 ? TrainedParameters.count(model(v), variant(v), d(v), widths[i]) : Double.NaN;
        }
        return out;
    }

    /**
     * The legend entry at the configured budget: the variant, the exponent of N*(n) with its interval (the budget-converged
     * one where the ladder settled; else marked not budget-converged where the fit has the ladder's verdict), and N* per
     * point at the largest n.
     */
    static String legend(Atlas.Variant v) {
        double k = TrainedParameters.degree(model(v));
        StringBuilder s = new StringBuilder(v.label()).append(": N* ∝ n^");
        if (settled(v)) {
            s.append(settledExponent(v, k));
        } else {
            s.append(v.isNull("exponent") ? "–" : String.format(Locale.ROOT, "%.2f", k * v.d("exponent")));
            if (!v.isNull("exponent_lo") && !v.isNull("exponent_hi")) {
                s.append(String.format(Locale.ROOT, " [%.2f, %.2f]", k * v.d("exponent_lo"), k * v.d("exponent_hi")));
            }
            if (!v.isNull("budget_converged") && !v.isNull("max_steps")) {
                s.append(String.format(Locale.ROOT, " at %,d steps, not budget-converged", ((Number) v.fit().getAs("max_steps")).intValue()));
            }
        }
        double[] n = count(v, v.mStar());
        if (n.length > 0 && Double.isFinite(n[n.length - 1])) {
            s.append(String.format(Locale.ROOT, ", N*/n = %.2f at n = %d", n[n.length - 1] / v.n()[v.n().length - 1], (int) v.n()[v.n().length - 1]));
        }
        return s.toString();
    }

    /** A variant's thresholds at the top rung of its budget ladder, above the configured budget: m*(n) and p there. */
    record TopRung(int budget, double[] n, double[] mStar, double p) {
    }

    /**
     * The top rung of {@code v}'s ladder ({@code DIR/ladder} rows: the fit group's columns, budget, n, m_star, p): the
     * largest budget with a threshold; null when that is no larger than the configured budget ({@code max_steps}).
     */
    static TopRung topRung(Atlas.Variant v, List<Row> ladder) {
        TreeMap<Integer, TreeMap<Integer, Double>> byBudget = new TreeMap<>();
        TreeMap<Integer, Double> pByBudget = new TreeMap<>();
        for (Row r : ladder) {
            if (!sameGroup(v.fit(), r) || r.isNullAt(r.fieldIndex("m_star"))) {
                continue;
            }
            int budget = r.<Integer>getAs("budget");
            byBudget.computeIfAbsent(budget, b -> new TreeMap<>()).put(r.<Integer>getAs("n"), r.<Double>getAs("m_star"));
            if (!r.isNullAt(r.fieldIndex("p"))) {
                pByBudget.put(budget, r.<Double>getAs("p"));
            }
        }
        if (byBudget.isEmpty() || byBudget.lastKey() <= ((Number) v.fit().getAs("max_steps")).intValue()) {
            return null;
        }
        int top = byBudget.lastKey();
        TreeMap<Integer, Double> at = byBudget.get(top);
        return new TopRung(top, at.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                at.values().stream().mapToDouble(Double::doubleValue).toArray(), pByBudget.getOrDefault(top, Double.NaN));
    }

    private static boolean sameGroup(Row fit, Row ladder) {
        List<String> fitColumns = java.util.Arrays.asList(fit.schema().fieldNames());
        List<String> ladderColumns = java.util.Arrays.asList(ladder.schema().fieldNames());
        for (String c : FitGroup.COLUMNS) {
            Object a = fitColumns.contains(c) ? fit.get(fit.fieldIndex(c)) : null;
            Object b = ladderColumns.contains(c) ? ladder.get(ladder.fieldIndex(c)) : null;
            if (c.equals("variant")) {
                a = a == null ? "" : a;
                b = b == null ? "" : b;
            }
            if (a instanceof Number x && b instanceof Number y ? x.doubleValue() != y.doubleValue() : !Objects.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The legend entry at the top rung: the exponent of N*(n) budget-converged with its interval, or the top rung's
     * marked not budget-converged, and N* per point at the largest n, at that budget.
     */
    static String legend(Atlas.Variant v, TopRung top) {
        double k = TrainedParameters.degree(model(v));
        StringBuilder s = new StringBuilder(v.label()).append(": N* ∝ n^");
        boolean settled = settled(v);
        if (settled) {
            s.append(settledExponent(v, k));
        } else {
            s.append(Double.isFinite(top.p()) ? String.format(Locale.ROOT, "%.2f", k * top.p()) : "–")
                    .append(String.format(Locale.ROOT, " at %,d steps, not budget-converged", top.budget()));
        }
        double[] counts = count(v, top.mStar());
        int last = counts.length - 1;
        if (last >= 0 && Double.isFinite(counts[last])) {
            s.append(String.format(Locale.ROOT, ", N*/n = %.2f at n = %d", counts[last] / top.n()[last], (int) top.n()[last]));
        }
        if (settled) {
            s.append(String.format(Locale.ROOT, " (m* at %,d steps)", top.budget()));
        }
        return s.toString();
    }

    /** The budget-converged exponent of N*(n) ({@code k} times {@code p_budget}) with its interval, so marked. */
    private static String settledExponent(Atlas.Variant v, double k) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.2f", k * v.d("p_budget")));
        if (!v.isNull("p_budget_lo") && !v.isNull("p_budget_hi")) {
            s.append(String.format(Locale.ROOT, " [%.2f, %.2f]", k * v.d("p_budget_lo"), k * v.d("p_budget_hi")));
        }
        return s.append(" budget-converged").toString();
    }

    /** Whether the budget ladder found the variant budget-converged (its {@code p_budget} is the exponent to draw). */
    private static boolean settled(Atlas.Variant v) {
        return !v.isNull("budget_converged") && v.fit().<Boolean>getAs("budget_converged") && !v.isNull("p_budget");
    }

    /** The chart at the configured budget (no ladder rows). */
    static Chart of(Atlas atlas) {
        return of(atlas, List.of());
    }

    /** The chart, or null when no variant has a threshold whose parameters can be counted. */
    static Chart of(Atlas atlas, List<Row> ladder) {
        Chart chart = new Chart("Parameters at the threshold N*(n) against the jamming anchor's N* ∝ n", "training examples n",
                "trained parameters N* at m*(n)", true, true, 1000, 700);
        chart.log2X();
        chart.legend(Styler.LegendPosition.OutsideS);
        double nLo = Double.POSITIVE_INFINITY;
        double nHi = 0;
        boolean any = false;
        for (Atlas.Variant v : atlas.variants()) {
            TopRung top = topRung(v, ladder);
            double[] n = top == null ? v.n() : top.n();
            double[] mid = count(v, top == null ? v.mStar() : top.mStar());
            if (n.length == 0 || java.util.Arrays.stream(mid).noneMatch(Double::isFinite)) {
                continue;
            }
            Color c = chart.nextColor();
            any |= chart.points(top == null ? legend(v) : legend(v, top), n, mid, c);
            if (top == null) {
                chart.intervals(n, count(v, v.lo()), count(v, v.hi()), c);
            }
            nLo = Math.min(nLo, n[0]);
            nHi = Math.max(nHi, n[n.length - 1]);
        }
        if (!any) {
            return null;
        }
        Color grey = new Color(120, 120, 120);
        chart.reference("jamming anchor N = n", new double[] {nLo, nHi}, new double[] {nLo, nHi}, grey, new float[] {7f, 5f});
        chart.reference("jamming anchor N = n/3", new double[] {nLo, nHi}, new double[] {nLo / 3, nHi / 3}, grey, new float[] {2f, 4f});
        return chart;
    }

    private static String model(Atlas.Variant v) {
        return v.fit().getAs("model");
    }

    private static String variant(Atlas.Variant v) {
        int i = java.util.Arrays.asList(v.fit().schema().fieldNames()).indexOf(ModelVariant.COLUMN);
        return i < 0 || v.fit().isNullAt(i) ? "" : v.fit().getString(i);
    }

    private static int d(Atlas.Variant v) {
        return ((Number) v.fit().getAs("d")).intValue();
    }
}
