package org.overparam.trainer.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.trainer.backend.BackendKind;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.pack.Pack;
import org.overparam.trainer.backend.pack.PackedTrainer;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The CUDA backend's host code and the kernel source of {@code overparam.cu}, run on the CPU emulation
 * of the kernels ({@link EmulatorApi}), against the CPU trainer: the same statuses, steps and curves
 * (losses within 1e-9 relative after up to 200 steps), instruments, for both models, both tile sizes,
 * tensor-core and FMA products, shapes that are not multiples of any tile, packed or one by one.
 * Skipped where g++ is missing. What it cannot show: that a GPU runs the kernels the same way (the
 * {@code gpu}-tagged {@link CudaTrajectoryGpuTest} does, on a machine with one).
 */
class EmulatedCudaBackendTest {
    private static final SphereData SOURCE = new SphereData(SphereTarget.GAUSSIAN, 5);
    private static EmulatorApi gpu;

    @BeforeAll
    static void start() {
        gpu = EmulatorApi.start(4);
    }

    @AfterAll
    static void stop() {
        if (gpu != null) {
            gpu.close();
        }
    }

    private static List<TrialResult> cuda(List<TrialSpec> specs, Precision precision, KernelAbi.Math math,
                                          CudaPackDevice.TilePolicy tiles) {
        Pack pack = Pack.of(specs, SOURCE.load(specs.get(0).n(), specs.get(0).d()));
        try (CudaPackDevice device = new CudaPackDevice(gpu, pack, precision, math, tiles, 16)) {
            return new PackedTrainer().run(pack, device,
                    new PackedTrainer.Provenance("cuda", device.device(), precision.key()), System.nanoTime());
        }
    }

    @ParameterizedTest(name = "{0} n={1} d={2} m={3} {4} {5} {6} steps")
    @CsvSource({
        "wn,    37,  7,  45, SMALL, TENSOR, 200",
        "relu,  37,  7,  45, SMALL, TENSOR, 200",
        "wn,   150, 33,  70, SMALL, TENSOR, 100",
        "wn,   140,  5, 150, LARGE, TENSOR,  30",
        "relu, 140,  5, 150, LARGE, TENSOR,  30",
        "wn,    70, 19, 130, LARGE, FMA,    200",
        "relu,  70, 19, 130, LARGE, FMA,    200",
        "wn,    37,  7,  45, SMALL, FMA,    200",
        "wn,     5,  3,   1, SMALL, TENSOR, 200",
    })
    void packedTrialsFollowTheCpuTrajectories(ModelKind model, int n, int d, int m, CudaPackDevice.TilePolicy tiles,
                                              KernelAbi.Math math, int steps) {
        List<TrialSpec> specs = Trajectories.pack(model, n, d, m, 3, steps, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> got = cuda(specs, Precision.FLOAT64, math, tiles);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int b = 0; b < specs.size(); b++) {
            assertEquals("cuda", got.get(b).backend());
            assertEquals("cuda:0 CPU emulation", got.get(b).device());
            assertEquals("float64", got.get(b).precision());
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-9);
        }
    }

    @Test
    void aTrialPackedWithOthersFollowsTheSameTrajectoryAsAlone() {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.WN, 37, 7, 45, 3, 60, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> packed = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.SMALL);
        for (int b = 0; b < specs.size(); b++) {
            TrialResult alone = cuda(List.of(specs.get(b)), Precision.FLOAT64, KernelAbi.Math.TENSOR,
                    CudaPackDevice.TilePolicy.SMALL).get(0);
            assertArrayEquals(alone.curveLosses(), packed.get(b).curveLosses(), 0.0, "bit for bit: trial " + b);
            assertEquals(alone.lossFinal(), packed.get(b).lossFinal(), 0.0);
        }
    }

    @Test
    void aPackPastItsTimeLimitEndsTimeoutWithItsStepsAndCurve() {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.WN, 37, 7, 45, 2, 100_000_000, 1e-30, InstrumentSettings.OFF, SOURCE);
        Pack pack = Pack.of(specs, SOURCE.load(37, 7));
        List<TrialResult> got;
        try (CudaPackDevice device = new CudaPackDevice(gpu, pack, Precision.FLOAT64, KernelAbi.Math.TENSOR,
                CudaPackDevice.TilePolicy.SMALL, 16)) {
            got = new PackedTrainer(org.overparam.trainer.linalg.RowMajorBlas.best(),
                    org.overparam.trainer.ntk.SymmetricEigen.reproducible(), java.time.Duration.ofMillis(300))
                    .run(pack, device, new PackedTrainer.Provenance("cuda", device.device(), "float64"), System.nanoTime());
        }
        for (TrialResult r : got) {
            assertEquals(org.overparam.trainer.gd.Outcome.TIMEOUT, r.status(), r.message());
            assertTrue(r.steps() > 0 && r.steps() < 100_000_000, "steps so far: " + r.steps());
            assertTrue(r.message().startsWith("time limit 300ms reached after " + r.steps() + " steps"), r.message());
            assertEquals(r.steps(), r.curveSteps()[r.curveSteps().length - 1]);
            assertTrue(Double.isFinite(r.lossFinal()));
        }
    }

    @Test
    void stopRulesMatchTheCpu() {
        List<TrialSpec> specs = new ArrayList<>();
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 40, 9, 6, 0.5, 3L, SOURCE.identity(), 400, 1e-3)); // converges early
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 40, 9, 6, 40.0, 4L, SOURCE.identity(), 400, 1e-8)); // diverges
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 40, 9, 6, 0.3, 5L, SOURCE.identity(), 0, 1e-8)); // no budget
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 40, 9, 6, 0.3, 6L, SOURCE.identity(), 33, 1e-30)); // budget
        List<TrialResult> got = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.AUTO);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        assertEquals(List.of(Outcome.CONVERGED, Outcome.DIVERGED, Outcome.CENSORED, Outcome.CENSORED),
                cpu.stream().map(TrialResult::status).toList(), "the trials end in every way (precondition)");
        for (int b = 0; b < specs.size(); b++) {
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-9);
            assertEquals(cpu.get(b).message(), got.get(b).message());
        }
    }

    @Test
    void theStuckRuleRunsOnTheHostAsOnTheCpu() {
        // relu at width 2 plateaus far above its tolerance: stuck at the checkpoint 1024, running or at its last step.
        List<TrialSpec> specs = new ArrayList<>();
        specs.add(new TrialSpec(ModelKind.RELU, null, 2, 64, 32, 0.5, 1L, SOURCE.identity(), 5000, 1e-6));
        specs.add(new TrialSpec(ModelKind.RELU, null, 2, 64, 32, 0.4, 2L, SOURCE.identity(), 1024, 1e-6));
        specs.add(new TrialSpec(ModelKind.RELU, null, 2, 64, 32, 0.4, 2L, SOURCE.identity(), 1100, 1e-6).withStuckHorizon(0));
        specs.add(new TrialSpec(ModelKind.RELU, null, 2, 64, 32, 0.5, 3L, SOURCE.identity(), 900, 1e-6));
        List<TrialResult> got = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.AUTO);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        assertEquals(List.of(Outcome.STUCK, Outcome.STUCK, Outcome.CENSORED, Outcome.CENSORED),
                cpu.stream().map(TrialResult::status).toList(), "stuck at a checkpoint, at the end, off, too short (precondition)");
        assertEquals(1024, cpu.get(0).steps());
        assertEquals(1024, cpu.get(1).steps());
        for (int b = 0; b < specs.size(); b++) {
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-9);
            assertEquals(cpu.get(b).message().replaceAll("[0-9.]+e[-+][0-9]+", "#"),
                    got.get(b).message().replaceAll("[0-9.]+e[-+][0-9]+", "#"), "the same evidence, to rounding");
        }
    }

    @Test
    void squaredHingeTrialsGoToTheCpuTrainer() {
        org.overparam.trainer.data.SphereData signs = new org.overparam.trainer.data.SphereData(
                org.overparam.trainer.data.SphereTarget.SIGN, 5);
        List<TrialSpec> wn = Trajectories.pack(ModelKind.WN, 10, 4, 12, 2, 20, 1e-30, InstrumentSettings.OFF, signs);
        TrialSpec hinge = wn.get(1).withLoss(org.overparam.trainer.nets.Loss.SQUARED_HINGE);
        assertFalse(CudaBackend.trains(hinge), "the kernels form f − y: the squared hinge is the CPU's");
        assertThrows(IllegalArgumentException.class, () -> Pack.of(List.of(hinge), signs.load(10, 4)));
        EmulatorApi own = EmulatorApi.start(4);
        List<TrialResult> got;
        try (CudaBackend backend = new CudaBackend(own, new BackendSettings(BackendKind.CUDA, Precision.FLOAT64, 1, 512),
                KernelAbi.Math.TENSOR, () -> { })) {
            got = backend.run(List.of(wn.get(0), hinge), signs);
        }
        assertEquals("cuda", got.get(0).backend());
        assertEquals("cpu", got.get(1).backend());
        assertArrayEquals(Trajectories.cpu(List.of(hinge), signs).get(0).curveLosses(), got.get(1).curveLosses(), 0.0);
    }

    @Test
    void instrumentsMatchTheCpu() {
        InstrumentSettings kernels = new InstrumentSettings(true, 0, 0.1);
        List<TrialSpec> specs = new ArrayList<>();
        specs.addAll(Trajectories.pack(ModelKind.WN, 12, 5, 70, 2, 120, 1e-30, kernels, SOURCE));
        List<TrialSpec> relu = Trajectories.pack(ModelKind.RELU, 12, 5, 70, 2, 120, 1e-30, new InstrumentSettings(false, 25, 0.1), SOURCE);
        int productLaunches = gpu.launches("op_products_");
        List<TrialResult> got = new ArrayList<>(cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.AUTO));
        assertTrue(gpu.launches("op_products_") > productLaunches, "the wn kernels' products were formed on the device");
        got.addAll(cuda(relu, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.AUTO));
        specs.addAll(relu);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int b = 0; b < specs.size(); b++) {
            assertTrue(cpu.get(b).metrics().size() >= 3, "instrumented (precondition)");
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-7);
            for (var e : cpu.get(b).curveMetrics().entrySet()) {
                double[] want = e.getValue();
                double[] have = got.get(b).curveMetrics().get(e.getKey());
                for (int j = 0; j < want.length; j++) {
                    assertTrue(Double.compare(want[j], have[j]) == 0 || Math.abs(want[j] - have[j]) <= 1e-7 * Math.abs(want[j]),
                            e.getKey() + " at step " + cpu.get(b).curveSteps()[j] + ": " + have[j] + " vs " + want[j]);
                }
            }
        }
    }

    @Test
    void float32FollowsTheCpuToSinglePrecision() {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.WN, 37, 7, 45, 2, 40, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> got = cuda(specs, Precision.FLOAT32, KernelAbi.Math.FMA, CudaPackDevice.TilePolicy.SMALL);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int b = 0; b < specs.size(); b++) {
            assertEquals("float32", got.get(b).precision());
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-4, 1e-3, 1e-5);
        }
    }

    @Test
    void theBackendPacksByShapeAndReturnsRowsInTheGivenOrder() {
        List<TrialSpec> specs = new ArrayList<>();
        List<TrialSpec> a = Trajectories.pack(ModelKind.WN, 10, 4, 33, 2, 30, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialSpec> b = Trajectories.pack(ModelKind.RELU, 10, 4, 33, 2, 30, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialSpec> c = Trajectories.pack(ModelKind.WN, 11, 4, 20, 1, 30, 1e-30, InstrumentSettings.OFF, SOURCE);
        specs.add(a.get(0));
        specs.add(b.get(0));
        specs.add(c.get(0));
        specs.add(a.get(1));
        specs.add(b.get(1));
        EmulatorApi own = EmulatorApi.start(4);
        boolean[] released = new boolean[1];
        List<TrialResult> got;
        try (CudaBackend backend = new CudaBackend(own, new BackendSettings(BackendKind.CUDA, Precision.FLOAT64, 1, 512),
                KernelAbi.Math.TENSOR, () -> released[0] = true)) {
            assertEquals("cuda", backend.name());
            assertEquals("cuda:0 CPU emulation", backend.device());
            got = backend.run(specs, SOURCE);
            // three packs of 30 steps: 31 forward and 30 backward launches each
            assertEquals(3 * 61, own.launches());
        }
        assertTrue(released[0], "closing the backend releases its device");
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int i = 0; i < specs.size(); i++) {
            assertEquals(specs.get(i), got.get(i).spec());
            Trajectories.assertMatchesCpu(got.get(i), cpu.get(i), 1e-9, 1e-9);
        }
    }

    @Test
    void modelsTheKernelsDoNotTrainGoToTheCpuTrainerInTheSameTask() {
        TrialSpec smooth = new TrialSpec(ModelKind.SMOOTH, null, 12, 10, 4, 0.01, 3L, SOURCE.identity(), 20, 1e-30,
                InstrumentSettings.OFF, org.overparam.trainer.trial.ModelParams.smooth(
                        org.overparam.trainer.nets.Activation.TANH, 0.5, 0.5, 1));
        List<TrialSpec> wn = Trajectories.pack(ModelKind.WN, 10, 4, 12, 2, 20, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialSpec> specs = List.of(wn.get(0), smooth, wn.get(1));
        assertTrue(CudaBackend.trains(wn.get(0)));
        assertFalse(CudaBackend.trains(smooth));
        EmulatorApi own = EmulatorApi.start(4);
        List<TrialResult> got;
        try (CudaBackend backend = new CudaBackend(own, new BackendSettings(BackendKind.CUDA, Precision.FLOAT64, 1, 512),
                KernelAbi.Math.TENSOR, () -> { })) {
            got = backend.run(specs, SOURCE);
            assertEquals(41, own.launches(), "one pack (the two wn trials) of 20 steps: 21 forward and 20 backward launches");
        }
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        assertEquals("cuda", got.get(0).backend());
        assertEquals("cuda", got.get(2).backend());
        assertEquals("cpu", got.get(1).backend());
        assertEquals("cpu", got.get(1).device());
        assertEquals(smooth, got.get(1).spec());
        assertArrayEquals(cpu.get(1).curveLosses(), got.get(1).curveLosses(), 0.0, "the CPU trainer's own trajectory");
        assertEquals(cpu.get(1).metrics(), got.get(1).metrics());
        Trajectories.assertMatchesCpu(got.get(0), cpu.get(0), 1e-9, 1e-9);
        Trajectories.assertMatchesCpu(got.get(2), cpu.get(2), 1e-9, 1e-9);
    }

    @Test
    void runningTwiceGivesIdenticalRows() {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.RELU, 37, 7, 45, 2, 50, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> first = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.SMALL);
        List<TrialResult> second = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.SMALL);
        for (int b = 0; b < specs.size(); b++) {
            assertArrayEquals(first.get(b).curveLosses(), second.get(b).curveLosses(), 0.0);
            assertEquals(first.get(b).metrics(), second.get(b).metrics());
        }
    }
}
