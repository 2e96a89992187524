package org.overparam.trainer.model;

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
 */
public final class WeightNormNet extends TwoLayerReluNet {
    private final double alpha;
    private final double[] v;
    private final double[] g;
    private final double[] norm;

    public WeightNormNet(Dataset data, InitialDraws init, double alpha, RowMajorBlas blas) {
        super(data, init.c(), blas);
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

    @Override
    protected void update(double eta) {
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
