package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.rng.RandomStream;

/**
 * {@code smooth}: the two-layer net {@code Φ(Θ) = V φ(W X)} of paper 004 (Sec. 5.1, theory.md §5) with
 * {@code W} ({@code d1×d0}) and {@code V} ({@code d2×d1}) both trained by GD on
 * {@code h(Θ) = ‖V φ(W X) − Y‖²_F} (eq. 16: a sum of squares, without ½). Init (eq. 17)
 * {@code W ~ N(0, ω1²)}, {@code V ~ N(0, ω2²)}: hidden unit {@code k} draws row {@code k} of the standard
 * Gaussian {@code W} then column {@code k} of {@code V}, so every {@code (ω1, ω2)} scales the same draws and a
 * wider net extends a narrower one. Here {@code d0 = d}, {@code d1 = m}, {@code d2 = d_y}.
 *
 * <p>With examples as rows, {@code P = X Wᵀ}, {@code A = φ(P)}, {@code F = A Vᵀ}, {@code E = F − Y}:
 * {@code ∇_V h = 2 Eᵀ A}, {@code ∇_W h = 2 ((E V) ∘ φ'(P))ᵀ X} ({@link SmoothTwoLayer}). Parameters flatten
 * as {@code W} then {@code V}, each row-major.
 */
public final class SmoothNet extends SmoothTwoLayer {
    private final Activation phi;
    private final double[] p;
    private final double[] act;
    /** {@code φ'(P)} of the last forward, computed with {@code φ(P)} (gelu shares its exp between the two). */
    private final double[] slope;

    public SmoothNet(Dataset data, long seed, int width, Activation phi, double omega1, double omega2, RowMajorBlas blas) {
        super(data.n(), data.d(), width, data.dy(), blas, data.x(), data.y());
        this.phi = phi;
        RandomStream rng = RandomStream.of("init/smooth", seed, d0, d2);
        for (int k = 0; k < d1; k++) {
            for (int j = 0; j < d0; j++) {
                w[k * d0 + j] = omega1 * rng.nextGaussian();
            }
            for (int o = 0; o < d2; o++) {
                v[o * d1 + k] = omega2 * rng.nextGaussian();
            }
        }
        this.p = new double[n * d1];
        this.act = new double[n * d1];
        this.slope = new double[n * d1];
    }

    /** Doubles held by a net of this shape (with its linearization: about twice), for the memory check. */
    public static long estimateBytes(int n, int d0, int d1, int d2) {
        double doubles = 2.0 * (4.0 * n * d1 + 2.0 * n * d2 + 2.0 * ((double) d1 * d0 + (double) d2 * d1))
                + (double) n * (d0 + d2) + 2.0 * ((double) d1 * d0 + (double) d2 * d1);
        return (long) Math.min(Long.MAX_VALUE / 2.0, 8 * doubles);
    }

    @Override
    void outputsInto() {
        blas.timesTransposed(n, d1, d0, x, w, p);
        activate(p, act, slope);
        blas.timesTransposed(n, d2, d1, act, v, f);
    }

    @Override
    void batchForward(int[] order, int from, int b, double[] xb, double[] fb, double[] ab, double[] db) {
        double[] pb = new double[b * d1];
        blas.timesTransposed(b, d1, d0, xb, w, pb);
        activate(pb, ab, db);
        blas.timesTransposed(b, d2, d1, ab, v, fb);
    }

    @Override
    double[] features() {
        return act;
    }

    @Override
    double[] backWeights() {
        return v;
    }

    @Override
    void timesSlopes(double[] back) {
        for (int t = 0; t < back.length; t++) {
            back[t] *= slope[t];
        }
    }

    /**
     * {@code values = φ(pre)}, {@code slopes = φ'(pre)} entrywise: gelu by {@link GeluKernel#best()}, the
     * others by {@link Activation}; the same bits either way.
     */
    private void activate(double[] pre, double[] values, double[] slopes) {
        if (phi == Activation.GELU) {
            GeluKernel.best().valuesAndSlopes(pre, values, slopes, 0, pre.length);
            return;
        }
        for (int t = 0; t < pre.length; t++) {
            values[t] = phi.value(pre[t]);
            slopes[t] = phi.derivative(pre[t]);
        }
    }

    /** The outputs {@code V φ(W x)} of {@code rows} inputs {@code x} ({@code rows×d0}, row-major) at the current parameters ({@code rows×d2}). */
    public double[] predict(double[] x, int rows) {
        double[] pre = new double[rows * d1];
        blas.timesTransposed(rows, d1, d0, x, w, pre);
        double[] hidden = new double[pre.length];
        activate(pre, hidden, new double[pre.length]);
        double[] out = new double[rows * d2];
        blas.timesTransposed(rows, d2, d1, hidden, v, out);
        return out;
    }

    /** {@code φ(W X)} of the last forward, examples as rows ({@code n×d1}). A copy. */
    public double[] hidden() {
        return act.clone();
    }

    /** {@code φ'(W X)} of the last forward ({@code n×d1}). A copy. */
    double[] hiddenDerivative() {
        return slope.clone();
    }

    /** A copy of {@code V} ({@code d2×d1}). */
    public double[] outerWeights() {
        return v.clone();
    }

    public int width() {
        return d1;
    }

    public Activation activation() {
        return phi;
    }
}
