package org.overparam.trainer.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.pack.Pack;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.ntk.BlasKernelProducts;
import org.overparam.trainer.ntk.KernelProducts;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The instruments' kernel products formed by {@code op_preact_*} and {@code op_products_*} (on the CPU
 * emulation of the kernels) against {@code dsyrk} over operands filled on the host from a mirror of the
 * same parameters ({@link BlasKernelProducts}, an independent implementation): after a few GD steps (so
 * ω_k ≠ 1 for wn), for shapes that are not multiples of the tiles and span several blocks (the mirrored
 * lower triangle), both tiles, tensor cores, FMAs and float32. Tolerance: 1e−12 of the largest entry in
 * float64, 1e−4 in float32 (sums over m ≤ 2000 single-precision terms).
 */
class CudaKernelProductsTest {
    private static final SphereData SOURCE = new SphereData(SphereTarget.GAUSSIAN, 9);
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

    @ParameterizedTest(name = "{0} n={1} d={2} m={3} {4} {5} {6}")
    @CsvSource({
        "wn,    70,  5, 100, SMALL, TENSOR, FLOAT64",
        "relu,  70,  5, 100, SMALL, TENSOR, FLOAT64",
        "wn,   140,  6,  90, SMALL, TENSOR, FLOAT64",
        "wn,   150,  4, 130, LARGE, TENSOR, FLOAT64",
        "relu, 150,  4, 130, LARGE, FMA,    FLOAT64",
        "wn,    70,  5, 100, SMALL, FMA,    FLOAT64",
        "wn,    70,  5, 100, SMALL, FMA,    FLOAT32",
    })
    void deviceProductsEqualTheCpusOfTheMirroredParameters(ModelKind model, int n, int d, int m, CudaPackDevice.TilePolicy tiles,
                                                           KernelAbi.Math math, Precision precision) {
        assertProductsMatchTheCpu(gpu, model, n, d, m, tiles, math, precision);
    }

    /** The comparison on {@code gpu} (the emulator here, a real device in {@link CudaTrajectoryGpuTest}). */
    static void assertProductsMatchTheCpu(GpuApi gpu, ModelKind model, int n, int d, int m, CudaPackDevice.TilePolicy tiles,
                                          KernelAbi.Math math, Precision precision) {
        List<TrialSpec> specs = Trajectories.pack(model, n, d, m, 2, 50, 1e-30, new InstrumentSettings(true, 0, 0.1), SOURCE);
        Dataset data = SOURCE.load(n, d);
        Pack pack = Pack.of(specs, data);
        RowMajorBlas blas = RowMajorBlas.best();
        KernelProducts cpu = new BlasKernelProducts(blas);
        double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-4;
        try (CudaPackDevice device = new CudaPackDevice(gpu, pack, precision, math, tiles, 16)) {
            for (int s = 0; s < 4; s++) {
                device.forward(s, s);
                device.backward();
            }
            for (int b = 0; b < specs.size(); b++) {
                TrialSpec spec = specs.get(b);
                TwoLayerReluNet mirror = new TrialRunner(blas).build(spec, data);
                mirror.setParameters(device.parameters(b));
                double[] u = mirror.preActivations();
                KernelProducts onDevice = device.kernelProducts(b).orElseThrow();
                double[][] want;
                double[][] got;
                if (model == ModelKind.WN) {
                    WeightNormNet wn = (WeightNormNet) mirror;
                    want = cpu.weightNorm(u, wn.directionNorms(), wn.gains(), spec.alpha());
                    got = onDevice.weightNorm(u, wn.directionNorms(), wn.gains(), spec.alpha());
                } else {
                    want = new double[][] {cpu.indicators(u, m)};
                    got = new double[][] {onDevice.indicators(u, m)};
                }
                assertEquals(want.length, got.length);
                for (int p = 0; p < want.length; p++) {
                    double scale = 0;
                    for (double w : want[p]) {
                        scale = Math.max(scale, Math.abs(w));
                    }
                    assertTrue(scale > 0, "product " + p + " is not zero (precondition)");
                    for (int i = 0; i < n * n; i++) {
                        double diff = Math.abs(got[p][i] - want[p][i]);
                        int row = i / n;
                        int col = i % n;
                        assertTrue(diff <= tolerance * scale, "trial " + b + " product " + p + " at (" + row + ", " + col + "): "
                                + got[p][i] + " vs " + want[p][i]);
                        assertEquals(got[p][i], got[p][col * n + row], tolerance * scale, "symmetric");
                    }
                }
            }
        }
    }
}
