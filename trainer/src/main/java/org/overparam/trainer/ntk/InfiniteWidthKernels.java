package org.overparam.trainer.ntk;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The infinite-width kernels of the data, in closed form (theory.md §1–2; Dukler et al. eq. 4.2–4.3),
 * with {@code θ_ij} the angle between {@code x_i} and {@code x_j}:
 * <pre>
 *   H∞_ij = x_i·x_j (π − θ_ij)/(2π)                                  (Du et al.)
 *   G∞_ij = k1(x_i, x_j)/d,  k1 = ‖x_i‖‖x_j‖ (sin θ + (π − θ) cos θ)/(2π)   (degree-1 arc-cosine kernel)
 *   V∞    = H∞ − G∞
 * </pre>
 * They depend on the data only (not on α, m or the seed). Computed from the Gram matrix {@code XXᵀ}.
 */
public record InfiniteWidthKernels(SymmetricMatrix h, SymmetricMatrix g, SymmetricMatrix v) {

    public static InfiniteWidthKernels of(Dataset data, RowMajorBlas blas) {
        int n = data.n();
        int d = data.d();
        double[] gram = new double[n * n];
        blas.gram(n, d, data.x(), gram);
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            norm[i] = Math.sqrt(gram[i * n + i]);
        }
        double[] h = new double[n * n];
        double[] g = new double[n * n];
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double nn = norm[i] * norm[j];
                double hij = 0;
                double gij = 0;
                if (nn > 0) {
                    double cos = Math.max(-1.0, Math.min(1.0, gram[i * n + j] / nn));
                    double theta = i == j ? 0.0 : Math.acos(cos);
                    if (i == j) {
                        cos = 1.0;
                    }
                    hij = nn * cos * (Math.PI - theta) / (2 * Math.PI);
                    gij = nn * (Math.sin(theta) + (Math.PI - theta) * cos) / (2 * Math.PI) / d;
                }
                h[i * n + j] = hij;
                g[i * n + j] = gij;
                v[i * n + j] = hij - gij;
            }
        }
        return new InfiniteWidthKernels(new SymmetricMatrix(n, h), new SymmetricMatrix(n, g), new SymmetricMatrix(n, v));
    }
}
