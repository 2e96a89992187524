package org.overparam.trainer.model;

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
 * {@code ∇_V h = 2 Eᵀ A}, {@code ∇_W h = 2 ((E V) ∘ φ'(P))ᵀ X}. Parameters flatten as {@code W} then
 * {@code V}, each row-major.
 */
public final class SmoothNet implements TrainableNet {
    final int n;
    final int d0;
    final int d1;
    final int d2;
    final Activation phi;
    final RowMajorBlas blas;
    final double[] x;
    final double[] y;
    final double[] w;
    final double[] v;
    private final double[] p;
    private final double[] act;
    private final double[] f;
    private final double[] e;
    private final double[] back;
    private boolean forwardDone;

    public SmoothNet(Dataset data, long seed, int width, Activation phi, double omega1, double omega2, RowMajorBlas blas) {
        this.n = data.n();
        this.d0 = data.d();
        this.d1 = width;
        this.d2 = data.dy();
        this.phi = phi;
        this.blas = blas;
        this.x = data.x();
        this.y = data.y();
        this.w = new double[d1 * d0];
        this.v = new double[d2 * d1];
        RandomStream rng = RandomStream.of("init/smooth", seed, d0, d2);
        for (int k = 0; k < d1; k++) {
            for (int j = 0; j < d0; j++) {
                w[k * d0 + j] = omega1 * rng.nextGaussian();
            }
            for (int o = 0; o < d2; o++) {
                v[o * d1 + k] = omega2 * rng.nextGaussian();
            }
        }
        this.p = new double[Math.multiplyExact(n, d1)];
        this.act = new double[n * d1];
        this.f = new double[n * d2];
        this.e = new double[n * d2];
        this.back = new double[n * d1];
    }

    /** Doubles held by a net of this shape (with its linearization: about twice), for the memory check. */
    public static long estimateBytes(int n, int d0, int d1, int d2) {
        double doubles = 2.0 * (4.0 * n * d1 + 2.0 * n * d2 + 2.0 * ((double) d1 * d0 + (double) d2 * d1))
                + (double) n * (d0 + d2) + 2.0 * ((double) d1 * d0 + (double) d2 * d1);
        return (long) Math.min(Long.MAX_VALUE / 2.0, 8 * doubles);
    }

    @Override
    public double forward() {
        blas.timesTransposed(n, d1, d0, x, w, p);
        for (int t = 0; t < p.length; t++) {
            act[t] = phi.value(p[t]);
        }
        blas.timesTransposed(n, d2, d1, act, v, f);
        double loss = 0;
        for (int t = 0; t < f.length; t++) {
            e[t] = f[t] - y[t];
            loss += e[t] * e[t];
        }
        forwardDone = true;
        return loss;
    }

    @Override
    public double[] gradient() {
        if (!forwardDone) {
            throw new IllegalStateException("forward() must run before the gradient is taken");
        }
        double[] grad = new double[d1 * d0 + d2 * d1];
        double[] gw = new double[d1 * d0];
        double[] gv = new double[d2 * d1];
        blas.transposedTimes(n, d2, d1, e, act, gv);
        blas.times(n, d2, d1, e, v, back);
        for (int t = 0; t < back.length; t++) {
            back[t] *= phi.derivative(p[t]);
        }
        blas.transposedTimes(n, d1, d0, back, x, gw);
        for (int t = 0; t < gw.length; t++) {
            grad[t] = 2.0 * gw[t];
        }
        for (int t = 0; t < gv.length; t++) {
            grad[d1 * d0 + t] = 2.0 * gv[t];
        }
        return grad;
    }

    @Override
    public void step(double eta) {
        double[] grad = gradient();
        for (int t = 0; t < w.length; t++) {
            w[t] -= eta * grad[t];
        }
        for (int t = 0; t < v.length; t++) {
            v[t] -= eta * grad[w.length + t];
        }
        forwardDone = false;
    }

    @Override
    public double[] parameters() {
        double[] theta = new double[w.length + v.length];
        System.arraycopy(w, 0, theta, 0, w.length);
        System.arraycopy(v, 0, theta, w.length, v.length);
        return theta;
    }

    @Override
    public void setParameters(double[] theta) {
        if (theta.length != w.length + v.length) {
            throw new IllegalArgumentException("expected " + (w.length + v.length) + " parameters, got " + theta.length);
        }
        System.arraycopy(theta, 0, w, 0, w.length);
        System.arraycopy(theta, w.length, v, 0, v.length);
        forwardDone = false;
    }

    /** {@code Φ} of the last forward, examples as rows ({@code n×d2}). A copy. */
    @Override
    public double[] outputs() {
        return f.clone();
    }

    /** {@code φ(W X)} of the last forward, examples as rows ({@code n×d1}). A copy. */
    public double[] hidden() {
        return act.clone();
    }

    /** {@code φ'(W X)} of the last forward ({@code n×d1}). */
    double[] hiddenDerivative() {
        double[] out = new double[p.length];
        for (int t = 0; t < p.length; t++) {
            out[t] = phi.derivative(p[t]);
        }
        return out;
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
