package org.overparam.sweep.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The report's "Paper figures" from a real sweep on local Spark: smooth's train and test error against ω2
 * (paper 004 Figure 1; smooth on ±1 teacher labels measures classification errors), bn's margins
 * against the width (paper 001 Figure 1) and grelu/deep-relu's MSE, gradient differences and pattern changes
 * against the step (paper 002 Figure 2a–c), each a real PNG.
 */
class PaperFiguresTest {
    private static final String SWEEP = """
            name: paper-figures
            model: [bn, smooth, grelu, deep-relu]
            data: {kind: teacher, target: sign, width: 4}
            grid:
              m: [8, 32]
              n: [10]
              d: [5]
              eta: [0.001]
              omega_ratio: [0.5, 2]
              optimizer: {kind: sgd, batch: 4}
              L: [2]
            seeds: 2
            train: {steps: 30, tolerance: 1.0e-6}
            """;
    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static List<Figure> figures;

    @BeforeAll
    static void runSweepAndReport() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        SweepPlan plan = SparkTestSupport.plan(SWEEP);
        SparkTestSupport.run(spark, plan, tmp.resolve("out"), false, 512);
        figures = new ReportWriter(spark, tmp.resolve("out").toString()).write();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void bothPaperFiguresAreDrawnAsPngs() throws Exception {
        for (String file : List.of("error_vs_omega2.png", "margins_vs_m.png", "deep_mse_vs_step.png", "deep_grad_change_vs_step.png",
                "deep_hamming_vs_step.png")) {
            List<Figure> found = figures.stream().filter(f -> f.file().equals(file)).toList();
            assertEquals(1, found.size(), file + " among " + figures.stream().map(Figure::file).toList());
            assertEquals("Paper figures", found.get(0).section());
            byte[] png = Files.readAllBytes(tmp.resolve("out").resolve("report").resolve(file));
            assertTrue(png.length > 1000, file);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), file);
        }
    }
}
