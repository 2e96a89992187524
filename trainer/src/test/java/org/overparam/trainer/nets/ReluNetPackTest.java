package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * Nets trained in a {@link ReluNetPack} follow exactly the trajectories they follow alone (losses, outputs,
 * gradients and parameters bit for bit, step after step) at the atlas's small shapes and at counts of examples and
 * inputs that are not multiples of four (the kernels' remainders), relu and wn mixed, MSE and
 * squared hinge, with nets leaving the pack as they would stop; the SIMD and scalar lanes agree bit for bit; and
 * the probe refuses a shape whose BLAS product does not sum in the chains' order.
 */
class ReluNetPackTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    @Test
    void theTestJvmPacksTheAtlasSmallShapes() {
        assertNotNull(PackedReluKernel.simd(), "surefire adds the vector module, as the launcher does");
        assertTrue(ReluNetPack.packs(BLAS, 64, 16, 4), "OpenBLAS sums (64, 4, 16) in the chains' order");
        assertTrue(ReluNetPack.packs(BLAS, 256, 8, 8));
        assertTrue(ReluNetPack.packs(BLAS, 8, 3, 8), "m < d: BLAS's other orientation, the same chains");
        assertFalse(ReluNetPack.packs(BLAS, 256, 16, 8), "more weights than packing pays for");
    }

    @Test
    void packedNetsFollowTheirLoneTrajectoriesBitForBit() {
        for (int[] shape : new int[][] {{64, 4, 16}, {30, 3, 7}, {101, 5, 9}, {256, 16, 64}}) {
            for (Loss loss : new Loss[] {Loss.MSE, Loss.SQUARED_HINGE}) {
                for (PackedReluKernel kernel : new PackedReluKernel[] {PackedReluKernel.scalar(), PackedReluKernel.simd()}) {
                    compare(kernel, shape[0], shape[1], shape[2], loss, 7, 30);
                }
            }
        }
    }

    @Test
    void aPackFullerThanItsLanesIsRefusedAndForeignNetsAreNotAccepted() {
        Dataset data = new SphereData(SphereTarget.RANDOM, 0).load(16, 3);
        ReluNetPack pack = new ReluNetPack(data, 8, false, 2);
        List<TwoLayerReluNet> three = List.of(relu(data, 1, 8, Loss.MSE), relu(data, 2, 8, Loss.MSE), relu(data, 3, 8, Loss.MSE));
        assertThrows(IllegalArgumentException.class, () -> pack.forward(three, new double[3]));
        assertTrue(pack.accepts(relu(new SphereData(SphereTarget.RANDOM, 0).load(16, 3), 4, 8, Loss.MSE)), "same content");
        assertFalse(pack.accepts(relu(new SphereData(SphereTarget.RANDOM, 1).load(16, 3), 4, 8, Loss.MSE)), "other data");
        assertFalse(pack.accepts(relu(data, 4, 9, Loss.MSE)), "other width");
        assertFalse(pack.accepts(relu(data, 4, 8, Loss.SQUARED_HINGE)), "other loss");
    }

    /**
     * {@code count} nets (relu and wn at several α and η) alone and packed, {@code steps} GD steps; one net leaves
     * the pack every few steps, as stopped trials do.
     */
    private static void compare(PackedReluKernel kernel, int n, int d, int m, Loss loss, int count, int steps) {
        Dataset data = new SphereData(SphereTarget.RANDOM, 3).load(n, d);
        List<TwoLayerReluNet> alone = new ArrayList<>();
        List<TwoLayerReluNet> packed = new ArrayList<>();
        double[] etas = new double[count];
        for (int t = 0; t < count; t++) {
            alone.add(net(data, t, m, loss));
            packed.add(net(data, t, m, loss));
            etas[t] = (t % 2 == 0 ? 32.0 : 64.0) / n * (1 + 0.1 * t);
        }
        ReluNetPack pack = new ReluNetPack(kernel, data, m, loss == Loss.SQUARED_HINGE, count);
        for (TwoLayerReluNet net : packed) {
            assertTrue(pack.accepts(net));
        }
        List<TwoLayerReluNet> running = new ArrayList<>(packed);
        List<Integer> ids = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            ids.add(t);
        }
        double[] out = new double[count];
        String where = "n=" + n + " d=" + d + " m=" + m + " " + loss + " " + kernel.getClass().getSimpleName();
        for (int s = 0; s <= steps && !running.isEmpty(); s++) {
            pack.forward(running, out);
            for (int r = 0; r < running.size(); r++) {
                int t = ids.get(r);
                TwoLayerReluNet lone = alone.get(t);
                double expected = lone.forward();
                String at = where + " net " + t + " step " + s;
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(out[r]), at + ": loss");
                assertBits(lone.outputs(), running.get(r).outputs(), at + ": outputs");
                if (s % 5 == 0) {
                    assertBits(lone.gradient(), running.get(r).gradient(), at + ": gradient");
                }
                lone.step(etas[t]);
                running.get(r).step(etas[t]);
                assertBits(lone.parameters(), running.get(r).parameters(), at + ": parameters");
            }
            if (s % 4 == 3) {
                int leave = (s / 4) % running.size();
                running.remove(leave);
                ids.remove(leave);
            }
        }
    }

    private static TwoLayerReluNet net(Dataset data, int t, int m, Loss loss) {
        InitialDraws init = InitialDraws.draw(100 + t, m, data.d());
        return t % 3 == 2 ? relu(data, t, m, loss) : new WeightNormNet(data, init, t % 3 == 0 ? 0.5 : 4.0, BLAS, loss);
    }

    private static TwoLayerReluNet relu(Dataset data, int seed, int m, Loss loss) {
        return new ReluNet(data, InitialDraws.draw(100 + seed, m, data.d()), BLAS, loss);
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        long[] e = new long[expected.length];
        long[] a = new long[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Double.doubleToRawLongBits(expected[i]);
            a[i] = Double.doubleToRawLongBits(actual[i]);
        }
        assertArrayEquals(e, a, what);
    }

    @Test
    void theProbeRefusesAShapeWhereBlasCutsTheSumIntoBlocks() {
        assertTrue(ReluNetPack.probe(BLAS, 64, 16, 4));
        // OpenBLAS cuts a sum over 1,024 examples into blocks (its GEMM_Q rule) and adds the blocks' sums: other bits.
        assertFalse(ReluNetPack.probe(BLAS, 1024, 256, 8));
    }
}
