package org.overparam.sweep.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * A real instrumented wn sweep on local Spark: the theory's structure must show in the rows
 * (data-only quantities constant, Observation 1 across α, finite width approaching infinite width,
 * rates at least the predictions where the step-size conditions hold), and the report must draw
 * every plot as a real PNG and link it.
 */
class InstrumentedSweepTest {
    private static final String SWEEP = """
            name: instrumented
            model: wn
            data: {kind: sphere, target: sign}
            grid:
              alpha: [0.25, 1.0, 4.0]
              m: [16, 256, 4096]
              n: [12]
              d: [20]
              eta: [0.05]
            seeds: 2
            train: {steps: 300, tolerance: 1.0e-8}
            instruments: {kernels: true, every: log}
            """;
    private static SparkSession spark;
    private static List<Row> trials;
    @TempDir
    static Path tmp;
    private static Path out;
    private static List<Figure> figures;

    @BeforeAll
    static void runSweepAndReport() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        SweepPlan plan = SparkTestSupport.plan(SWEEP);
        out = tmp.resolve("out");
        SparkTestSupport.run(spark, plan, out, false, 512);
        trials = SparkTestSupport.trials(spark, out).collectAsList();
        figures = new ReportWriter(spark, out.toString()).write();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static double value(Row r, String column) {
        return ((Number) r.getAs(column)).doubleValue();
    }

    @Test
    void infiniteWidthQuantitiesDependOnTheDataOnly() {
        assertEquals(18, trials.size());
        for (String column : List.of("lambda0_inf", "mu0_inf", "lambda_min_h_inf", "lambda_max_v_inf")) {
            Set<Double> values = trials.stream().map(r -> value(r, column)).collect(Collectors.toSet());
            assertEquals(1, values.size(), column + " must be one value across seeds, widths and α: " + values);
        }
        double lambda0 = value(trials.get(0), "lambda0_inf");
        double mu0 = value(trials.get(0), "mu0_inf");
        assertTrue(lambda0 > 0 && mu0 > 0 && mu0 < lambda0, "λ0 = " + lambda0 + ", μ0 = " + mu0);
    }

    @Test
    void kernelsAtInitDoNotDependOnAlphaAndApproachInfiniteWidth() {
        Map<String, Double> v0 = new HashMap<>();
        for (Row r : trials) {
            String key = r.getAs("m") + "/" + r.getAs("seed");
            double v = value(r, "lambda_min_v0");
            Double other = v0.putIfAbsent(key, v);
            if (other != null) {
                // Observation 1: same draws, different α → same V(0). Rounding differs only through α/α.
                assertEquals(other, v, 1e-12 * Math.abs(v), "λmin V(0) at " + key);
            }
        }
        double lambda0 = value(trials.get(0), "lambda0_inf");
        double gapNarrow = meanGap(16, lambda0);
        double gapWide = meanGap(4096, lambda0);
        // Concentration: the finite-width error shrinks like m^{-1/2}; 256x the width must shrink it clearly.
        assertTrue(gapWide < gapNarrow / 3, "|λmin V(0) − λ0|: m=16 " + gapNarrow + ", m=4096 " + gapWide);
    }

    private static double meanGap(int m, double lambda0) {
        return trials.stream().filter(r -> (int) r.getAs("m") == m)
                .mapToDouble(r -> Math.abs(value(r, "lambda_min_v0") - lambda0)).average().orElseThrow();
    }

    @Test
    void measuredRatesBeatThePredictionsWhereTheStepSizeConditionHolds() {
        int checked = 0;
        for (Row r : trials) {
            assertTrue(value(r, "norm_growth_err") < 1e-12, "GD norm-growth identity (2.3) at " + r);
            if ((int) r.getAs("m") < 256) {
                continue; // m = 16 is not over-parametrized for n = 12: Λ(s) drifts and the bound may fail
            }
            double alpha = value(r, "alpha");
            double eta = value(r, "eta");
            double rate = value(r, "rate");
            if (alpha <= 1 && eta <= value(r, "eta_max_v")) {
                assertTrue(rate >= value(r, "rate_pred_v"), "Thm 4.1 rate at " + r);
                checked++;
            }
            if (alpha >= 1 && eta <= 1 / value(r, "lambda_max_lambda0")) {
                assertTrue(rate >= value(r, "rate_pred_g"), "Thm 4.2 rate at " + r);
                checked++;
            }
        }
        assertTrue(checked >= 8, "most trials are inside a step-size condition, got " + checked);
    }

    @Test
    void curvesCarryTheKernelSpectrumAtInstrumentedSteps() {
        Map<String, Double> lambda0 = trials.stream().collect(Collectors.toMap(r -> r.getAs("trial_id"), r -> value(r, "lambda_min_lambda0")));
        List<Row> curves = SparkTestSupport.curves(spark, out).filter("step = 0").collectAsList();
        assertEquals(trials.size(), curves.size());
        for (Row c : curves) {
            assertEquals(lambda0.get(c.<String>getAs("trial_id")), value(c, "lambda_min_lambda"));
            assertEquals(0.0, value(c, "act_flip_frac"));
            assertEquals(0.0, value(c, "max_move_w"));
        }
        long logged = SparkTestSupport.curves(spark, out).filter("lambda_min_lambda is not null").count();
        assertTrue(logged > 5L * trials.size(), "λmin(Λ(s)) is logged at many steps per trial, got " + logged);
    }

    @Test
    void reportDrawsEveryPlotAsAPngAndLinksIt() throws Exception {
        Path report = out.resolve("report");
        Set<String> files = figures.stream().map(Figure::file).collect(Collectors.toSet());
        for (String alpha : List.of("0.25", "1", "4")) {
            for (String kind : List.of("loss", "flips", "move", "lambda")) {
                assertTrue(files.contains(kind + "_wn_alpha" + alpha + "_n12_d20_eta0.05.png"), kind + " α=" + alpha + " in " + files);
            }
        }
        for (String f : List.of("kernels_at_init_vs_m.png", "final_flips_vs_m.png", "final_move_vs_m.png", "rate_vs_prediction.png")) {
            assertTrue(files.contains(f), f + " in " + files);
        }
        String html = Files.readString(report.resolve("index.html"));
        byte[] pngMagic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (String f : files) {
            byte[] bytes = Files.readAllBytes(report.resolve(f));
            assertArrayEquals(pngMagic, Arrays.copyOf(bytes, 8), f + " is a PNG");
            assertTrue(bytes.length > 10_000, f + " has content: " + bytes.length + " bytes");
            assertTrue(html.contains("href=\"" + f + "\""), "index.html links " + f);
            String pdf = f.replace(".png", ".pdf");
            byte[] pdfBytes = Files.readAllBytes(report.resolve(pdf));
            assertEquals("%PDF-", new String(Arrays.copyOf(pdfBytes, 5), java.nio.charset.StandardCharsets.US_ASCII), pdf + " is a PDF");
            assertTrue(html.contains("href=\"" + pdf + "\""), "index.html links " + pdf);
        }
        // every figure inlined as SVG (crisp at any zoom), ids kept apart between figures
        assertEquals(figures.size(), html.split("<svg", -1).length - 1, "one inline SVG per figure");
        assertTrue(figures.stream().allMatch(f -> f.svg().contains("<svg")), "every figure has its SVG");
        String summary = Files.readString(report.resolve("summary.md"));
        assertTrue(summary.contains("| converged |") || summary.contains("| censored |"), summary);
        assertTrue(summary.contains("Thm 4.1") && summary.contains("λ0 = λmin(V∞)"), summary);
    }
}
