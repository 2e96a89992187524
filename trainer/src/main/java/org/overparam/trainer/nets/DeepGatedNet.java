package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.rng.RandomStream;

/**
 * The deep networks of paper 002 (theory.md §4): on example {@code i},
 * {@code f(x_i) = B D_L^i W_L ⋯ D_1^i W_1 D_0^i C x_i} (eq. 1) with fixed {@code C ~ N(0, 2/d_x)}
 * ({@code m×d_x}), {@code B ~ N(0, 2/d_y)} ({@code d_y×m}), trained {@code W_k ~ N(0, 2/m)} ({@code m×m},
 * {@code k = 1..L}) and 0/1 gates {@code D_k^i}; loss {@code ½ Σ_i ‖f(x_i) − y_i‖²} (eq. 2 with
 * {@code y_i = Φ_i x_i}), or with {@link Loss#SQUARED_HINGE} ({@code d_y = 1}, labels ±1)
 * {@code ½ Σ_i max(0, 1 − y_i f(x_i))²}, whose residual {@code −y_i max(0, 1 − y_i f_i)} takes the place of
 * {@code f_i − y_i} in back-propagation. {@link GReluNet} takes its gates from a fixed random path, {@link DeepReluNet}
 * from its own pre-activations (ordinary ReLU). {@code D_0 = 1{C x > 0}} for both, so
 * {@code D_0 C x = [C x]⁺}. Both draw {@code C, B, W_k} alike from the trial seed, so the two start from the
 * same weights.
 *
 * <p>With examples as rows, {@code H_0 = D_0 ∘ (X Cᵀ)}, {@code H_k = D_k ∘ (H_{k−1} W_kᵀ)}, {@code F = H_L Bᵀ};
 * back-propagation {@code G_L = D_L ∘ (E B)}, {@code ∇W_k = G_kᵀ H_{k−1}},
 * {@code G_{k−1} = D_{k−1} ∘ (G_k W_k)}: all matrix products by BLAS. Parameters flatten as
 * {@code W_1, …, W_L}, each row-major. A step updates layer by layer (only one {@code m×m} gradient buffer);
 * with {@link #trackGradientChange()} it also keeps the previous step's gradient to report
 * {@code ‖g_t − g_{t−1}‖} (paper 002 Sec. 6.3).
 */
public abstract sealed class DeepGatedNet implements TrainableNet permits GReluNet, DeepReluNet {
    protected final int n;
    protected final int dx;
    protected final int dy;
    protected final int m;
    protected final int depth;
    protected final RowMajorBlas blas;
    protected final Loss loss;
    protected final double[] x;
    protected final double[] y;
    protected final double[] c;
    protected final double[] b;
    protected final double[][] w;
    /** {@code H_0 … H_L}, each {@code n×m}. */
    protected final double[][] h;
    /** Gates {@code D_0 … D_L} on the training set, each {@code n×m}. */
    protected final boolean[][] gates;
    private final double[] f;
    private final double[] e;
    private final double[] gradBuffer;
    private double[] gCur;
    private double[] gNext;
    private double[][] previousGradient;
    private double gradientChange = Double.NaN;
    private boolean forwardDone;

    protected DeepGatedNet(Dataset data, long seed, int m, int depth, RowMajorBlas blas, Loss loss) {
        this(data, checkedWidth(m, depth), depth, blas, loss,
                gaussian("init/deep/C", seed, m * data.d(), Math.sqrt(2.0 / data.d()), data.d(), m),
                gaussian("init/deep/B", seed, data.dy() * m, Math.sqrt(2.0 / data.dy()), data.dy(), m),
                layers(seed, m, depth));
    }

    /** A net with the given fixed layers {@code C}, {@code B} and trained layers {@code W_1 … W_L} (copied). */
    protected DeepGatedNet(Dataset data, double[] c, double[] b, double[][] w, RowMajorBlas blas, Loss loss) {
        this(data, checkedWidth(b.length / data.dy(), w.length), w.length, blas, loss, c.clone(), b.clone(), copy(w));
    }

    private static int checkedWidth(int m, int depth) {
        if (depth < 1 || m < 1) {
            throw new IllegalArgumentException("need L >= 1 and m >= 1, got L=" + depth + ", m=" + m);
        }
        if ((long) m * m > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an m×m layer with m=" + m + " exceeds the largest Java array");
        }
        return m;
    }

    private static double[][] layers(long seed, int m, int depth) {
        double[][] w = new double[depth][];
        for (int k = 0; k < depth; k++) {
            w[k] = gaussian("init/deep/W" + (k + 1), seed, m * m, Math.sqrt(2.0 / m), m, m);
        }
        return w;
    }

    private static double[][] copy(double[][] w) {
        double[][] out = new double[w.length][];
        for (int k = 0; k < w.length; k++) {
            out[k] = w[k].clone();
        }
        return out;
    }

    private DeepGatedNet(Dataset data, int m, int depth, RowMajorBlas blas, Loss loss, double[] c, double[] b, double[][] w) {
        loss.requireTargets(data.y(), data.dy());
        this.loss = loss;
        this.n = data.n();
        this.dx = data.d();
        this.dy = data.dy();
        this.m = m;
        this.depth = depth;
        this.blas = blas;
        this.x = data.x();
        this.y = data.y();
        this.c = c;
        this.b = b;
        this.w = w;
        if (c.length != m * dx || b.length != dy * m) {
            throw new IllegalArgumentException("C must be " + m + "×" + dx + " and B " + dy + "×" + m);
        }
        for (double[] wk : w) {
            if (wk.length != m * m) {
                throw new IllegalArgumentException("each W_k must be " + m + "×" + m);
            }
        }
        this.h = new double[depth + 1][];
        this.gates = new boolean[depth + 1][];
        for (int k = 0; k <= depth; k++) {
            h[k] = new double[Math.multiplyExact(n, m)];
            gates[k] = new boolean[n * m];
        }
        this.f = new double[n * dy];
        this.e = new double[n * dy];
        this.gradBuffer = new double[m * m];
        this.gCur = new double[n * m];
        this.gNext = new double[n * m];
        // D_0 = 1{C x > 0} for both nets.
        blas.timesTransposed(n, m, dx, x, c, h[0]);
        for (int t = 0; t < n * m; t++) {
            gates[0][t] = h[0][t] > 0;
            if (!gates[0][t]) {
                h[0][t] = 0.0;
            }
        }
    }

    /** An {@code rows×cols} matrix of {@code N(0, scale²)} entries from its own stream. */
    protected static double[] gaussian(String purpose, long seed, int len, double scale, int rows, int cols) {
        RandomStream rng = RandomStream.of(purpose, seed, rows, cols);
        double[] out = new double[len];
        rng.fillGaussian(out, 0, len);
        for (int i = 0; i < len; i++) {
            out[i] *= scale;
        }
        return out;
    }

    /**
     * The bytes a net of this shape holds (weights, features, gates, buffers, the previous gradient when
     * tracked, and one more {@code m×m} for the gate path or the GReLU→ReLU conversion), to refuse a trial
     * that cannot fit before allocating it.
     */
    public static long estimateBytes(int n, int dx, int dy, int m, int depth, boolean trackGradient) {
        double mm = (double) m * m;
        double doubles = depth * mm * (trackGradient ? 2 : 1) + 2 * mm
                + (depth + 4.0) * n * (double) m + (double) m * (dx + dy) + (double) n * (dx + 2.0 * dy);
        double bytes = 8 * doubles + (depth + 1.0) * n * m;
        return bytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) bytes;
    }

    /** Sets the gates {@code D_1 … D_L} from the pre-activations {@code z = H_{k−1} W_kᵀ} of layer k (in {@code z}). */
    protected abstract void gate(int k, double[] z);

    /** Starts keeping the previous gradient for {@link #gradientChange()} (one more copy of the weights). */
    public void trackGradientChange() {
        if (previousGradient == null) {
            previousGradient = new double[depth][];
        }
    }

    /** {@code ‖g_t − g_{t−1}‖} between the gradients of the last two steps (NaN before two steps were taken). */
    public double gradientChange() {
        return gradientChange;
    }

    @Override
    public double forward() {
        for (int k = 1; k <= depth; k++) {
            double[] z = h[k];
            blas.timesTransposed(n, m, m, h[k - 1], w[k - 1], z);
            gate(k, z);
            boolean[] g = gates[k];
            for (int t = 0; t < z.length; t++) {
                if (!g[t]) {
                    z[t] = 0.0;
                }
            }
        }
        blas.timesTransposed(n, dy, m, h[depth], b, f);
        double sum = 0;
        if (loss == Loss.SQUARED_HINGE) {
            for (int t = 0; t < f.length; t++) {
                double r = 1.0 - y[t] * f[t];
                e[t] = r > 0 ? -y[t] * r : 0.0;
                sum += r > 0 ? r * r : 0.0;
            }
        } else {
            for (int t = 0; t < f.length; t++) {
                e[t] = f[t] - y[t];
                sum += e[t] * e[t];
            }
        }
        forwardDone = true;
        return 0.5 * sum;
    }

    /** Back-propagates from the last forward, handing each layer's gradient to {@code sink} from L down to 1. */
    private void backward(LayerSink sink) {
        if (!forwardDone) {
            throw new IllegalStateException("forward() must run before the gradient is taken");
        }
        blas.times(n, dy, m, e, b, gCur);
        mask(gCur, gates[depth]);
        for (int k = depth; k >= 1; k--) {
            blas.transposedTimes(n, m, m, gCur, h[k - 1], gradBuffer);
            if (k > 1) {
                blas.times(n, m, m, gCur, w[k - 1], gNext);
                mask(gNext, gates[k - 1]);
            }
            sink.accept(k, gradBuffer);
            double[] t = gCur;
            gCur = gNext;
            gNext = t;
        }
    }

    private interface LayerSink {
        void accept(int layer, double[] grad);
    }

    private static void mask(double[] a, boolean[] g) {
        for (int t = 0; t < a.length; t++) {
            if (!g[t]) {
                a[t] = 0.0;
            }
        }
    }

    @Override
    public void step(double eta) {
        double[] change = {0.0};
        boolean havePrevious = previousGradient != null && previousGradient[0] != null;
        backward((k, grad) -> {
            if (previousGradient != null) {
                double[] prev = previousGradient[k - 1];
                if (prev == null) {
                    previousGradient[k - 1] = grad.clone();
                } else {
                    double s = 0;
                    for (int t = 0; t < grad.length; t++) {
                        double diff = grad[t] - prev[t];
                        s += diff * diff;
                        prev[t] = grad[t];
                    }
                    change[0] += s;
                }
            }
            double[] wk = w[k - 1];
            for (int t = 0; t < wk.length; t++) {
                wk[t] -= eta * grad[t];
            }
        });
        if (previousGradient != null) {
            gradientChange = havePrevious ? Math.sqrt(change[0]) : Double.NaN;
        }
        forwardDone = false;
    }

    @Override
    public double[] gradient() {
        double[] out = new double[depth * m * m];
        backward((k, grad) -> System.arraycopy(grad, 0, out, (k - 1) * m * m, m * m));
        return out;
    }

    @Override
    public double[] parameters() {
        double[] out = new double[depth * m * m];
        for (int k = 0; k < depth; k++) {
            System.arraycopy(w[k], 0, out, k * m * m, m * m);
        }
        return out;
    }

    @Override
    public void setParameters(double[] theta) {
        if (theta.length != depth * m * m) {
            throw new IllegalArgumentException("expected " + (depth * m * m) + " parameters, got " + theta.length);
        }
        for (int k = 0; k < depth; k++) {
            System.arraycopy(theta, k * m * m, w[k], 0, m * m);
        }
        forwardDone = false;
    }

    @Override
    public double[] outputs() {
        return f.clone();
    }

    /**
     * The outputs on {@code rows} other inputs {@code x} ({@code rows×d_x}) at the current weights
     * ({@code rows×d_y}), with the gates each net takes on those inputs ({@link #testGates}).
     */
    public double[] predict(double[] x, int rows) {
        double[] hk = new double[rows * m];
        blas.timesTransposed(rows, m, dx, x, c, hk);
        for (int t = 0; t < hk.length; t++) {
            hk[t] = Math.max(0.0, hk[t]);
        }
        boolean[][] fixed = testGates(x, rows);
        double[] next = new double[rows * m];
        for (int k = 1; k <= depth; k++) {
            blas.timesTransposed(rows, m, m, hk, w[k - 1], next);
            boolean[] g = fixed == null ? null : fixed[k];
            for (int t = 0; t < next.length; t++) {
                boolean on = g != null ? g[t] : gateOn(k, next[t]);
                if (!on) {
                    next[t] = 0.0;
                }
            }
            double[] swap = hk;
            hk = next;
            next = swap;
        }
        double[] out = new double[rows * dy];
        blas.timesTransposed(rows, dy, m, hk, b, out);
        return out;
    }

    /** The gates {@code D_1 … D_L} (index 1..L) of inputs {@code x} when they do not depend on the weights (GReLU), else null. */
    protected abstract boolean[][] testGates(double[] x, int rows);

    /** Whether the gate of a pre-activation {@code z} of layer {@code k} is on, for nets whose gates follow the weights. */
    protected abstract boolean gateOn(int k, double z);

    /** The training set this net was built on. */
    Dataset dataset() {
        return new Dataset(n, dx, x, y, dy);
    }

    /** The mean squared error {@code Σ_i ‖f(x_i) − y_i‖²/(n d_y)} of the last forward (whatever the loss trained). */
    public double meanSquaredError() {
        double s = 0;
        if (loss == Loss.SQUARED_HINGE) {
            for (int t = 0; t < f.length; t++) {
                double v = f[t] - y[t];
                s += v * v;
            }
        } else {
            for (double v : e) {
                s += v * v;
            }
        }
        return s / e.length;
    }

    /** The loss this net trains on. */
    public Loss loss() {
        return loss;
    }

    /** The training targets ({@code n×d_y}). A copy. */
    public double[] targets() {
        return y.clone();
    }

    /** The fixed input layer {@code C} ({@code m×d_x}). A copy. */
    public double[] inputLayer() {
        return c.clone();
    }

    /** The fixed output layer {@code B} ({@code d_y×m}). A copy. */
    public double[] outputLayer() {
        return b.clone();
    }

    /** The gated features {@code H_k} ({@code n×m}) of the last forward, {@code k = 0..L}. A copy. */
    public double[] features(int k) {
        return h[k].clone();
    }

    /** The gates {@code D_k} ({@code n×m}) of the last forward, {@code k = 0..L}. A copy. */
    public boolean[] gatePattern(int k) {
        return gates[k].clone();
    }

    public int width() {
        return m;
    }

    public int depth() {
        return depth;
    }

    /** The training inputs ({@code n×d_x}). A copy. */
    public double[] inputs() {
        return x.clone();
    }

    public int examples() {
        return n;
    }

    public int inputDimension() {
        return dx;
    }

    public int outputDimension() {
        return dy;
    }

    /** The shape, for messages. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(n=" + n + ", d_x=" + dx + ", d_y=" + dy + ", m=" + m + ", L=" + depth
                + ")";
    }
}
