package org.overparam.sweep.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * Number formats and row helpers of the report's figures, tables and text: a leaf that imports nothing of
 * the report.
 */
final class Format {
    private Format() {
    }

    /**
     * A number to 4 significant digits without trailing zeros; "–" for NaN or an infinity (a width at which every trial
     * diverged has no success fraction: docs/tables.md, {@code thresholds}).
     */
    static String num(Object x) {
        double v = ((Number) x).doubleValue();
        if (!Double.isFinite(v)) {
            return "–";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
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
    static double[][] nonNull(List<Row> rows, String name, String... xName) {
        String x = xName.length > 0 ? xName[0] : "step";
        List<Row> kept = rows.stream().filter(r -> !r.isNullAt(r.fieldIndex(name))).toList();
        return new double[][] {column(kept, x), column(kept, name)};
    }

    /** The two-sided 95 % Student-t quantile for {@code dof} degrees of freedom (1.96 beyond 30). */
    static double studentT95(long dof) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        return dof >= 1 && dof <= 30 ? t[(int) dof - 1] : 1.96;
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

    static String groupKey(Row r) {
        return r.getAs("model") + "|" + (r.isNullAt(r.fieldIndex("alpha")) ? "-" : num(r.getAs("alpha"))) + "|"
                + r.getAs("n") + "|" + r.getAs("d") + "|" + num(r.getAs("eta"));
    }

    static String groupTitle(Row r) {
        String alpha = r.isNullAt(r.fieldIndex("alpha")) ? "" : ", α=" + num(r.getAs("alpha"));
        return r.getAs("model") + alpha + ", n=" + r.getAs("n") + ", d=" + r.getAs("d") + ", η=" + num(r.getAs("eta"));
    }

    static String slug(Row r) {
        String alpha = r.isNullAt(r.fieldIndex("alpha")) ? "" : "_alpha" + num(r.getAs("alpha"));
        return r.getAs("model") + alpha + "_n" + r.getAs("n") + "_d" + r.getAs("d") + "_eta" + num(r.getAs("eta"));
    }
}
