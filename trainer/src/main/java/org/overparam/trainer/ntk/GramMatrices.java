package org.overparam.trainer.ntk;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The finite-width kernels of a two-layer ReLU net at its current parameters, formed with matrix
 * products ({@code n×m} by {@code m×n}, by {@code dsyrk}), never with loops over pairs of neurons. With
 * pre-activations {@code u_ik = v_k·x_i}, indicators {@code S_ik = 1{u_ik ≥ 0}},
 * {@code A_ik = σ(u_ik)/‖v_k‖} and neuron weights {@code ω_k = (α g_k/‖v_k‖)²} (theory.md §2, eq. 3.3–3.4):
 * <pre>
 *   H = (X Xᵀ) ∘ (S Sᵀ)/m                                  (Du et al.; the kernel of the indicators)
 *   G = A Aᵀ/m                                            (3.4)
 *   V = (X Xᵀ) ∘ (S diag(ω) Sᵀ)/m − A diag(ω) Aᵀ/m          (3.3, as ⟨x_i^⊥, x_j^⊥⟩ = x_i·x_j − û_ik û_jk)
 *   Λ = V/α² + G                                           (3.5: df/dt = −Λ (f − y))
 * </pre>
 * At initialization {@code ω_k = 1}, so {@code V(0) + G(0) = H(0)} (Proposition 1). For {@code relu}
 * the training kernel is {@code H} itself. The products over the neurons come from a {@link KernelProducts}
 * (the CPU's, or the device's that trains the net).
 */
public final class GramMatrices {
    private final Dataset data;
    private final KernelProducts products;
    private final double[] gram;

    /** Kernels whose products are formed on the CPU ({@link BlasKernelProducts}). */
    public GramMatrices(Dataset data, RowMajorBlas blas) {
        this(data, blas, new BlasKernelProducts(blas));
    }

    /** Kernels whose products {@code products} forms; {@code blas} forms {@code X Xᵀ}. */
    public GramMatrices(Dataset data, RowMajorBlas blas, KernelProducts products) {
        this.data = data;
        this.products = products;
        int n = data.n();
        this.gram = new double[n * n];
        blas.gram(n, data.d(), data.x(), gram);
    }

    /** The kernels of the weight-normalized net. */
    public record WeightNormKernels(SymmetricMatrix h, SymmetricMatrix v, SymmetricMatrix g, SymmetricMatrix lambda) {
    }

    /** {@code H} from pre-activations {@code u} ({@code n×m}, row-major): the relu training kernel. */
    public SymmetricMatrix relu(double[] u, int m) {
        int n = data.n();
        double[] ss = products.indicators(u, m);
        double[] h = new double[n * n];
        for (int i = 0; i < h.length; i++) {
            h[i] = gram[i] * ss[i] / m;
        }
        return new SymmetricMatrix(n, h);
    }

    /**
     * The wn kernels from pre-activations {@code u} ({@code n×m}), direction norms {@code ‖v_k‖}, gains
     * {@code g_k} and the init scale α.
     */
    public WeightNormKernels weightNorm(double[] u, double[] vNorm, double[] gain, double alpha) {
        int n = data.n();
        int m = vNorm.length;
        double[][] p = products.weightNorm(u, vNorm, gain, alpha);
        double[] ss = p[0];
        double[] sws = p[1];
        double[] aa = p[2];
        double[] awa = p[3];
        double[] h = new double[n * n];
        double[] g = new double[n * n];
        double[] v = new double[n * n];
        double[] lambda = new double[n * n];
        double invAlpha2 = 1.0 / (alpha * alpha);
        for (int i = 0; i < n * n; i++) {
            h[i] = gram[i] * ss[i] / m;
            g[i] = aa[i] / m;
            v[i] = (gram[i] * sws[i] - awa[i]) / m;
            lambda[i] = v[i] * invAlpha2 + g[i];
        }
        return new WeightNormKernels(new SymmetricMatrix(n, h), new SymmetricMatrix(n, v),
                new SymmetricMatrix(n, g), new SymmetricMatrix(n, lambda));
    }
}
