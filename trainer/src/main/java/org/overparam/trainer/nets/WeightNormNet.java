package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@code wn}: {@code f(x) = m^{-1/2} Σ_k c_k σ(g_k v_k·x/‖v_k‖)} (Dukler, Gu, Montúfar eq. 1.2) with
 * init {@code v_k(0) = α z_k ~ N(0, α² I)}, {@code g_k(0) = ‖v_k(0)‖/α} (eq. 2.4), {@code c} fixed;
 * {@code V} and {@code g} trained (eq. 2.5; theory.md §2). With {@code s_k = c_k g_k/(√m ‖v_k‖)},
 * {@code h_k = Σ_i e_i σ(v_k·x_i)} and {@code Q_k = Σ_i e_i 1_ik x_i} (Sec. 3):
 * <pre>
 *   ∇_{v_k} L = s_k (Q_k − h_k v_k/‖v_k‖²)      (the projection of Q_k off v_k)
 *   ∇_{g_k} L = c_k h_k/(√m ‖v_k‖)
 * </pre>
 * Parameters flatten as {@code V} row-major ({@code m·d} values), then {@code g} ({@code m}).
 *
 * <p>The output is computed as {@code c_k g_k σ(v_k·x)/‖v_k‖}: equal to eq. 1.2's
 * {@code c_k σ(g_k v_k·x/‖v_k‖)} while {@code g_k ≥ 0} (always at init, {@code g_k(0) = ‖v_k(0)‖/α}),
 * and exactly the function whose gradients the paper's Sec. 3 and theory.md §2 state. A large step on a
 * narrow net can drive some {@code g_k} negative; the net then keeps following those gradients.
 */
public final class WeightNormNet extends TwoLayerReluNet {
    private final double alpha;
    private final double[] v;
    private final double[] g;
    private final double[] norm;
    private boolean trackNormGrowth;
    private double normGrowthError;

    public WeightNormNet(Dataset data, InitialDraws init, double alpha, RowMajorBlas blas) {
        this(data, init, alpha, blas, Loss.MSE);
    }

    /** A net trained on {@code loss}. */
    public WeightNormNet(Dataset data, InitialDraws init, double alpha, RowMajorBlas blas, Loss loss) {
        super(data, init.c(), blas, loss);
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive and finite, got " + alpha);
        }
        if (init.d() != data.d()) {
            throw new IllegalArgumentException("init has d=" + init.d() + ", data has d=" + data.d());
        }
        this.alpha = alpha;
        this.v = new double[m * d];
        this.g = new double[m];
        this.norm = new double[m];
        double[] z = init.z();
        for (int k = 0; k < m; k++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double vk = alpha * z[k * d + j];
                v[k * d + j] = vk;
                s += vk * vk;
            }
            g[k] = Math.sqrt(s) / alpha;
        }
    }

    /** The init scale α. */
    public double alpha() {
        return alpha;
    }

    @Override
    protected double[] directions() {
        return v;
    }

    @Override
    protected void computeScales() {
        for (int k = 0; k < m; k++) {
            double s = 0;
            int row = k * d;
            for (int j = 0; j < d; j++) {
                s += v[row + j] * v[row + j];
            }
            norm[k] = Math.sqrt(s);
            scale[k] = c[k] * g[k] * invSqrtM / norm[k];
        }
    }

    /**
     * Starts checking the GD norm-growth identity (theory.md eq. 2.3)
     * {@code ‖v_k(s+1)‖² = ‖v_k(s)‖² + η²‖∇_{v_k}L‖²} at every step (an extra O(md) per step).
     */
    public void trackNormGrowth() {
        this.trackNormGrowth = true;
    }

    /**
     * The largest violation of the norm-growth identity seen since {@link #trackNormGrowth()}, relative
     * to {@code ‖v_k(s+1)‖²}: {@code max_{s,k} |‖v_k(s+1)‖² − ‖v_k(s)‖² − η²‖∇_{v_k}L‖²| / ‖v_k(s+1)‖²}.
     */
    public double normGrowthError() {
        return normGrowthError;
    }

    /** {@code ‖v_k‖} for every neuron, computed afresh. */
    public double[] directionNorms() {
        double[] out = new double[m];
        for (int k = 0; k < m; k++) {
            out[k] = Math.sqrt(squaredNorm(v, k));
        }
        return out;
    }

    /** A copy of the gains {@code g}. */
    public double[] gains() {
        return g.clone();
    }

    /** A copy of the directions {@code V} ({@code m×d}, row-major). */
    public double[] directionsCopy() {
        return v.clone();
    }

    @Override
    public double[] effectiveWeights() {
        double[] w = new double[m * d];
        for (int k = 0; k < m; k++) {
            double scaleK = g[k] / Math.sqrt(squaredNorm(v, k));
            for (int j = 0; j < d; j++) {
                w[k * d + j] = scaleK * v[k * d + j];
            }
        }
        return w;
    }

    private double squaredNorm(double[] a, int k) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += a[k * d + j] * a[k * d + j];
        }
        return s;
    }

    @Override
    protected void update(double eta) {
        if (trackNormGrowth) {
            checkNormGrowth(eta);
            return;
        }
        applyUpdate(eta);
    }

    private void checkNormGrowth(double eta) {
        double[] before = new double[m];
        double[] gradNorm2 = new double[m];
        for (int k = 0; k < m; k++) {
            before[k] = norm[k] * norm[k];
            double proj = h[k] / before[k];
            double s = 0;
            for (int j = 0; j < d; j++) {
                double gj = scale[k] * (q[k * d + j] - proj * v[k * d + j]);
                s += gj * gj;
            }
            gradNorm2[k] = s;
        }
        applyUpdate(eta);
        for (int k = 0; k < m; k++) {
            double after = squaredNorm(v, k);
            double err = Math.abs(after - before[k] - eta * eta * gradNorm2[k]) / after;
            if (err > normGrowthError || Double.isNaN(err)) {
                normGrowthError = err;
            }
        }
    }

    private void applyUpdate(double eta) {
        for (int k = 0; k < m; k++) {
            double sk = scale[k];
            double proj = h[k] / (norm[k] * norm[k]);
            int row = k * d;
            for (int j = 0; j < d; j++) {
                v[row + j] -= eta * sk * (q[row + j] - proj * v[row + j]);
            }
            g[k] -= eta * c[k] * h[k] * invSqrtM / norm[k];
        }
    }

    @Override
    protected double[] assembleGradient() {
        double[] grad = new double[m * d + m];
        for (int k = 0; k < m; k++) {
            double sk = scale[k];
            double proj = h[k] / (norm[k] * norm[k]);
            int row = k * d;
            for (int j = 0; j < d; j++) {
                grad[row + j] = sk * (q[row + j] - proj * v[row + j]);
            }
            grad[m * d + k] = c[k] * h[k] * invSqrtM / norm[k];
        }
        return grad;
    }

    @Override
    public double[] parameters() {
        double[] theta = new double[m * d + m];
        System.arraycopy(v, 0, theta, 0, m * d);
        System.arraycopy(g, 0, theta, m * d, m);
        return theta;
    }

    @Override
    public void setParameters(double[] theta) {
        if (theta.length != m * d + m) {
            throw new IllegalArgumentException("expected " + (m * d + m) + " parameters, got " + theta.length);
        }
        System.arraycopy(theta, 0, v, 0, m * d);
        System.arraycopy(theta, m * d, g, 0, m);
        invalidate();
    }
}
