package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code index.html}: a self-contained page (no script, no network; every plot inlined as SVG, with
 * links to its PNG and PDF) that leads with the answer. Its first screen says what ran (trials,
 * statuses, time, where), for an adaptive search opens with the atlas ({@link #atlasSection}), then shows the threshold table beside the m_star(n) figure (fits and the
 * theories' slopes) and the scaling fits; below, a table of contents and one collapsible section per
 * figure section (thresholds, then each group's dynamics, then the theory comparisons).
 */
final class HtmlReport {
    /** Id of the threshold table: the browser test checks it is on the first screen. */
    static final String THRESHOLD_TABLE_ID = "threshold-table";
    private static final Pattern SVG_ID = Pattern.compile("\\bid=\"([^\"]+)\"");
    private static final Pattern SVG_SIZE = Pattern.compile("<svg[^>]*?\\bwidth=\"([0-9.]+)[a-z]*\"[^>]*?\\bheight=\"([0-9.]+)[a-z]*\"");

    private HtmlReport() {
    }

    /** What ran: the first line of the page. */
    record Overview(String sweep, String dir, long trials, long planned, Map<String, Long> statuses, int groups,
                    double trialSeconds, List<String> devices, String written) {
        static Overview of(Dataset<Row> trials, Path dir, String sweep, int groups, long planned) {
            Map<String, Long> statuses = new LinkedHashMap<>();
            long total = 0;
            for (Row r : trials.groupBy("status").count().orderBy(col("count").desc(), col("status")).collectAsList()) {
                statuses.put(r.getString(0), r.getLong(1));
                total += r.getLong(1);
            }
            Row wall = trials.agg(coalesce(sum("wall_ms"), lit(0L))).first();
            List<String> devices = trials.select("device").distinct().orderBy("device").collectAsList().stream()
                    .map(r -> r.isNullAt(0) ? "cpu" : r.getString(0)).toList();
            return new Overview(sweep, dir.toString(), total, planned, statuses, groups,
                    ((Number) wall.get(0)).doubleValue() / 1000.0, devices,
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).format(Instant.now().atOffset(ZoneOffset.UTC)));
        }
    }

    static String page(Overview o, List<Row> thresholdWidths, List<Row> scaling, List<Figure> figures) {
        return page(o, thresholdWidths, scaling, figures, List.of());
    }

    /** The page; with {@code atlas} variants (an adaptive search) it opens with {@link #atlasSection}. */
    static String page(Overview o, List<Row> thresholdWidths, List<Row> scaling, List<Figure> figures, List<Atlas.Variant> atlas) {
        Figure atlasFigure = figures.stream().filter(f -> f.file().equals(Atlas.FILE)).findFirst().orElse(null);
        Figure parameters = atlas.isEmpty() ? null : figures.stream().filter(f -> f.file().equals(ParametersFigure.FILE)).findFirst().orElse(null);
        Map<String, List<Figure>> sections = new LinkedHashMap<>();
        for (Figure f : figures) {
            if (f != atlasFigure && f != parameters) {
                sections.computeIfAbsent(f.section(), k -> new ArrayList<>()).add(f);
            }
        }
        Figure mStar = figures.stream().filter(f -> f.file().startsWith("m_star_vs_n")).findFirst().orElse(null);
        StringBuilder h = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>overparam report: ").append(esc(o.sweep())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:0 auto;padding:0 1.2em;max-width:1400px;color:#222}\n")
                .append("h1{font-size:1.4em;margin:.6em 0 .2em}h2{font-size:1.15em;display:inline}p.ran{margin:.2em 0 .6em;color:#333}\n")
                .append(".lead{display:flex;flex-wrap:wrap;gap:1.2em;align-items:flex-start}.lead>div{flex:1 1 430px;min-width:0}\n")
                .append("table{border-collapse:collapse;font-size:.88em;margin:.3em 0}th,td{border:1px solid #ccc;padding:.15em .45em;text-align:right}")
                .append("th{background:#f2f2f2}td{white-space:nowrap}td.w{white-space:normal;font-size:.85em}td.l,th.l{text-align:left}caption{text-align:left;font-weight:bold;padding:.2em 0}\n")
                .append("figure{margin:1em 0}figure svg{width:100%;height:auto;display:block;border:1px solid #ddd}")
                .append("figcaption{color:#444;font-size:.9em}figcaption a{margin-left:.4em}\n")
                .append("nav ul{columns:2;font-size:.9em}details{margin:.6em 0;border-top:1px solid #ddd;padding-top:.3em}summary{cursor:pointer}\n")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:0 1.2em}\n");
        if (!atlas.isEmpty()) {
            h.append(ATLAS_STYLE);
        }
        h.append("</style></head><body>\n");
        h.append("<h1>overparam report: ").append(esc(o.sweep())).append("</h1>\n<p class=\"ran\">").append(ranLine(o)).append("</p>\n");
        if (!atlas.isEmpty()) {
            h.append(atlasSection(atlas, atlasFigure, parameters));
        }
        h.append("<div class=\"lead\">\n<div>\n").append(thresholdTable(thresholdWidths)).append(scalingTable(scaling)).append("</div>\n");
        if (mStar != null) {
            h.append("<div>").append(figure(mStar, "lead")).append("</div>\n");
        }
        h.append("</div>\n<nav><h2>Contents</h2><ul>\n");
        int i = 0;
        for (String section : sections.keySet()) {
            h.append("<li><a href=\"#s").append(i++).append("\">").append(esc(section)).append("</a></li>\n");
        }
        h.append("</ul><p>Numbers: <a href=\"summary.md\">summary.md</a>; columns of the tables: docs/tables.md. Every plot is")
                .append(" drawn inline as SVG; its PNG and PDF sit beside this page.</p></nav>\n");
        i = 0;
        boolean firstGroup = true;
        for (Map.Entry<String, List<Figure>> e : sections.entrySet()) {
            // Thresholds and theory open; per-group dynamics closed but the first (many groups make a long page).
            boolean group = e.getKey().startsWith("Training dynamics: ");
            boolean open = !group || firstGroup;
            firstGroup &= !group;
            h.append("<details id=\"s").append(i).append("\"").append(open ? " open" : "").append("><summary><h2>")
                    .append(esc(e.getKey())).append("</h2></summary>\n<div class=\"grid\">\n");
            int k = 0;
            for (Figure f : e.getValue()) {
                if (f == mStar) {
                    continue; // on the first screen already
                }
                h.append(figure(f, "s" + i + "f" + k++));
            }
            h.append("</div></details>\n");
            i++;
        }
        return h.append("</body></html>\n").toString();
    }

    static String ranLine(Overview o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<b>%,d trials</b>", o.trials()));
        if (o.planned() > o.trials()) {   // a sweep still running; a search plans beyond its first stage
            s.append(String.format(Locale.ROOT, " of %,d planned", o.planned()));
        }
        s.append(" in ").append(o.groups()).append(o.groups() == 1 ? " group" : " groups").append(" (");
        List<String> parts = new ArrayList<>();
        o.statuses().forEach((k, v) -> parts.add(esc(k) + " " + v));
        s.append(String.join(", ", parts)).append(") · trials' own time ").append(duration(o.trialSeconds()))
                .append(" · on ").append(esc(String.join(", ", o.devices()))).append(" · output <code>").append(esc(o.dir()))
                .append("</code> · report written ").append(esc(o.written()));
        return s.toString();
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        return seconds < 7200 ? String.format(Locale.ROOT, "%.1f min", seconds / 60) : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** One row per group: m_star with its interval and bracket, and the seeds converged per width as "k/s". */
    static String thresholdTable(List<Row> widths) {
        if (widths.isEmpty()) {
            return "<p id=\"" + THRESHOLD_TABLE_ID + "\">No thresholds: <code>overparam aggregate</code> has not run on this sweep.</p>\n";
        }
        double delta = widths.get(0).getAs("delta");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : widths) {
            groups.computeIfAbsent(r.getAs("model") + "|" + r.getAs("alpha") + "|" + r.getAs("n") + "|" + r.getAs("d") + "|" + r.getAs("eta"),
                    k -> new ArrayList<>()).add(r);
        }
        StringBuilder t = new StringBuilder("<table id=\"").append(THRESHOLD_TABLE_ID).append("\"><caption>Threshold width m_star")
                .append(" (smallest width at which ≥ ").append(Format.num(1 - delta))
                .append(" of the seeds converge; 95 % bootstrap interval)</caption>\n")
                .append("<tr><th class=\"l\">model</th><th>α</th><th>n</th><th>d</th><th>η</th><th>m_star</th><th>95 % interval</th>")
                .append("<th>bracket</th><th class=\"l\">converged by width</th></tr>\n");
        for (List<Row> g : groups.values()) {
            Row r = g.get(0);
            StringBuilder seeds = new StringBuilder();
            for (Row w : g) {
                seeds.append(seeds.length() == 0 ? "" : " ").append(w.<Integer>getAs("m")).append(":")
                        .append(w.<Integer>getAs("converged")).append("/").append(w.<Integer>getAs("seeds"));
            }
            String status = r.getAs("m_star_status");
            t.append("<tr><td class=\"l\">").append(esc(r.getAs("model"))).append("</td><td>")
                    .append(r.isNullAt(r.fieldIndex("alpha")) ? "–" : Format.num(r.<Double>getAs("alpha"))).append("</td><td>")
                    .append(r.<Integer>getAs("n")).append("</td><td>").append(r.<Integer>getAs("d")).append("</td><td>")
                    .append(Format.num(r.<Double>getAs("eta"))).append("</td><td><b>").append(cell(r, "m_star")).append("</b>")
                    .append("bracketed".equals(status) ? "" : " <small>(" + esc(status) + ")</small>").append("</td><td>[")
                    .append(cell(r, "m_star_lo")).append(", ").append(cell(r, "m_star_hi")).append("]</td><td>(")
                    .append(r.isNullAt(r.fieldIndex("m_fail")) ? "–" : r.getAs("m_fail").toString()).append(", ")
                    .append(r.isNullAt(r.fieldIndex("m_succeed")) ? "–" : r.getAs("m_succeed").toString()).append("]</td><td class=\"l w\">")
                    .append(seeds).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    static String scalingTable(List<Row> scaling) {
        if (scaling.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("<table id=\"scaling-table\"><caption>Fit ln m_star = a + p ln n against the theories</caption>\n")
                .append("<tr><th class=\"l\">model</th><th>α</th><th>d</th><th>η</th><th>points</th><th>p</th><th>95 % interval</th>")
                .append("<th>r²</th><th class=\"l\">theory</th></tr>\n");
        for (Row r : scaling) {
            t.append("<tr><td class=\"l\">").append(esc(r.getString(0))).append("</td><td>")
                    .append(r.isNullAt(1) ? "–" : Format.num(r.getDouble(1))).append("</td><td>").append(r.<Integer>getAs("d"))
                    .append("</td><td>").append(Format.num(r.<Double>getAs("eta"))).append("</td><td>").append(r.<Integer>getAs("points"))
                    .append("</td><td><b>").append(cell(r, "exponent")).append("</b></td><td>[").append(cell(r, "exponent_lo")).append(", ")
                    .append(cell(r, "exponent_hi")).append("]</td><td>").append(cell(r, "r2")).append("</td><td class=\"l w\">")
                    .append(r.isNullAt(r.fieldIndex("theory")) ? "–" : "p = " + cell(r, "theory_exponent") + ", " + esc(r.getAs("theory")))
                    .append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** Id of the atlas section (figure and table): first on the page of an adaptive search. */
    static final String ATLAS_ID = "atlas";
    /** Id of the atlas table. */
    static final String ATLAS_TABLE_ID = "atlas-table";
    private static final String ATLAS_STYLE = "section.atlas{margin:.4em 0 1em;padding-bottom:.6em;border-bottom:1px solid #ddd}"
            + "section.atlas figure{max-width:1000px}section.atlas h2{display:block;margin:.2em 0}"
            + "td.flag{background:#fde2e2;color:#8a1f11;font-weight:bold;white-space:normal}td.ok{color:#1d6b2a}\n";

    /**
     * The atlas (issue 16): the figure of every variant's m*(n) and the table of its joint fit — variant, p
     * with its 95 % interval, the theory's exponent and theorem, the budget ratio with its interval (flagged:
     * "threshold measures the step budget" where {@code budget_flag}), the trials, whether the target
     * half-width was reached, the misfit (flagged: "power law does not fit", "curve shape does not fit"),
     * the lapse λ and the spread s; then the parameters at the threshold against the jamming anchor ({@link ParametersFigure}).
     */
    static String atlasSection(List<Atlas.Variant> atlas, Figure figure, Figure parameters) {
        StringBuilder h = new StringBuilder("<section class=\"atlas\" id=\"").append(ATLAS_ID).append("\">\n")
                .append("<h2>The atlas: how wide, for every variant</h2>\n");
        if (figure != null) {
            h.append(figure(figure, "atlas"));
        }
        h.append("<table id=\"").append(ATLAS_TABLE_ID).append("\"><caption>Joint fit P(m, n) = (1 − λ) F((ln m − a − p ln n)/s) of each")
                .append(" variant's trials (adaptive search): m* ∝ n^p</caption>\n")
                .append("<tr><th class=\"l\">variant</th><th>p</th><th>95 % interval</th>")
                .append("<th title=\"the budget ladder: p once it stopped moving with the step budget\">budget-converged p [95 %]</th>")
                .append("<th class=\"l\">theory</th>")
                .append("<th>budget ratio</th><th>95 % interval</th><th>trials</th><th>target reached</th><th class=\"l\">misfit</th>")
                .append("<th>lapse λ</th><th>s</th></tr>\n");
        for (Atlas.Variant v : atlas) {
            Row r = v.fit();
            boolean budgetFlag = has(r, "budget_flag") && r.<Boolean>getAs("budget_flag");
            String misfit = has(r, "misfit") ? r.getAs("misfit") : "";
            h.append("<tr><td class=\"l\">").append(esc(v.label())).append("</td><td><b>").append(cell(r, "exponent")).append("</b></td><td>[")
                    .append(cell(r, "exponent_lo")).append(", ").append(cell(r, "exponent_hi")).append("]</td>")
                    .append(ladderCell(r)).append("<td class=\"l w\">")
                    .append(has(r, "theory_exponent") ? "p = " + cell(r, "theory_exponent") + (has(r, "theory") ? ", " + esc(r.getAs("theory")) : "")
                            : "–")
                    .append("</td>");
            String ratio = cell(r, "budget_ratio");
            String ratioInterval = has(r, "budget_ratio") ? "[" + cell(r, "budget_ratio_lo") + ", " + cell(r, "budget_ratio_hi") + "]" : "–";
            if (budgetFlag) {
                h.append("<td class=\"flag\" title=\"budget_ratio outside [0.8, 1.25]\">").append(ratio)
                        .append(" ⚠ threshold measures the step budget</td>");
            } else {
                h.append("<td>").append(ratio).append("</td>");
            }
            h.append("<td>").append(ratioInterval).append("</td><td>").append(has(r, "trials") ? r.get(r.fieldIndex("trials")).toString() : "–")
                    .append("</td>");
            if (!has(r, "target_reached")) {
                h.append("<td>–</td>");
            } else {
                boolean reached = r.getAs("target_reached");
                h.append(reached ? "<td class=\"ok\">yes</td>" : "<td>no</td>");
            }
            if (misfit == null || misfit.isEmpty()) {
                h.append("<td class=\"l ok\">fits</td>");
            } else {
                h.append("<td class=\"l flag\">⚠ ").append(esc(misfitText(misfit))).append("</td>");
            }
            h.append("<td>").append(cell(r, "lapse")).append("</td><td>").append(cell(r, "slope_s")).append("</td></tr>\n");
        }
        return h.append("</table>\n<p>p is the exponent of n in the threshold width; the theory's exponent is that of the theorem's")
                .append(" width condition (a sufficient condition, constants and logarithms aside: p below it says the bound is loose here)."
                        + " The budget ratio is m* with ").append("more steps over m* with the configured ones; outside [0.8, 1.25] the")
                .append(" threshold moves with the budget. The budget-converged p is the ladder's: p refitted at every budget, once it")
                .append(" moved ≤ 0.05 per doubling over the last two and m*(n) ≤ 10 %, with an interval that includes the ladder's")
                .append(" uncertainty (the figure \"Budget ladder\" below). Columns: docs/tables.md (<code>scaling</code>, <code>method = adaptive</code>).</p>\n")
                .append(parameters == null ? "" : figure(parameters, "atlas-parameters"))
                .append("</section>\n").toString();
    }

    /**
     * The budget ladder's verdict on a fit (docs/tables.md, "The budget ladder"): the budget-converged p with its
     * interval and the budget it settled from; "not budget-converged" (flagged, the reason as its title); "–" where
     * the row has no ladder.
     */
    static String ladderCell(Row r) {
        if (!has(r, "budget_converged")) {
            return "<td>–</td>";
        }
        if (r.<Boolean>getAs("budget_converged")) {
            return "<td class=\"ok\"><b>" + cell(r, "p_budget") + "</b> [" + cell(r, "p_budget_lo") + ", " + cell(r, "p_budget_hi")
                    + "] from " + r.get(r.fieldIndex("settled_budget")) + " steps</td>";
        }
        return "<td class=\"flag\" title=\"" + esc(has(r, "ladder_reason") ? r.getAs("ladder_reason") : "") + "\">⚠ not budget-converged</td>";
    }

    /** {@code misfit} in words: {@code power_law} → "power law does not fit", {@code shape} → "curve shape does not fit". */
    static String misfitText(String misfit) {
        if (misfit.startsWith("no_fit")) {
            return "no fit" + misfit.substring("no_fit".length());
        }
        List<String> words = new ArrayList<>();
        for (String m : misfit.split(",")) {
            words.add(switch (m.trim()) {
                case "power_law" -> "power law does not fit";
                case "shape" -> "curve shape does not fit";
                default -> m.trim();
            });
        }
        return String.join("; ", words);
    }

    private static boolean has(Row r, String column) {
        return java.util.Arrays.asList(r.schema().fieldNames()).contains(column) && !r.isNullAt(r.fieldIndex(column));
    }

    /** A figure: the SVG inline (its ids prefixed, so that several SVGs in one page do not clash), caption, PNG and PDF links. */
    static String figure(Figure f, String prefix) {
        return "<figure>" + inlineSvg(f.svg(), prefix) + "<figcaption>" + esc(f.caption())
                + " <a href=\"" + esc(f.file()) + "\">PNG</a><a href=\"" + esc(f.pdf()) + "\">PDF</a></figcaption></figure>\n";
    }

    static String inlineSvg(String svg, String prefix) {
        int start = svg.indexOf("<svg");
        if (start < 0) {
            return "";
        }
        String s = svg.substring(start);
        Matcher ids = SVG_ID.matcher(s);
        List<String> names = new ArrayList<>();
        while (ids.find()) {
            names.add(ids.group(1));
        }
        for (String id : names) {
            s = s.replace("id=\"" + id + "\"", "id=\"" + prefix + "-" + id + "\"")
                    .replace("url(#" + id + ")", "url(#" + prefix + "-" + id + ")")
                    .replace("href=\"#" + id + "\"", "href=\"#" + prefix + "-" + id + "\"");
        }
        Matcher size = SVG_SIZE.matcher(s);
        if (!s.substring(0, s.indexOf('>') + 1).contains("viewBox") && size.lookingAt()) {
            s = s.replaceFirst("<svg", "<svg viewBox=\"0 0 " + size.group(1) + " " + size.group(2) + "\"");
        }
        return s;
    }

    /** A table cell: three significant digits (the intervals are wider than that), or – for null. */
    private static String cell(Row r, String column) {
        if (!java.util.Arrays.asList(r.schema().fieldNames()).contains(column)) {
            return "–";
        }
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? "–" : String.format(Locale.ROOT, "%.3g", ((Number) r.get(i)).doubleValue());
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
