package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The shared shape of {@code relu} and {@code wn}: {@code f(x_i) = Σ_k s_k σ(u_ik)} with
 * pre-activations {@code u_ik = w_k·x_i} of a direction matrix {@code W} ({@code m×d}) and per-neuron
 * output scales {@code s_k}. Both passes are two matrix products ({@code P = X Wᵀ}, then
 * {@code Q = (e ∘ 1)ᵀ X}); the {@code n×m} buffer of pre-activations is reused in place for
 * {@code e ∘ 1}, so the net stores it once. The residual {@code e} is {@code f − y} for the MSE and
 * {@code −y max(0, 1 − y f)} for the squared hinge ({@link Loss}); nothing else depends on the loss.
 */
public abstract sealed class TwoLayerReluNet implements TrainableNet permits ReluNet, WeightNormNet {
    protected final Dataset data;
    protected final int n;
    protected final int d;
    protected final int m;
    protected final double[] c;
    protected final double invSqrtM;
    private final RowMajorBlas blas;
    private final ReluRows rows = ReluRows.best();
    private final boolean hinge;

    /** {@code n×m}: pre-activations during forward, {@code e_i 1_ik} after it. */
    private final double[] pre;
    /** {@code m×d}: {@code Q_k = Σ_i e_i 1_ik x_i}. */
    protected final double[] q;
    /** Scratch of {@link #q}'s size for the product that forms it. */
    private final double[] qScratch;
    /** {@code h_k = Σ_i e_i σ(u_ik)}. */
    protected final double[] h;
    protected final double[] scale;
    /** Outputs and residuals of the last forward (written by {@link ReluNetPack} where nets are packed). */
    final double[] f;
    final double[] e;
    private boolean forwardDone;
    private boolean backpropDone;

    TwoLayerReluNet(Dataset data, double[] c, RowMajorBlas blas, Loss loss) {
        loss.requireTargets(data.y(), data.dy());
        this.hinge = loss == Loss.SQUARED_HINGE;
        this.data = data;
        this.n = data.n();
        this.d = data.d();
        this.m = c.length;
        this.c = c.clone();
        this.invSqrtM = 1.0 / Math.sqrt(m);
        this.blas = blas;
        this.pre = new double[Math.multiplyExact(n, m)];
        this.q = new double[Math.multiplyExact(m, d)];
        this.qScratch = new double[m * d];
        this.h = new double[m];
        this.scale = new double[m];
        this.f = new double[n];
        this.e = new double[n];
    }

    /** The {@code m×d} matrix whose rows give the pre-activations. */
    protected abstract double[] directions();

    /**
     * The effective first-layer weights {@code w_k} ({@code m×d}, row-major), such that
     * {@code f(x) = m^{-1/2} Σ_k c_k σ(w_k·x)}: {@code W} for relu, {@code g_k v_k/‖v_k‖} for wn. A copy.
     */
    public abstract double[] effectiveWeights();

    /** The training set the net is bound to. */
    public Dataset data() {
        return data;
    }

    /** The loss the net trains on. */
    public Loss loss() {
        return hinge ? Loss.SQUARED_HINGE : Loss.MSE;
    }

    /** The fixed output signs {@code c_k}. A copy. */
    public double[] outputSigns() {
        return c.clone();
    }

    /**
     * Pre-activations {@code u_ik = x_i·(row k of the direction matrix)} at the current parameters
     * ({@code n×m}, row-major), computed afresh. Their signs are the activation pattern {@code 1_ik}.
     */
    public double[] preActivations() {
        double[] u = new double[n * m];
        blas.timesTransposed(n, m, d, data.x(), directions(), u);
        return u;
    }

    /** Fills {@link #scale} with {@code s_k} for the current parameters. */
    protected abstract void computeScales();

    /** Applies {@code θ ← θ − η∇L} from {@link #q}, {@link #h} and {@link #scale}. */
    protected abstract void update(double eta);

    /** Writes {@code ∇L} (flattened) from {@link #q}, {@link #h} and {@link #scale}. */
    protected abstract double[] assembleGradient();

    /** Called after parameters change outside of {@link #step}. */
    protected final void invalidate() {
        forwardDone = false;
        backpropDone = false;
    }

    /**
     * The loss at the current parameters. Row by row, while the row of pre-activations is still in cache,
     * it also does the elementwise half of the backward pass (turns the row into {@code e_i 1_ik} in place
     * and adds {@code e_i σ(u_ik)} to {@code h}), so that a step reads the {@code n×m} buffer from memory
     * once instead of three times; {@link #step} then needs only the product that forms {@code Q}.
     * The elementwise work runs four neurons at a time where the JVM allows ({@link ReluRows}: same bits
     * either way); {@code f_i} is summed in four interleaved partial sums, a fixed order.
     */
    @Override
    public final double forward() {
        computeScales();
        blas.timesTransposed(n, m, d, data.x(), directions(), pre);
        double[] y = data.y();
        java.util.Arrays.fill(h, 0.0);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * m;
            double fi = rows.output(pre, row, scale, m);
            f[i] = fi;
            double ei;
            if (hinge) {
                double r = 1.0 - y[i] * fi;
                ei = r > 0 ? -y[i] * r : 0.0;
                loss += r > 0 ? r * r : 0.0;
            } else {
                ei = fi - y[i];
                loss += ei * ei;
            }
            e[i] = ei;
            rows.backprop(pre, row, ei, h, m);
        }
        forwardDone = true;
        backpropDone = false;
        return 0.5 * loss;
    }

    /** {@link ReluNetPack}: the scales for the current parameters and {@code h} cleared, before a packed forward. */
    final void beginPackedForward() {
        computeScales();
        java.util.Arrays.fill(h, 0.0);
    }

    /** {@link ReluNetPack}: the direction matrix the pre-activations are formed from. */
    final double[] packedDirections() {
        return directions();
    }

    /**
     * {@link ReluNetPack}: a packed forward has written {@link #f}, {@link #e}, {@link #h} and {@link #q} as
     * {@link #forward()} and the gradient's product would; the net is in the state they leave.
     */
    final void endPackedForward() {
        forwardDone = true;
        backpropDone = true;
    }

    /** Whether the net trains on the squared hinge. */
    final boolean hinge() {
        return hinge;
    }

    /** Forms {@code Q = (e ∘ 1)ᵀ X} from the buffer {@link #forward} left (its elementwise half done there). */
    private void backprop() {
        if (backpropDone) {
            return;
        }
        if (!forwardDone) {
            throw new IllegalStateException("forward() must run before the gradient is taken");
        }
        blas.transposedTimes(n, m, d, pre, data.x(), q, qScratch);
        backpropDone = true;
    }

    @Override
    public final void step(double eta) {
        backprop();
        update(eta);
        invalidate();
    }

    @Override
    public final double[] gradient() {
        backprop();
        return assembleGradient();
    }

    @Override
    public final double[] outputs() {
        return f.clone();
    }

    /** Width {@code m}. */
    public int width() {
        return m;
    }
}
