package org.overparam.trainer.nets;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The forward passes of several relu/wn nets of one shape on one data set, formed together ({@link PackedReluKernel}:
 * one pass over the examples, the nets in SIMD lanes) and left in each net exactly as its own {@link
 * TwoLayerReluNet#forward()} and gradient product would leave it; each net then takes its own step. At the atlas's
 * small shapes a lone net's step is mostly the cost of calling BLAS twice; packed, the products run in-line.
 *
 * <p>The nets' rows must not change with packing, so it is done only where the lanes' chains give BLAS's bits: for
 * each shape, once per JVM, both products are formed by BLAS (as a net forms them) and by the chains on random
 * numbers of that shape, and the shape is packed only if every entry has the same bits ({@link #packs}). The bundled
 * OpenBLAS's FMA kernels sum in the chains' order at every shape probed with up to 512 examples (either orientation
 * of the gradient's product); where they do not (from 1,024 examples it cuts the sum into blocks; another BLAS) the
 * probe fails and nets run alone.
 * {@code -Doverparam.cpu_pack=false} turns packing off.
 */
public final class ReluNetPack {
    /**
     * The most first-layer weights ({@code m·d}) a packed net has: up to 64 a step of 8 or 64 packed nets costs 0.28–0.97
     * of a lone net's at n = 16…256, d = 8; at 128, 0.84–1.16; from 256, 0.95–1.13 (scripts/bench-cpu.sh's map,
     * docs/benchmarks.md).
     */
    public static final int MAX_WEIGHTS = 64;
    private static final ConcurrentHashMap<String, Boolean> PROBED = new ConcurrentHashMap<>();

    private final PackedReluKernel kernel;
    private final Dataset data;
    private final int n;
    private final int d;
    private final int m;
    private final boolean hinge;
    private final int maxLanes;
    private final double[] wt;
    private final double[] sc;
    private final double[] urow;
    private final double[] sums;
    private final double[] f;
    private final double[] e;
    private final double[] loss;
    private final double[] h;
    private final double[] qt;

    /** A pack of up to {@code maxLanes} nets of width {@code m} on {@code data}, trained on the MSE or the squared hinge. */
    public ReluNetPack(Dataset data, int m, boolean hinge, int maxLanes) {
        this(PackedReluKernel.simd() == null ? PackedReluKernel.scalar() : PackedReluKernel.simd(), data, m, hinge, maxLanes);
    }

    ReluNetPack(PackedReluKernel kernel, Dataset data, int m, boolean hinge, int maxLanes) {
        if (maxLanes < 1) {
            throw new IllegalArgumentException("maxLanes must be >= 1, got " + maxLanes);
        }
        this.kernel = kernel;
        this.data = data;
        this.n = data.n();
        this.d = data.d();
        this.m = m;
        this.hinge = hinge;
        this.maxLanes = maxLanes;
        int tp = lanes(maxLanes);
        int c = Math.multiplyExact(m, tp);
        this.wt = new double[Math.multiplyExact(d, c)];
        this.sc = new double[c];
        this.urow = new double[4 * c];
        this.sums = new double[16 * tp];
        this.f = new double[Math.multiplyExact(n, tp)];
        this.e = new double[n * tp];
        this.loss = new double[tp];
        this.h = new double[c];
        this.qt = new double[d * c];
    }

    /** False under {@code -Doverparam.cpu_pack=false}. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("overparam.cpu_pack", "true"));
    }

    /**
     * Whether nets of {@code n} examples, {@code d} inputs and width {@code m} are packed with {@code blas}: packing is
     * on, the JVM has the vector module, each net has at most {@link #MAX_WEIGHTS} first-layer weights (where packing
     * is faster than a lone net's BLAS calls), and the chains give {@code blas}'s bits at this shape (probed once per
     * JVM).
     */
    public static boolean packs(RowMajorBlas blas, int n, int m, int d) {
        if (!enabled() || PackedReluKernel.simd() == null || n < 1 || (long) m * d > MAX_WEIGHTS) {
            return false;
        }
        return PROBED.computeIfAbsent(n + "," + m + "," + d + "," + blas.implementation(), k -> probe(blas, n, m, d));
    }

    /** Whether {@code net} can join this pack: same shape, loss and training set (by content). */
    public boolean accepts(TwoLayerReluNet net) {
        Dataset other = net.data();
        return net.m == m && net.n == n && net.d == d && net.hinge() == hinge
                && (other == data || Arrays.equals(other.x(), data.x()) && Arrays.equals(other.y(), data.y()));
    }

    /** The most nets one {@link #forward} takes. */
    public int maxLanes() {
        return maxLanes;
    }

    /**
     * The forward pass of every net in {@code nets} (at most {@link #maxLanes()}, each {@link #accepts accepted}):
     * {@code out[t]} is net {@code t}'s loss, and each net is left as its own forward and gradient product leave it,
     * ready for {@link TwoLayerReluNet#step}.
     */
    public void forward(List<? extends TwoLayerReluNet> nets, double[] out) {
        int lanes = nets.size();
        if (lanes > maxLanes) {
            throw new IllegalArgumentException(lanes + " nets, the pack takes " + maxLanes);
        }
        int tp = lanes(lanes);
        int c = m * tp;
        Arrays.fill(wt, 0, d * c, 0.0);
        Arrays.fill(sc, 0, c, 0.0);
        for (int t = 0; t < lanes; t++) {
            TwoLayerReluNet net = nets.get(t);
            net.beginPackedForward();
            double[] w = net.packedDirections();
            double[] s = net.scale;
            for (int k = 0; k < m; k++) {
                int col = k * tp + t;
                sc[col] = s[k];
                for (int l = 0; l < d; l++) {
                    wt[l * c + col] = w[k * d + l];
                }
            }
        }
        kernel.forward(n, d, m, tp, data.x(), data.y(), hinge, wt, sc, urow, sums, f, e, loss, h, qt);
        for (int t = 0; t < lanes; t++) {
            TwoLayerReluNet net = nets.get(t);
            for (int i = 0; i < n; i++) {
                net.f[i] = f[i * tp + t];
                net.e[i] = e[i * tp + t];
            }
            for (int k = 0; k < m; k++) {
                int col = k * tp + t;
                net.h[k] = h[col];
                for (int l = 0; l < d; l++) {
                    net.q[k * d + l] = qt[l * c + col];
                }
            }
            net.endPackedForward();
            out[t] = 0.5 * loss[t];
        }
    }

    /** Lanes rounded up to whole vectors of four. */
    private static int lanes(int nets) {
        return (nets + 3) / 4 * 4;
    }

    /**
     * Whether the chains give {@code blas}'s bits for both products at this shape: on Gaussian {@code X}, {@code W}
     * and a gradient factor {@code e ∘ 1} with about half its entries {@code +0}, as a step leaves it.
     */
    static boolean probe(RowMajorBlas blas, int n, int m, int d) {
        SplittableRandom random = new SplittableRandom(0x5eedL ^ (31L * n + m) * 31 + d);
        double[] x = gaussians(random, n * d);
        double[] w = gaussians(random, m * d);
        double[] p = new double[n * m];
        blas.timesTransposed(n, m, d, x, w, p);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double u = 0.0;
                for (int l = 0; l < d; l++) {
                    u = Math.fma(x[i * d + l], w[k * d + l], u);
                }
                if (Double.doubleToRawLongBits(u) != Double.doubleToRawLongBits(p[i * m + k])) {
                    return false;
                }
            }
        }
        double[] dm = new double[n * m];
        for (int i = 0; i < dm.length; i++) {
            dm[i] = p[i] >= 0 ? random.nextGaussian() : 0.0;
        }
        double[] q = new double[m * d];
        blas.transposedTimes(n, m, d, dm, x, q, new double[m * d]);
        for (int k = 0; k < m; k++) {
            for (int l = 0; l < d; l++) {
                double s = 0.0;
                for (int i = 0; i < n; i++) {
                    s = Math.fma(dm[i * m + k], x[i * d + l], s);
                }
                if (Double.doubleToRawLongBits(s) != Double.doubleToRawLongBits(q[k * d + l])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double[] gaussians(SplittableRandom random, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
