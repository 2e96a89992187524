package org.overparam.trainer.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.pack.Pack;
import org.overparam.trainer.backend.pack.PackDevice;
import org.overparam.trainer.ntk.KernelProducts;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * A {@link Pack} on a CUDA device: its buffers and the launches of {@code overparam.cu}, through a
 * {@link GpuApi}. Per trial {@code b} (the grid's z index) the device holds {@code V} (or {@code W}),
 * {@code g}, {@code c}, {@code ‖v_k‖}, {@code s_k}, {@code Q}, the activation bits ({@code n×⌈m/32⌉}
 * words), the residual {@code e}, the partial outputs, the norm-growth check, the stop-rule state and a
 * loss buffer of {@link #chunk()} steps; the inputs {@code X}, {@code y} are stored once for the pack.
 * Nothing of size {@code n×m} in floating point is stored for training; the instruments' kernel products
 * ({@link #kernelProducts(int)}) take a scratch {@code P} of one trial ({@code n×m}) and {@code 4 n²} for
 * the products, allocated the first time an instrument asks.
 */
public final class CudaPackDevice implements PackDevice {
    /** Steps of losses held on the device between two reads. */
    public static final int DEFAULT_CHUNK = 64;

    /** Which tile sizes the launches use. */
    public enum TilePolicy { AUTO, SMALL, LARGE }

    private final GpuApi gpu;
    private final Pack pack;
    private final Precision precision;
    private final KernelAbi.Math math;
    private final KernelAbi.Tile forwardTile;
    private final KernelAbi.Tile backwardTile;
    private final TilePolicy tiles;
    private final int size;
    private final int n;
    private final int d;
    private final int m;
    private final int chunk;
    private final String forwardKernel;
    private final String backwardKernel;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final DeviceBuffer x;
    private final DeviceBuffer y;
    private final DeviceBuffer v;
    private final DeviceBuffer g;
    private final DeviceBuffer c;
    private final DeviceBuffer scale;
    private final DeviceBuffer norm;
    private final DeviceBuffer q;
    private final DeviceBuffer bits;
    private final DeviceBuffer partial;
    private final DeviceBuffer e;
    private final DeviceBuffer forwardCounter;
    private final DeviceBuffer backwardCounter;
    private final DeviceBuffer istate;
    private final DeviceBuffer dstate;
    private final DeviceBuffer growth;
    private final DeviceBuffer losses;
    /** Instruments' scratch, allocated on first use: P of one trial (n×m) and its products (4 n×n). */
    private DeviceBuffer preact;
    private DeviceBuffer products;

    /** Allocates the pack's buffers on {@code gpu} and uploads its inputs and initial parameters. */
    public CudaPackDevice(GpuApi gpu, Pack pack, Precision precision, KernelAbi.Math math, TilePolicy tiles, int chunk) {
        if (precision == Precision.FLOAT32 && math == KernelAbi.Math.TENSOR) {
            math = KernelAbi.Math.FMA; // float32 has no FP64 tensor-core path
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.gpu = gpu;
        this.pack = pack;
        this.precision = precision;
        this.math = math;
        this.size = pack.size();
        this.n = pack.shape().n();
        this.d = pack.shape().d();
        this.m = pack.shape().m();
        this.chunk = chunk;
        this.forwardTile = tile(tiles, n, m, size, gpu.multiprocessors());
        this.backwardTile = tile(tiles, m, d, size, gpu.multiprocessors());
        this.tiles = tiles;
        this.forwardKernel = KernelAbi.forwardKernel(precision, math, forwardTile);
        this.backwardKernel = KernelAbi.backwardKernel(precision, math, backwardTile);
        int t = precision.bytes();
        long md = (long) m * d;
        try {
            x = alloc((long) n * d * t);
            y = alloc((long) n * t);
            v = alloc(size * md * t);
            g = alloc((long) size * m * t);
            c = alloc((long) size * m * t);
            scale = alloc((long) size * m * t);
            norm = alloc((long) size * m * t);
            q = alloc(size * md * t);
            bits = alloc((long) size * n * words(m) * 4L);
            partial = alloc((long) size * ceil(m, forwardTile.bn) * n * t);
            e = alloc((long) size * n * t);
            forwardCounter = alloc(size * 4L);
            backwardCounter = alloc((long) size * ceil(m, backwardTile.bm) * 4L);
            istate = alloc((long) size * KernelAbi.ISTATE_WIDTH * 4L);
            dstate = alloc((long) size * KernelAbi.DSTATE_WIDTH * 8L);
            growth = alloc((long) size * m * 8L);
            losses = alloc((long) size * chunk * 8L);
            upload();
        } catch (RuntimeException | Error ex) {
            close();
            throw ex;
        }
    }

    /** A factory for packs on {@code gpu}. */
    public static PackDevice.Factory on(GpuApi gpu, Precision precision, KernelAbi.Math math) {
        return p -> new CudaPackDevice(gpu, p, precision, math, TilePolicy.AUTO, DEFAULT_CHUNK);
    }

    /**
     * The tile for an output of {@code rows×cols} per trial: the large one when it fills the device
     * (at least two 128×128 blocks per multiprocessor over the pack), else the small one.
     */
    public static KernelAbi.Tile tile(TilePolicy policy, int rows, int cols, int packSize, int multiprocessors) {
        return switch (policy) {
            case SMALL -> KernelAbi.Tile.SMALL;
            case LARGE -> KernelAbi.Tile.LARGE;
            case AUTO -> {
                KernelAbi.Tile large = KernelAbi.Tile.LARGE;
                long blocks = (long) ceil(rows, large.bm) * ceil(cols, large.bn) * packSize;
                yield rows >= large.bm && cols >= large.bn && blocks >= 2L * multiprocessors ? large : KernelAbi.Tile.SMALL;
            }
        };
    }

    /** Device bytes a pack of {@code size} trials of this shape needs (an upper bound over tile choices). */
    public static long bytesNeeded(int size, int n, int d, int m, Precision precision, int chunk) {
        long t = precision.bytes();
        long perTrial = 2L * m * d * t + 4L * m * t + (long) n * words(m) * 4L
                + (long) ceil(m, KernelAbi.Tile.SMALL.bn) * n * t + n * t + 4L + ceil(m, KernelAbi.Tile.SMALL.bm) * 4L
                + KernelAbi.ISTATE_WIDTH * 4L + KernelAbi.DSTATE_WIDTH * 8L + m * 8L + chunk * 8L;
        return (long) n * d * t + n * t + size * perTrial;
    }

    private static int words(int m) {
        return (m + 31) / 32;
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    private DeviceBuffer alloc(long bytes) {
        DeviceBuffer buf = gpu.alloc(Math.max(bytes, 8));
        buffers.add(buf);
        return buf;
    }

    private void upload() {
        gpu.upload(x, 0, encode(pack.data().x()));
        gpu.upload(y, 0, encode(pack.data().y()));
        int[] is = new int[size * KernelAbi.ISTATE_WIDTH];
        double[] ds = new double[size * KernelAbi.DSTATE_WIDTH];
        for (int b = 0; b < size; b++) {
            TrialSpec spec = pack.trials().get(b);
            double[] theta = pack.theta0()[b];
            long md = (long) m * d;
            gpu.upload(v, b * md * precision.bytes(), encode(theta, 0, (int) md));
            double[] gain = spec.model() == ModelKind.WN ? java.util.Arrays.copyOfRange(theta, (int) md, (int) md + m) : new double[m];
            long row = (long) b * m * precision.bytes();
            gpu.upload(g, row, encode(gain));
            gpu.upload(c, row, encode(pack.signs()[b]));
            double[][] ns = pack.initialNormsAndScales(b);
            gpu.upload(norm, row, encode(ns[0]));
            gpu.upload(scale, row, encode(ns[1]));
            is[b * KernelAbi.ISTATE_WIDTH + KernelAbi.ISTATE_STATUS] = KernelAbi.STATUS_RUNNING;
            is[b * KernelAbi.ISTATE_WIDTH + KernelAbi.ISTATE_MAX_STEPS] = spec.steps();
            ds[b * KernelAbi.DSTATE_WIDTH + KernelAbi.DSTATE_TOLERANCE] = spec.tolerance();
            ds[b * KernelAbi.DSTATE_WIDTH + KernelAbi.DSTATE_ETA] = spec.stepSize();
        }
        ByteBuffer isb = direct(is.length * 4L);
        isb.asIntBuffer().put(is);
        gpu.upload(istate, 0, isb);
        ByteBuffer dsb = direct(ds.length * 8L);
        dsb.asDoubleBuffer().put(ds);
        gpu.upload(dstate, 0, dsb);
        gpu.fill32(growth, 0, (long) size * m * 2);
        gpu.fill32(forwardCounter, 0, size);
        gpu.fill32(backwardCounter, 0, (long) size * ceil(m, backwardTile.bm));
    }

    @Override
    public int chunk() {
        return chunk;
    }

    @Override
    public void forward(int step, int slot) {
        if (slot < 0 || slot >= chunk) {
            throw new IllegalArgumentException("slot " + slot + " outside the loss buffer of " + chunk);
        }
        KernelArgs args = KernelArgs.of(forwardKernel, KernelAbi.FORWARD)
                .pointer(x).i64(0).pointer(y).i64(0).pointer(v).pointer(scale)
                .pointer(bits).pointer(partial).pointer(e)
                .pointer(forwardCounter).pointer(istate).pointer(dstate).pointer(losses)
                .i32(chunk).i32(slot).i32(step).f64(pack.divergenceFactor())
                .i32(n).i32(d).i32(m);
        gpu.launch(args, new int[] {ceil(m, forwardTile.bn), ceil(n, forwardTile.bm), size},
                new int[] {forwardTile.threads(), 1, 1});
    }

    @Override
    public void backward() {
        KernelArgs args = KernelArgs.of(backwardKernel, KernelAbi.BACKWARD)
                .pointer(x).i64(0).pointer(bits).pointer(e)
                .pointer(v).pointer(g).pointer(c).pointer(scale).pointer(norm).pointer(q)
                .pointer(growth).pointer(backwardCounter).pointer(istate).pointer(dstate)
                .f64(1.0 / Math.sqrt(m))
                .i32(pack.shape().model() == ModelKind.WN ? KernelAbi.MODEL_WN : KernelAbi.MODEL_RELU)
                .i32(n).i32(d).i32(m);
        gpu.launch(args, new int[] {ceil(d, backwardTile.bn), ceil(m, backwardTile.bm), size},
                new int[] {backwardTile.threads(), 1, 1});
    }

    @Override
    public double[][] losses(int count) {
        ByteBuffer buf = direct((long) size * chunk * 8L);
        gpu.download(losses, 0, buf);
        buf.rewind();
        double[][] out = new double[size][count];
        for (int b = 0; b < size; b++) {
            for (int s = 0; s < count; s++) {
                out[b][s] = buf.getDouble((b * chunk + s) * 8);
            }
        }
        return out;
    }

    @Override
    public TrialState[] states() {
        ByteBuffer buf = direct((long) size * KernelAbi.ISTATE_WIDTH * 4L);
        gpu.download(istate, 0, buf);
        TrialState[] out = new TrialState[size];
        for (int b = 0; b < size; b++) {
            int status = buf.getInt((b * KernelAbi.ISTATE_WIDTH + KernelAbi.ISTATE_STATUS) * 4);
            int stop = buf.getInt((b * KernelAbi.ISTATE_WIDTH + KernelAbi.ISTATE_STOP_STEP) * 4);
            out[b] = new TrialState(status(status), stop);
        }
        return out;
    }

    private static Status status(int code) {
        return switch (code) {
            case KernelAbi.STATUS_RUNNING -> Status.RUNNING;
            case KernelAbi.STATUS_CONVERGED -> Status.CONVERGED;
            case KernelAbi.STATUS_MAX_STEPS -> Status.MAX_STEPS;
            case KernelAbi.STATUS_DIVERGED -> Status.DIVERGED;
            default -> throw new IllegalStateException("unknown trial status " + code + " on the device");
        };
    }

    @Override
    public double[] parameters(int b) {
        int md = m * d;
        boolean wn = pack.shape().model() == ModelKind.WN;
        double[] theta = new double[wn ? md + m : md];
        double[] vs = download(v, (long) b * md, md);
        System.arraycopy(vs, 0, theta, 0, md);
        if (wn) {
            System.arraycopy(download(g, (long) b * m, m), 0, theta, md, m);
        }
        return theta;
    }

    @Override
    public double normGrowthError(int b) {
        ByteBuffer buf = direct(m * 8L);
        gpu.download(growth, (long) b * m * 8L, buf);
        double worst = 0;
        for (int k = 0; k < m; k++) {
            double err = buf.getDouble(k * 8);
            if (Double.isNaN(err)) {
                return err;
            }
            worst = Math.max(worst, err);
        }
        return worst;
    }

    /** Trial {@code b}'s kernel products, formed on this device ({@link CudaKernelProducts}). */
    @Override
    public Optional<KernelProducts> kernelProducts(int b) {
        return Optional.of(new CudaKernelProducts(this, b));
    }

    /**
     * The kernel products of trial {@code b} at its current parameters: {@code S Sᵀ} for relu; {@code S Sᵀ},
     * {@code S ω Sᵀ}, {@code A Aᵀ}, {@code A ω Aᵀ} for wn with init scale {@code alpha}. Two launches (P, then
     * the products), each product downloaded as {@code n×n} doubles.
     *
     * @throws CudaException if the scratch buffers do not fit ({@link CudaException#outOfMemory()}) or a launch fails
     */
    double[][] kernelProducts(int b, double alpha) {
        if (b < 0 || b >= size) {
            throw new IndexOutOfBoundsException("trial " + b + " of a pack of " + size);
        }
        boolean wn = pack.shape().model() == ModelKind.WN;
        int count = KernelAbi.products(wn);
        int t = precision.bytes();
        if (products == null) {
            DeviceBuffer p = alloc((long) n * m * t);
            try {
                products = alloc(4L * n * n * t);
            } catch (RuntimeException e) {
                buffers.remove(p);
                p.close();
                throw e;
            }
            preact = p;
        }
        KernelAbi.Tile preTile = tile(tiles, n, m, 1, gpu.multiprocessors());
        KernelArgs pre = KernelArgs.of(KernelAbi.preactKernel(precision, math, preTile), KernelAbi.PREACT)
                .pointer(x).pointer(v).pointer(preact).i32(b).i32(n).i32(d).i32(m);
        gpu.launch(pre, new int[] {ceil(m, preTile.bn), ceil(n, preTile.bm), 1}, new int[] {preTile.threads(), 1, 1});
        KernelAbi.Tile prodTile = tile(tiles, n, n, count, gpu.multiprocessors());
        KernelArgs prod = KernelArgs.of(KernelAbi.productsKernel(precision, math, prodTile), KernelAbi.PRODUCTS)
                .pointer(preact).pointer(g).pointer(norm).pointer(products).f64(alpha).i32(b).i32(n).i32(m);
        gpu.launch(prod, new int[] {ceil(n, prodTile.bn), ceil(n, prodTile.bm), count}, new int[] {prodTile.threads(), 1, 1});
        double[][] out = new double[count][];
        for (int p = 0; p < count; p++) {
            out[p] = download(products, (long) p * n * n, n * n);
        }
        return out;
    }

    @Override
    public void stop(int b) {
        ByteBuffer buf = direct(4);
        buf.putInt(0, KernelAbi.STATUS_DIVERGED);
        gpu.upload(istate, (long) b * KernelAbi.ISTATE_WIDTH * 4L, buf);
    }

    @Override
    public String device() {
        return gpu.device();
    }

    /** The kernels this pack launches at every step (forward, backward). */
    public List<String> kernels() {
        return List.of(forwardKernel, backwardKernel);
    }

    @Override
    public void close() {
        for (int i = buffers.size() - 1; i >= 0; i--) {
            buffers.get(i).close();
        }
        buffers.clear();
    }

    private double[] download(DeviceBuffer src, long firstValue, int count) {
        int t = precision.bytes();
        ByteBuffer buf = direct((long) count * t);
        gpu.download(src, firstValue * t, buf);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = precision == Precision.FLOAT64 ? buf.getDouble(i * 8) : buf.getFloat(i * 4);
        }
        return out;
    }

    private ByteBuffer encode(double[] a) {
        return encode(a, 0, a.length);
    }

    private ByteBuffer encode(double[] a, int from, int count) {
        ByteBuffer buf = direct((long) count * precision.bytes());
        for (int i = 0; i < count; i++) {
            if (precision == Precision.FLOAT64) {
                buf.putDouble(i * 8, a[from + i]);
            } else {
                buf.putFloat(i * 4, (float) a[from + i]);
            }
        }
        return buf;
    }

    static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a transfer of " + bytes + " bytes is too large for one buffer");
        }
        return ByteBuffer.allocateDirect((int) Math.max(bytes, 1)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
