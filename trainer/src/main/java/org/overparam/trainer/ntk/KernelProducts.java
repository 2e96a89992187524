package org.overparam.trainer.ntk;

/**
 * The {@code n×n} products {@code B Bᵀ} over the neurons behind the finite-width kernels
 * ({@link GramMatrices}): the costly part ({@code n² m} each), so where they are formed is a seam. The
 * CPU forms them with {@code dsyrk} ({@link BlasKernelProducts}); the CUDA backend on the device that
 * holds the trial's parameters, which the arguments then mirror (it reads its own copy).
 *
 * <p>With pre-activations {@code u_ik}, indicators {@code S_ik = 1{u_ik ≥ 0}}, {@code A_ik = σ(u_ik)/‖v_k‖}
 * and {@code ω_k = (α g_k/‖v_k‖)²}. Every product is returned full, row-major.
 */
public interface KernelProducts {

    /** {@code S Sᵀ} of pre-activations {@code u} ({@code n×m}, row-major). */
    double[] indicators(double[] u, int m);

    /**
     * {@code S Sᵀ}, {@code S diag(ω) Sᵀ}, {@code A Aᵀ}, {@code A diag(ω) Aᵀ} of the wn net with pre-activations
     * {@code u}, direction norms {@code ‖v_k‖}, gains {@code g_k} and init scale α, in that order.
     */
    double[][] weightNorm(double[] u, double[] vNorm, double[] gain, double alpha);
}
