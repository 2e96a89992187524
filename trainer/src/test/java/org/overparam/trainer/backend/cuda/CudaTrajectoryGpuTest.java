package org.overparam.trainer.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.BackendKind;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.DeviceBinder;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.choice.Backends;
import org.overparam.trainer.backend.pack.Pack;
import org.overparam.trainer.backend.pack.PackedTrainer;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The CUDA backend on a real GPU against the CPU trainer: loss after 200 steps equal to 1e-9 relative
 * in float64 for both models over several shapes (n, m not multiples of any tile), both tile sizes,
 * tensor-core and FMA products, packed trials equal to the same trials one by one, the instruments' kernel
 * products against the host's, and the whole path
 * through {@link Backends#open}. Tagged {@code gpu}; skipped (not failed) where
 * {@link CudaBackend#probe()} finds no usable device, with its reason.
 */
@Tag("gpu")
class CudaTrajectoryGpuTest {
    private static final SphereData SOURCE = new SphereData(SphereTarget.GAUSSIAN, 5);
    private static JCudaApi gpu;

    @BeforeAll
    static void open() {
        Availability cuda = CudaBackend.probe();
        if (cuda.available()) {
            gpu = JCudaApi.open(cuda.devices().get(0).ordinal(), Fatbin.load().orElseThrow());
            System.out.println("gpu tests on " + gpu.device() + ", " + gpu.multiprocessors() + " SMs");
        }
    }

    /** Each test is skipped, with the probe's reason, where there is no usable GPU. */
    @BeforeEach
    void needsAGpu() {
        Availability cuda = CudaBackend.probe();
        Assumptions.assumeTrue(cuda.available(), () -> "no GPU: " + cuda.reason());
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    private static List<TrialResult> cuda(List<TrialSpec> specs, Precision precision, KernelAbi.Math math,
                                          CudaPackDevice.TilePolicy tiles) {
        Pack pack = Pack.of(specs, SOURCE.load(specs.get(0).n(), specs.get(0).d()));
        try (CudaPackDevice device = new CudaPackDevice(gpu, pack, precision, math, tiles, CudaPackDevice.DEFAULT_CHUNK)) {
            return new PackedTrainer().run(pack, device,
                    new PackedTrainer.Provenance("cuda", device.device(), precision.key()), System.nanoTime());
        }
    }

    @ParameterizedTest(name = "{0} n={1} d={2} m={3} {4} {5}")
    @CsvSource({
        "wn,    37,   7,    45, SMALL, TENSOR",
        "relu,  37,   7,    45, SMALL, TENSOR",
        "wn,   100,  50,  1000, AUTO,  TENSOR",
        "relu, 100,  50,  1000, AUTO,  TENSOR",
        "wn,   300,  33,   777, LARGE, TENSOR",
        "relu, 300,  33,   777, LARGE, TENSOR",
        "wn,   300,  33,   777, LARGE, FMA",
        "wn,    20, 257,  4099, SMALL, FMA",
        "wn,     5,   3,     1, SMALL, TENSOR",
    })
    void losses200StepsEqualTheCpusTo1e9(ModelKind model, int n, int d, int m, CudaPackDevice.TilePolicy tiles,
                                         KernelAbi.Math math) {
        List<TrialSpec> specs = Trajectories.pack(model, n, d, m, 3, 200, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> got = cuda(specs, Precision.FLOAT64, math, tiles);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int b = 0; b < specs.size(); b++) {
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-9);
        }
    }

    /** The instruments' kernel products on the device against dsyrk on the host ({@link CudaKernelProductsTest}). */
    @ParameterizedTest(name = "{0} n={1} d={2} m={3} {4} {5} {6}")
    @CsvSource({
        "wn,    300,  33,  777, LARGE, TENSOR, FLOAT64",
        "relu,  300,  33,  777, SMALL, TENSOR, FLOAT64",
        "wn,   1000,  50, 2000, AUTO,  TENSOR, FLOAT64",
        "wn,    300,  33,  777, AUTO,  FMA,    FLOAT64",
        "wn,    100,  20,  200, AUTO,  FMA,    FLOAT32",
    })
    void kernelProductsEqualTheCpus(ModelKind model, int n, int d, int m, CudaPackDevice.TilePolicy tiles, KernelAbi.Math math,
                                    Precision precision) {
        CudaKernelProductsTest.assertProductsMatchTheCpu(gpu, model, n, d, m, tiles, math, precision);
    }

    @Test
    void packedTrialsEqualTheSameTrialsOneByOne() {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.WN, 64, 64, 1024, 8, 200, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> packed = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.AUTO);
        for (int b = 0; b < specs.size(); b++) {
            TrialResult alone = cuda(List.of(specs.get(b)), Precision.FLOAT64, KernelAbi.Math.TENSOR,
                    CudaPackDevice.TilePolicy.SMALL).get(0);
            assertArrayEquals(alone.curveLosses(), packed.get(b).curveLosses(), 0.0, "bit for bit: trial " + b);
        }
    }

    @Test
    void stopRulesAndInstrumentsMatchTheCpu() {
        List<TrialSpec> specs = new ArrayList<>();
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 400, 20, 50, 0.5, 3L, SOURCE.identity(), 2000, 1e-6));
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 400, 20, 50, 80.0, 4L, SOURCE.identity(), 2000, 1e-8));
        specs.add(new TrialSpec(ModelKind.WN, 1.0, 400, 20, 50, 0.5, 5L, SOURCE.identity(), 37, 1e-30,
                new InstrumentSettings(true, 0, 0.1)));
        List<TrialResult> got = cuda(specs, Precision.FLOAT64, KernelAbi.Math.TENSOR, CudaPackDevice.TilePolicy.AUTO);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int b = 0; b < specs.size(); b++) {
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-7);
        }
    }

    @Test
    void float32IsCloseToTheCpu() {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.WN, 64, 64, 1024, 4, 50, 1e-30, InstrumentSettings.OFF, SOURCE);
        List<TrialResult> got = cuda(specs, Precision.FLOAT32, KernelAbi.Math.FMA, CudaPackDevice.TilePolicy.AUTO);
        List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
        for (int b = 0; b < specs.size(); b++) {
            Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-3, 1e-2, 1e-4);
        }
    }

    @Test
    void theWholePathThroughBackendsOpen() throws InterruptedException {
        List<TrialSpec> specs = Trajectories.pack(ModelKind.RELU, 40, 10, 300, 4, 100, 1e-30, InstrumentSettings.OFF, SOURCE);
        try (var backend = Backends.open(BackendSettings.of(BackendKind.AUTO), DeviceBinder.pooled(1))) {
            assertEquals("cuda", backend.name());
            assertTrue(backend.device().startsWith("cuda:"), backend.device());
            List<TrialResult> got = backend.run(specs, SOURCE);
            List<TrialResult> cpu = Trajectories.cpu(specs, SOURCE);
            for (int b = 0; b < specs.size(); b++) {
                assertEquals(backend.device(), got.get(b).device());
                Trajectories.assertMatchesCpu(got.get(b), cpu.get(b), 1e-9, 1e-9);
            }
        }
    }
}
