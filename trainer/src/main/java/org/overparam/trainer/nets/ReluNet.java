package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@code relu}: {@code f(x) = m^{-1/2} Σ_k c_k σ(w_k·x)} with {@code w_k(0) ~ N(0, I)}, {@code c_k ~ U{±1}}
 * fixed, {@code W} trained (Du et al. 2019; theory.md §1). Gradient
 * {@code ∇_{w_k} L = m^{-1/2} c_k Σ_i e_i 1_ik x_i}. Parameters flatten as {@code W} row-major.
 */
public final class ReluNet extends TwoLayerReluNet {
    private final double[] w;

    public ReluNet(Dataset data, InitialDraws init, RowMajorBlas blas) {
        this(data, init, blas, Loss.MSE);
    }

    /** A net trained on {@code loss}. */
    public ReluNet(Dataset data, InitialDraws init, RowMajorBlas blas, Loss loss) {
        super(data, init.c(), blas, loss);
        if (init.d() != data.d()) {
            throw new IllegalArgumentException("init has d=" + init.d() + ", data has d=" + data.d());
        }
        this.w = init.z().clone();
    }

    @Override
    protected double[] directions() {
        return w;
    }

    @Override
    protected void computeScales() {
        for (int k = 0; k < m; k++) {
            scale[k] = c[k] * invSqrtM;
        }
    }

    @Override
    protected void update(double eta) {
        for (int k = 0; k < m; k++) {
            double a = eta * scale[k];
            int row = k * d;
            for (int j = 0; j < d; j++) {
                w[row + j] -= a * q[row + j];
            }
        }
    }

    @Override
    protected double[] assembleGradient() {
        double[] grad = new double[m * d];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < d; j++) {
                grad[k * d + j] = scale[k] * q[k * d + j];
            }
        }
        return grad;
    }

    @Override
    public double[] parameters() {
        return w.clone();
    }

    @Override
    public void setParameters(double[] theta) {
        if (theta.length != w.length) {
            throw new IllegalArgumentException("expected " + w.length + " parameters, got " + theta.length);
        }
        System.arraycopy(theta, 0, w, 0, w.length);
        invalidate();
    }

    /** A copy of {@code W} ({@code m×d}, row-major). */
    public double[] weights() {
        return w.clone();
    }

    @Override
    public double[] effectiveWeights() {
        return w.clone();
    }
}
