package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.AdaptiveFits;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The atlas in the report, from a real grid sweep (wn at α = 0.5 and α = 2, local Spark) whose
 * {@code scaling} gets two hand-made {@code method = adaptive} rows and whose {@code thresholds} get
 * hand-made model thresholds {@code m_star_model = exp(a + p ln n + 0.4)} with intervals: index.html must
 * open with the atlas figure and table, show each variant's numbers, and flag the budget and the misfit
 * exactly on the variant that has them; the rest of the page must be the page of the same sweep without
 * adaptive rows. The same sweep as aggregated (only {@code ols} rows) and as an older output (no
 * {@code method} and no adaptive columns) must give the same page, with no atlas.
 */
class AtlasReportTest {
    private static final String SWEEP = """
            name: with-fits
            model: wn
            data: {kind: sphere, target: gaussian}
            grid:
              alpha: [0.5, 2.0]
              m: [2, 4, 8, 16, 32]
              n: [6, 12, 24]
              d: [4]
              eta: [0.5]
            seeds: 2
            train: {steps: 1500, tolerance: 1.0e-4}
            thresholds: {delta: 0.25, bootstrap: 0}
            """;
    /** The two variants' fits: α, a, p, p_lo, p_hi, s, λ, trials, budget ratio, lo, hi. */
    private static final double[] SMALL = {0.5, 0.5, 1.5, 1.3, 1.7, 0.2, 0.01, 96, 1.05, 0.9, 1.2};
    private static final double[] LARGE = {2.0, 1.0, 2.25, 1.8, 2.9, 0.3, 0.02, 120, 1.6, 1.3, 2.0};
    private static final double OFFSET = 0.4;

    @TempDir
    static Path tmp;
    private static SparkSession spark;
    private static String plain;
    private static String older;
    private static String adaptive;
    private static Path adaptiveDir;
    private static List<Figure> adaptiveFigures;
    private static Atlas atlas;

    @BeforeAll
    static void sweepAndReports() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        Path base = tmp.resolve("base");
        SparkTestSupport.run(spark, SparkTestSupport.plan(SWEEP), base, false, 512);
        new Aggregation(spark, base.toString()).run(new ThresholdSettings(0.25, 0));
        Dataset<Row> scaling = spark.read().parquet(base.resolve(Aggregation.SCALING).toString()).cache();
        Dataset<Row> thresholds = spark.read().parquet(base.resolve(Aggregation.THRESHOLDS).toString()).cache();

        Path plainDir = copy(base, "plain", scaling, thresholds);
        plain = report(plainDir);

        Dataset<Row> oldScaling = scaling.drop("method");
        for (var f : AdaptiveFits.SCALING_EXTRA) {
            oldScaling = oldScaling.drop(f.name());
        }
        older = report(copy(base, "older", oldScaling, thresholds.drop("m_star_model", "m_star_model_lo", "m_star_model_hi")));

        Dataset<Row> fits = scaling.filter(col("max_steps").equalTo(1500))
                .withColumn("method", lit("adaptive"))
                .withColumn("intercept", by(1)).withColumn("exponent", by(2))
                .withColumn("exponent_lo", by(3)).withColumn("exponent_hi", by(4))
                .withColumn("exponent_se", lit(0.1)).withColumn("r2", lit(null).cast(DataTypes.DoubleType))
                .withColumn("slope_s", by(5)).withColumn("lapse", by(6))
                .withColumn("trials", by(7).cast(DataTypes.IntegerType))
                .withColumn("target_reached", col("alpha").lt(1))
                .withColumn("misfit", when(col("alpha").lt(1), lit("")).otherwise(lit("power_law,shape")))
                .withColumn("budget_steps", lit(6000))
                .withColumn("budget_ratio", by(8)).withColumn("budget_ratio_lo", by(9)).withColumn("budget_ratio_hi", by(10))
                .withColumn("budget_flag", col("alpha").gt(1))
                .withColumn("n_min", lit(6)).withColumn("n_max", lit(24))
                // The ladder's verdicts: α = 0.5 budget-converged from 750 steps, α = 2 not.
                .withColumn("budget_converged", col("alpha").lt(1))
                .withColumn("settled_budget", when(col("alpha").lt(1), lit(750)).cast(DataTypes.IntegerType))
                .withColumn("p_budget", when(col("alpha").lt(1), lit(1.4)).cast(DataTypes.DoubleType))
                .withColumn("p_budget_lo", when(col("alpha").lt(1), lit(1.1)).cast(DataTypes.DoubleType))
                .withColumn("p_budget_hi", when(col("alpha").lt(1), lit(1.75)).cast(DataTypes.DoubleType))
                .withColumn("ladder_reason", when(col("alpha").gt(1), lit("p moved -0.300 and -0.200 over the last two doublings")));
        Column mStar = exp(by(1).plus(by(2).multiply(log(col("n").cast(DataTypes.DoubleType)))).plus(OFFSET));
        // α = 0.5's m* at n = 6 lies below the widths searched, α = 2's at n = 24 above: no width measured there.
        Column below = col("alpha").lt(1).and(col("n").equalTo(6));
        Column above = col("alpha").gt(1).and(col("n").equalTo(24));
        Dataset<Row> modelThresholds = thresholds
                .withColumn("m_star_model", when(col("max_steps").equalTo(1500), mStar))
                .withColumn("m_star_model_status", when(col("m_star_model").isNull(), lit(null).cast(DataTypes.StringType))
                        .when(below, lit("below_range")).when(above, lit("above_range")).otherwise(lit("in_range")))
                .withColumn("m_star_model", when(below.or(above), lit(null).cast(DataTypes.DoubleType)).otherwise(col("m_star_model")))
                .withColumn("m_star_model_lo", col("m_star_model").multiply(0.8))
                .withColumn("m_star_model_hi", col("m_star_model").multiply(1.25));
        Dataset<Row> adaptiveScaling = scaling.unionByName(fits.select(Arrays.stream(scaling.columns()).map(c -> col(c)).toArray(Column[]::new)));
        atlas = Atlas.of(adaptiveScaling, modelThresholds);
        adaptiveDir = copy(base, "adaptive", adaptiveScaling, modelThresholds);
        adaptiveFigures = new ReportWriter(spark, adaptiveDir.toString()).write();
        adaptive = Files.readString(adaptiveDir.resolve("report").resolve("index.html"), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The value of column {@code i} of {@link #SMALL} for α ≤ 1, of {@link #LARGE} above. */
    private static Column by(int i) {
        return when(col("alpha").lt(1), lit(SMALL[i])).otherwise(lit(LARGE[i]));
    }

    /** A copy of the sweep's output with the given scaling and thresholds tables. */
    private static Path copy(Path base, String name, Dataset<Row> scaling, Dataset<Row> thresholds) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : files.toList()) {
                Path rel = base.relativize(p);
                if (rel.toString().isEmpty() || rel.startsWith(Aggregation.SCALING) || rel.startsWith(Aggregation.THRESHOLDS)
                        || rel.startsWith("report")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to.resolve(rel));
                } else {
                    Files.createDirectories(to.resolve(rel).getParent());
                    Files.copy(p, to.resolve(rel));
                }
            }
        }
        scaling.write().parquet(to.resolve(Aggregation.SCALING).toString());
        thresholds.write().parquet(to.resolve(Aggregation.THRESHOLDS).toString());
        return to;
    }

    private static String report(Path dir) throws IOException {
        new ReportWriter(spark, dir.toString()).write();
        return Files.readString(dir.resolve("report").resolve("index.html"), StandardCharsets.UTF_8);
    }

    /** The page without what differs between copies of one sweep: the output folder and the time it was written. */
    private static String normalized(String page) {
        return page.replaceAll("output <code>[^<]*</code>", "output <code>DIR</code>")
                .replaceAll("report written [0-9: -]+UTC", "report written TIME");
    }

    @Test
    void atlasFigureAndTableOpenThePage() {
        int section = adaptive.indexOf("<section class=\"atlas\" id=\"" + HtmlReport.ATLAS_ID + "\">");
        int svg = adaptive.indexOf("<svg", section);
        int table = adaptive.indexOf("<table id=\"" + HtmlReport.ATLAS_TABLE_ID + "\"");
        int firstTable = adaptive.indexOf("<table");
        int firstSvg = adaptive.indexOf("<svg");
        int thresholds = adaptive.indexOf("id=\"" + HtmlReport.THRESHOLD_TABLE_ID + "\"");
        assertTrue(section > 0);
        assertEquals(adaptive.indexOf("</p>\n", adaptive.indexOf("<p class=\"ran\">")) + 5, section, "the atlas follows the line that says what ran");
        assertEquals(svg, firstSvg, "the atlas figure is the page's first figure");
        assertEquals(table, firstTable, "the atlas table is the page's first table");
        assertTrue(svg < table && table < thresholds, "figure, then table, then the threshold table");
        assertTrue(adaptive.indexOf(Atlas.FILE, section) < table, "the figure links its PNG");
        List<Figure> found = adaptiveFigures.stream().filter(f -> f.file().equals(Atlas.FILE)).toList();
        assertEquals(1, found.size());
        assertEquals(Atlas.SECTION, found.get(0).section());
        assertTrue(Files.isRegularFile(adaptiveDir.resolve("report").resolve(Atlas.FILE)));
        assertTrue(Files.isRegularFile(adaptiveDir.resolve("report").resolve("atlas.pdf")));
        assertFalse(adaptive.contains(">" + Atlas.SECTION + "</a>"), "the atlas has no section of its own further down");
        assertTrue(found.get(0).svg().length() > 10_000, "a drawn figure");
        // The legend names each variant with its exponent, interval and the theory's exponent (XChart's SVG draws text as paths).
        assertEquals(List.of("wn α=0.5: p = 1.50 [1.30, 1.70] at 1,500 steps; budget-converged 1.40 [1.10, 1.75], theory 4",
                "wn α=2: p = 2.25 [1.80, 2.90] at 1,500 steps; not budget-converged, theory 2"),
                atlas.variants().stream().map(Atlas::legend).toList());
    }

    @Test
    void widthsOutsideTheSearchedRangeAreMarkedNotDrawnAsMeasured() {
        Atlas.Variant small = atlas.variants().stream().filter(v -> v.label().equals("wn α=0.5")).findFirst().orElseThrow();
        Atlas.Variant large = atlas.variants().stream().filter(v -> v.label().equals("wn α=2")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {6}, small.below());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {}, small.above());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {24}, large.above());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {12, 24}, small.n(), "n = 6 is not drawn as a width");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {6, 12}, large.n(), "n = 24 is not drawn as a width");
        List<String> names = atlas.chart().seriesNames();
        assertTrue(names.contains("wn α=0.5: m* below the widths searched at n = 6 (not measured)"), names.toString());
        assertTrue(names.contains("wn α=2: m* above the widths searched at n = 24 (censored)"), names.toString());
        assertEquals(2, names.stream().filter(x -> x.contains("widths searched")).count(), names.toString());
    }

    @Test
    void atlasTableShowsEachVariantsNumbersAndFlagsOnlyWhereSet() {
        List<String> rows = atlasRows();
        assertEquals(2, rows.size(), String.join("\n", rows));
        String small = rows.stream().filter(r -> r.contains(">wn α=0.5<")).findFirst().orElseThrow();
        String large = rows.stream().filter(r -> r.contains(">wn α=2<")).findFirst().orElseThrow();
        assertEquals(List.of("wn α=0.5", "1.50", "[1.30, 1.70]", "1.40 [1.10, 1.75] from 750 steps", "p = 4.00, Thm 4.1 (α ≤ 1): m = Ω(n⁴ log(n/δ)/λ0⁴)", "1.05", "[0.900, 1.20]",
                "96", "yes", "fits", "0.0100", "0.200"), cells(small));
        assertEquals(List.of("wn α=2", "2.25", "[1.80, 2.90]", "⚠ not budget-converged", "p = 2.00, Thm 4.2 (α > 1, best α): m = Ω(n² log(n/δ)/μ0²)",
                "1.60 ⚠ threshold measures the step budget", "[1.30, 2.00]", "120", "no",
                "⚠ power law does not fit; curve shape does not fit", "0.0200", "0.300"), cells(large));
        assertFalse(small.contains("class=\"flag\"") || small.contains("flag\""), "no flag on the variant that fits within budget");
        assertEquals(3, count(large, "flag\""), "the ladder, the budget and the misfit cells are flagged");
        assertTrue(large.contains("title=\"p moved -0.300 and -0.200 over the last two doublings\""), "the ladder's reason as the cell's title");
        assertEquals(1, count(adaptive, "threshold measures the step budget"));
        assertEquals(1, count(adaptive, "power law does not fit"));
        String md = readSummary(adaptiveDir);
        assertTrue(md.contains("## Atlas"), "summary.md has the atlas");
        assertTrue(md.contains("| wn α=2 | 2.250 | [1.800, 2.900] | **not budget-converged** |"), md);
        assertTrue(md.contains("| wn α=0.5 | 1.500 | [1.300, 1.700] | **1.400** [1.100, 1.750] from 750 steps |"), md);
        assertEquals(1, count(md, "threshold measures the step budget"));
    }

    @Test
    void atlasDrawsTheModelThresholdsTheFitThroughThemAndTheTheorySlopeAtTheMiddle() {
        List<Atlas.Variant> vs = atlas.variants();
        assertEquals(List.of("wn α=0.5", "wn α=2"), vs.stream().map(Atlas.Variant::label).toList());
        for (Atlas.Variant v : vs) {
            double[] f = v.label().endsWith("0.5") ? SMALL : LARGE;
            // n = 6 (α = 0.5) and n = 24 (α = 2) lie outside the widths searched: not drawn as widths.
            assertArrayEquals(v.label().endsWith("0.5") ? new double[] {12, 24} : new double[] {6, 12}, v.n(), 0);
            for (int i = 0; i < v.n().length; i++) {
                double expected = Math.exp(f[1] + f[2] * Math.log(v.n()[i]) + OFFSET);
                assertEquals(expected, v.mStar()[i], 1e-9 * expected, "m_star_model, distinct over the widths of (group, n)");
                assertEquals(0.8 * expected, v.lo()[i], 1e-9 * expected);
                assertEquals(1.25 * expected, v.hi()[i], 1e-9 * expected);
                assertEquals(expected, v.line(v.n()[i]), 1e-9 * expected, "the fitted line passes through the model thresholds");
            }
            double q = v.label().endsWith("0.5") ? 4 : 2;
            double[][] t = Atlas.theoryLine(v, 1e-6, 1e9);
            assertNotNull(t);
            assertArrayEquals(new double[] {6, 24}, t[0], 1e-9, "over [n_min, n_max] when nothing is cut");
            assertEquals(q, Math.log(t[1][1] / t[1][0]) / Math.log(t[0][1] / t[0][0]), 1e-12, "slope of the theory");
            double mid = 12;
            assertEquals(v.line(mid), t[1][0] * Math.pow(mid / t[0][0], q), 1e-9 * v.line(mid), "through the fit at √(n_min n_max)");
            // Cut a decade beyond the data's range: never above 10 × the largest value.
            double[][] cut = Atlas.theoryLine(v, v.line(mid), v.line(mid));
            double reach = Math.min(10, Math.pow(24.0 / mid, q)); // a decade, or n_max first
            assertEquals(reach * v.line(mid), cut[1][1], 1e-9 * v.line(mid));
            assertEquals(v.line(mid) / reach, cut[1][0], 1e-9 * v.line(mid));
        }
    }

    @Test
    void theParametersFigureCountsWhatGdTrainsAtEachThresholdBesideTheJammingLaw() {
        assertTrue(adaptiveFigures.stream().anyMatch(f -> f.file().equals(ParametersFigure.FILE) && f.section().equals(Atlas.SECTION)),
                "the parameter-count figure sits in the atlas section");
        assertTrue(adaptive.contains("Parameters at the threshold"), "its caption is on the page");
        for (Atlas.Variant v : atlas.variants()) {
            double[] f = v.label().endsWith("0.5") ? SMALL : LARGE;
            double[] counts = ParametersFigure.count(v, v.mStar());
            for (int i = 0; i < counts.length; i++) {
                // wn on d = 4 inputs trains V (m × d) and g (m): m (d + 1) parameters.
                assertEquals(5 * v.mStar()[i], counts[i], 1e-9 * counts[i]);
            }
            // wn's count is linear in m: the exponent of N*(n) is p, and N*/n is read at the largest n drawn.
            int last = v.n().length - 1;
            // α = 0.5's ladder settled (p_budget 1.4 [1.1, 1.75]): drawn with it; α = 2's did not: its p at the budget, marked.
            String expected = v.label().endsWith("0.5")
                    ? String.format(java.util.Locale.ROOT, "%s: N* ∝ n^1.40 [1.10, 1.75] budget-converged, N*/n = %.2f at n = %d", v.label(),
                            counts[last] / v.n()[last], (int) v.n()[last])
                    : String.format(java.util.Locale.ROOT, "%s: N* ∝ n^%.2f [%.2f, %.2f] at 1,500 steps, not budget-converged, N*/n = %.2f at n = %d",
                            v.label(), f[2], f[3], f[4], counts[last] / v.n()[last], (int) v.n()[last]);
            assertEquals(expected, ParametersFigure.legend(v));
        }
    }

    @Test
    void theParametersFigureDrawsEachVariantAtItsLadderTopRungWithTheBudgetConvergedExponent() {
        for (Atlas.Variant v : atlas.variants()) {
            StructType schema = new StructType();
            List<String> fitColumns = Arrays.asList(v.fit().schema().fieldNames());
            for (String c : org.overparam.sweep.threshold.FitGroup.COLUMNS) {
                schema = schema.add(c, fitColumns.contains(c) ? v.fit().schema().apply(c).dataType() : DataTypes.StringType);
            }
            schema = schema.add("budget", DataTypes.IntegerType).add("n", DataTypes.IntegerType).add("m_star", DataTypes.DoubleType)
                    .add("p", DataTypes.DoubleType);
            List<Row> rows = new java.util.ArrayList<>();
            for (int budget : new int[] {750, 1500, 6000}) {
                for (int n : new int[] {6, 12, 24}) {
                    rows.add(ladderRow(schema, v.fit(), budget, n, 3.0 * Math.sqrt(n) * 6000 / budget, 0.5, false));
                }
            }
            // Another group's rung above: ignored.
            rows.add(ladderRow(schema, v.fit(), 48000, 24, 1.0, 0.1, true));
            ParametersFigure.TopRung top = ParametersFigure.topRung(v, rows);
            assertNotNull(top);
            assertEquals(6000, top.budget(), "the largest budget of the variant's own group");
            assertArrayEquals(new double[] {6, 12, 24}, top.n(), 0);
            assertArrayEquals(new double[] {3 * Math.sqrt(6), 3 * Math.sqrt(12), 3 * Math.sqrt(24)}, top.mStar(), 1e-12);
            double perPoint = 5 * 3 * Math.sqrt(24) / 24; // wn on d = 4: m (d + 1) parameters
            String expected = v.label().endsWith("0.5")
                    ? String.format(java.util.Locale.ROOT, "wn α=0.5: N* ∝ n^1.40 [1.10, 1.75] budget-converged, N*/n = %.2f at n = 24 (m* at 6,000 steps)", perPoint)
                    : String.format(java.util.Locale.ROOT, "wn α=2: N* ∝ n^0.50 at 6,000 steps, not budget-converged, N*/n = %.2f at n = 24", perPoint);
            assertEquals(expected, ParametersFigure.legend(v, top));
            assertEquals(null, ParametersFigure.topRung(v, rows.stream().filter(r -> r.<Integer>getAs("budget") <= 1500).toList()),
                    "no rung above the configured budget: drawn at it, with intervals");
            assertNotNull(ParametersFigure.of(atlas, rows));
        }
    }

    private static Row ladderRow(StructType schema, Row fit, int budget, int n, double mStar, double p, boolean otherGroup) {
        List<String> fitColumns = Arrays.asList(fit.schema().fieldNames());
        List<Object> values = new java.util.ArrayList<>();
        for (String c : org.overparam.sweep.threshold.FitGroup.COLUMNS) {
            Object value = fitColumns.contains(c) ? fit.get(fit.fieldIndex(c)) : null;
            values.add(otherGroup && c.equals("alpha") ? Double.valueOf(7.0) : value);
        }
        values.addAll(List.of(budget, n, mStar, p));
        return new GenericRowWithSchema(values.toArray(), schema);
    }

    @Test
    void variantsGetReadableNamesAndTwinsAreToldApart() {
        StructType schema = new StructType().add("model", DataTypes.StringType).add("variant", DataTypes.StringType)
                .add("alpha", DataTypes.DoubleType).add("d", DataTypes.IntegerType).add("eta", DataTypes.DoubleType)
                .add("data", DataTypes.StringType).add("max_steps", DataTypes.IntegerType).add("tolerance", DataTypes.DoubleType);
        List<Row> fits = List.of(
                fit(schema, "wn", "", 0.5, 0.2),
                fit(schema, "bn", "optimizer=gd,epsilon=1e-5", null, 2.0),
                fit(schema, "smooth", "d_y=1,activation=gelu,omega=he", null, 0.5),
                fit(schema, "deep-relu", "L=3,d_y=1", null, 60.0),
                fit(schema, "grelu", "L=1,d_y=2", null, 60.0),
                fit(schema, "smooth", "d_y=1,activation=tanh,omega_ratio=10,optimizer=sgd,batch=128", null, 0.5),
                fit(schema, "relu", "", null, 0.2),
                fit(schema, "relu", "", null, 0.5));
        assertEquals(List.of("wn α=0.5", "bn (gd)", "smooth gelu", "deep-relu L=3", "grelu L=1 d_y=2", "smooth tanh ω2/ω1=10 (sgd, batch 128)",
                "relu [η=0.2]", "relu [η=0.5]"), Atlas.labels(fits));
    }

    private static Row fit(StructType schema, String model, String variant, Double alpha, double eta) {
        return new GenericRowWithSchema(new Object[] {model, variant, alpha, 16, eta, "sphere", 8000, 1e-3}, schema);
    }

    @Test
    void withoutAdaptiveRowsThePageHasNoAtlasAndIsTheSameForOldAndNewOutputs() {
        for (String page : List.of(plain, older)) {
            assertFalse(page.contains("class=\"atlas\""));
            assertFalse(page.contains(HtmlReport.ATLAS_TABLE_ID));
            assertFalse(page.contains(Atlas.FILE));
            assertTrue(page.indexOf("<table") == page.indexOf("<table id=\"" + HtmlReport.THRESHOLD_TABLE_ID + "\""),
                    "the threshold table leads, as before");
        }
        assertEquals(normalized(plain), normalized(older), "an output written before the method column gives the same page");
        assertFalse(Files.exists(tmp.resolve("plain").resolve("report").resolve(Atlas.FILE)));
        assertFalse(readSummary(tmp.resolve("plain")).contains("## Atlas"));
    }

    @Test
    void afterTheAtlasThePageIsThePageWithoutAdaptiveRows() {
        String withoutAtlas = adaptive.replaceFirst("(?s)<section class=\"atlas\".*?</section>\n", "")
                .replaceFirst("section\\.atlas\\{[^\n]*\n", "");
        assertFalse(withoutAtlas.contains("atlas"), "one atlas section and its style only");
        assertEquals(normalized(plain), normalized(withoutAtlas), "the existing sections unchanged, least-squares fits only");
    }

    private static List<String> atlasRows() {
        int start = adaptive.indexOf("<table id=\"" + HtmlReport.ATLAS_TABLE_ID + "\"");
        String table = adaptive.substring(start, adaptive.indexOf("</table>", start));
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)<tr>(.*?)</tr>").matcher(table);
        while (m.find()) {
            if (m.group(1).contains("<td")) {
                rows.add(m.group(1));
            }
        }
        return rows;
    }

    /** The text of each cell, tags removed. */
    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)<td[^>]*>(.*?)</td>").matcher(row);
        while (m.find()) {
            out.add(m.group(1).replaceAll("<[^>]+>", "").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").trim());
        }
        return out;
    }

    private static int count(String s, String part) {
        int k = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            k++;
        }
        return k;
    }

    private static String readSummary(Path dir) {
        try {
            return Files.readString(dir.resolve("report").resolve("summary.md"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
