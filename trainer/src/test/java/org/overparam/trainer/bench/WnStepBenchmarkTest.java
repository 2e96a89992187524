package org.overparam.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.WeightNormNet;

/** The harness's statistics, and that the export holds what scripts/bench_cpu.py needs to redo the same math. */
class WnStepBenchmarkTest {

    @Test
    void quantilesInterpolateLikeNumpy() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1.0, RepeatTimer.quantile(v, 0), 0);
        assertEquals(2.5, RepeatTimer.quantile(v, 0.5), 0);
        assertEquals(1.75, RepeatTimer.quantile(v, 0.25), 0);
        assertEquals(4.0, RepeatTimer.quantile(v, 1), 0);
    }

    @Test
    void timerRunsAtLeastTheRepeatsAsked() {
        int[] calls = {0};
        RepeatTimer.Timing t = new RepeatTimer(12, 0, 0.05).measure(() -> calls[0]++);
        assertEquals(12, t.repeats());
        assertEquals(12, t.samplesMs().length);
        assertEquals(t.warmups() + 12, calls[0]);
        assertTrue(t.minMs() <= t.medianMs() && t.medianMs() <= t.maxMs());
    }

    @Test
    void instrumentsLineIsSkippedWithoutAnImplementationAndTimedWithOne(@TempDir Path dir) throws Exception {
        RepeatTimer timer = new RepeatTimer(2, 0, 0);
        WnStepBenchmark.Shape shape = WnStepBenchmark.Shape.parse("5x3x8");
        String skipped = capture(() -> WnStepBenchmark.instruments(shape, RowMajorBlas.best(), timer, dir, java.util.List.of()));
        assertTrue(skipped.startsWith("java instruments n=5 d=3 m=8 skipped=no "), skipped);

        InstrumentBenchmark fake = new InstrumentBenchmark() {
            @Override
            public String description() {
                return "fake eigenvalues";
            }

            @Override
            public double[] evaluate(Dataset data, InitialDraws init, double alpha, WeightNormNet net) {
                return new double[] {1, 2, 3, 4, 5, 6, 7, 8};
            }
        };
        String timed = capture(() -> WnStepBenchmark.instruments(shape, RowMajorBlas.best(), timer, dir, java.util.List.of(fake)));
        assertTrue(timed.startsWith("java instruments n=5 d=3 m=8 median_ms="), timed);
        assertTrue(timed.contains(" eig=1.0000000000000000,2.0000000000000000,"), timed);
        assertTrue(Files.exists(dir.resolve("instruments_n5_d3_m8").resolve("V.f64")));
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String capture(Body body) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportsDataInitAndTheLossesOfTheFirstSteps(@TempDir Path dir) throws Exception {
        String out = capture(() -> WnStepBenchmark.main(new String[] {"--shapes", "6x4x9", "--export", dir.toString(),
            "--check-steps", "3", "--peak", "0", "--instruments", "none", "--breakdown", "none", "--min-repeats", "2",
            "--min-seconds", "0", "--max-warmup", "0"}));
        assertTrue(out.contains("java step n=6 d=4 m=9 median_ms="), out);

        Path shape = dir.resolve("n6_d4_m9");
        assertEquals(6 * 4 * 8, Files.size(shape.resolve("X.f64")));
        assertEquals(9 * 4 * 8, Files.size(shape.resolve("V.f64")));
        assertEquals(9 * 8, Files.size(shape.resolve("g.f64")));
        Map<String, String> meta = Files.readAllLines(shape.resolve("meta.txt")).stream()
                .map(l -> l.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
        String[] losses = meta.get("losses").split(",");
        assertEquals(4, losses.length);

        Dataset data = new SphereData(SphereTarget.SIGN, WnStepBenchmark.DATA_SEED).load(6, 4);
        WeightNormNet net = new WeightNormNet(data, InitialDraws.draw(WnStepBenchmark.INIT_SEED, 9, 4),
                WnStepBenchmark.ALPHA, RowMajorBlas.best());
        for (int s = 0; s < losses.length; s++) {
            if (s > 0) {
                net.step(1.0 / 6);
            }
            assertEquals(net.forward(), Double.parseDouble(losses[s]), 0, "loss after " + s + " steps");
        }
    }
}
