package org.overparam.sweep.report;

import java.awt.Color;
import java.util.Locale;
import org.knowm.xchart.style.Styler;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.analysis.TrainedParameters;

/**
 * The atlas's thresholds as parameter counts: N*(n), the parameters GD trains at the model threshold m*(n)
 * ({@link TrainedParameters}), of every variant against n, beside the jamming anchor's linear law N* ∝ n (Geiger,
 * Spigler et al. 2019: N* ≈ n/3 in their depth-3 runs with random labels and the squared hinge; drawn as N = n and
 * N = n/3). A variant whose N* grows more slowly than n is below the regime of that law (a floor set by the
 * architecture); one that grows faster needs more parameters per point as n grows.
 */
final class ParametersFigure {
    static final String FILE = "atlas_parameters.png";
    static final String CAPTION = "Parameters at the threshold: N*(n), the count GD trains at the model threshold m*(n) (relu m·d,"
            + " wn m·(d+1), bn m·(d+2), grelu and deep-relu L·m², smooth m·(d+d_y)), with m*'s 95 % interval, against n; grey"
            + " dashed: the jamming anchor's linear law N* ∝ n (N = n and N = n/3; Geiger, Spigler et al. 2019, random labels,"
            + " squared hinge). The legend gives the exponent of N*(n): p times 1, or 2 for the models that train m × m layers.";

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

    /** The legend entry: the variant, the exponent of N*(n) with its interval, and N* per point at the largest n. */
    static String legend(Atlas.Variant v) {
        double k = TrainedParameters.degree(model(v));
        StringBuilder s = new StringBuilder(v.label()).append(": N* ∝ n^");
        s.append(v.isNull("exponent") ? "–" : String.format(Locale.ROOT, "%.2f", k * v.d("exponent")));
        if (!v.isNull("exponent_lo") && !v.isNull("exponent_hi")) {
            s.append(String.format(Locale.ROOT, " [%.2f, %.2f]", k * v.d("exponent_lo"), k * v.d("exponent_hi")));
        }
        double[] n = count(v, v.mStar());
        if (n.length > 0 && Double.isFinite(n[n.length - 1])) {
            s.append(String.format(Locale.ROOT, ", N*/n = %.2f at n = %d", n[n.length - 1] / v.n()[v.n().length - 1], (int) v.n()[v.n().length - 1]));
        }
        return s.toString();
    }

    /** The chart, or null when no variant has a threshold whose parameters can be counted. */
    static Chart of(Atlas atlas) {
        Chart chart = new Chart("Parameters at the threshold N*(n) against the jamming anchor's N* ∝ n", "training examples n",
                "trained parameters N* at m*(n)", true, true, 1000, 700);
        chart.log2X();
        chart.legend(Styler.LegendPosition.OutsideS);
        double nLo = Double.POSITIVE_INFINITY;
        double nHi = 0;
        boolean any = false;
        for (Atlas.Variant v : atlas.variants()) {
            double[] mid = count(v, v.mStar());
            if (v.n().length == 0 || java.util.Arrays.stream(mid).noneMatch(Double::isFinite)) {
                continue;
            }
            Color c = chart.nextColor();
            any |= chart.points(legend(v), v.n(), mid, c);
            chart.intervals(v.n(), count(v, v.lo()), count(v, v.hi()), c);
            nLo = Math.min(nLo, v.n()[0]);
            nHi = Math.max(nHi, v.n()[v.n().length - 1]);
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
