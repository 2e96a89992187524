package org.overparam.trainer.margin;

/**
 * The margins {@code γ_a, γ_c} of paper 001 Assumption 1.2, estimated with reference networks as in its
 * App. A.2 with {@code V} frozen at its initialization (the first stage of A.2; the authors found letting
 * {@code V} move within the displacement condition gave nearly the same γ). With {@code c = 1} at init and
 * {@code u_ij = ⟨v_j, x̄_i⟩/N(v_j)}:
 * <pre>
 *   γ_a = max_{‖ā‖ ≤ 1} min_i y_i ⟨ā, ∂_a f(x_i; W_0)⟩,   ∂_a f(x_i; W_0)_j = σ(u_ij)          (the a-network)
 *   γ_c = max_{‖c̄‖ ≤ 1} min_i y_i ⟨c̄, ∂_c f(x_i; W_0)⟩,   ∂_c f(x_i; W_0)_j = a_j 1{u_ij > 0} u_ij = a_j σ(u_ij)  (the c-network)
 * </pre>
 * Both are max-margin linear problems in fixed features; the reference networks are trained to their
 * optimum by {@link MaxMarginLinear} instead of by Adam on the logistic loss (whose normalized iterates
 * tend to the same max-margin direction), so each value is the best a frozen-V reference network attains.
 * {@code γ = γ_a + γ_c}. NaN where the features do not separate the labels.
 */
public final class BnMargins {
    private BnMargins() {
    }

    /** {@code (γ_a, γ_c)} from the init pre-activations {@code u} ({@code n×m}), outer weights {@code a} and labels. */
    public static double[] estimate(double[] u, double[] a, double[] y, int n, int m) {
        double[] fa = new double[n * m];
        double[] fc = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = Math.max(0.0, u[i * m + j]);
                fa[i * m + j] = s;
                fc[i * m + j] = a[j] * s;
            }
        }
        MaxMarginLinear.Solution[] both = MaxMarginLinear.solveTwo(fa, fc, y, n, m);   // each the bits of its own solve
        return new double[] {both[0].margin(), both[1].margin()};
    }
}
