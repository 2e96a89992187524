package org.overparam.trainer.ntk;

import java.util.Arrays;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@link KernelProducts} on the CPU: each product by one {@code dsyrk} over an {@code n×m} operand filled
 * from the pre-activations (one work buffer reused for all four; {@link OperandFill}), never by loops over
 * pairs of neurons.
 */
public final class BlasKernelProducts implements KernelProducts {
    private final RowMajorBlas blas;
    private final OperandFill fill = OperandFill.best();

    public BlasKernelProducts(RowMajorBlas blas) {
        this.blas = blas;
    }

    @Override
    public double[] indicators(double[] u, int m) {
        double[] ones = new double[m];
        Arrays.fill(ones, 1.0);
        return product(u, m, new double[u.length], ones, false, null);
    }

    @Override
    public double[][] weightNorm(double[] u, double[] vNorm, double[] gain, double alpha) {
        int m = vNorm.length;
        double[] ones = new double[m];
        Arrays.fill(ones, 1.0);
        double[] sqrtOmega = new double[m];
        for (int k = 0; k < m; k++) {
            sqrtOmega[k] = Math.abs(alpha * gain[k] / vNorm[k]);
        }
        double[] buffer = new double[u.length];
        return new double[][] {
            product(u, m, buffer, ones, false, vNorm),
            product(u, m, buffer, sqrtOmega, false, vNorm),
            product(u, m, buffer, ones, true, vNorm),
            product(u, m, buffer, sqrtOmega, true, vNorm)};
    }

    /** Fills {@code buffer} with {@code B_ik = scale_k 1{u_ik ≥ 0}} (or {@code scale_k σ(u_ik)/‖v_k‖}) and returns {@code B Bᵀ}. */
    private double[] product(double[] u, int m, double[] buffer, double[] scale, boolean relu, double[] vNorm) {
        int n = u.length / m;
        fill.fill(u, n, m, scale, relu, vNorm, buffer);
        double[] out = new double[n * n];
        blas.gram(n, m, buffer, out);
        return out;
    }
}
