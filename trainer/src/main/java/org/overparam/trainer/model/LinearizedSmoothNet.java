package org.overparam.trainer.model;

import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The linearization of a {@link SmoothNet} around its initialization {@code Θ_0 = (W_0, V_0)} (lazy
 * training, Chizat et al., as in paper 004 Sec. 6 and App. F):
 * <pre>
 *   Φ̂(Θ) = Φ(Θ_0) + DΦ(Θ_0)[Θ − Θ_0] = Φ_0 + (V − V_0) φ(W_0 X) + V_0 (φ'(W_0 X) ∘ ((W − W_0) X)),
 * </pre>
 * trained by GD on {@code ‖Φ̂(Θ) − Y‖²_F} from {@code Θ_0} side by side with the net. Its gradient at
 * {@code Θ_0} is the net's, so after one step of size η the two outputs differ by {@code O(η²)}.
 * Gradients: {@code ∇_V = 2 Eᵀ φ(W_0X)}, {@code ∇_W = 2 ((E V_0) ∘ φ'(W_0X))ᵀ X}. Parameters flatten like the
 * net's ({@code W} then {@code V}).
 */
public final class LinearizedSmoothNet implements TrainableNet {
    private final int n;
    private final int d0;
    private final int d1;
    private final int d2;
    private final RowMajorBlas blas;
    private final double[] x;
    private final double[] y;
    private final double[] w0;
    private final double[] v0;
    private final double[] a0;
    private final double[] da0;
    private final double[] f0;
    private final double[] w;
    private final double[] v;
    private final double[] q;
    private final double[] f;
    private final double[] e;
    private final double[] tmp;
    private boolean forwardDone;

    /** The linearization of {@code net} at its current parameters (call before training it). */
    public LinearizedSmoothNet(SmoothNet net) {
        this.n = net.n;
        this.d0 = net.d0;
        this.d1 = net.d1;
        this.d2 = net.d2;
        this.blas = net.blas;
        this.x = net.x;
        this.y = net.y;
        net.forward();
        this.w0 = net.w.clone();
        this.v0 = net.v.clone();
        this.a0 = net.hidden();
        this.da0 = net.hiddenDerivative();
        this.f0 = net.outputs();
        this.w = w0.clone();
        this.v = v0.clone();
        this.q = new double[n * d1];
        this.f = new double[n * d2];
        this.e = new double[n * d2];
        this.tmp = new double[n * d2];
    }

    @Override
    public double forward() {
        double[] dw = new double[w.length];
        double[] dv = new double[v.length];
        for (int t = 0; t < w.length; t++) {
            dw[t] = w[t] - w0[t];
        }
        for (int t = 0; t < v.length; t++) {
            dv[t] = v[t] - v0[t];
        }
        blas.timesTransposed(n, d1, d0, x, dw, q);
        for (int t = 0; t < q.length; t++) {
            q[t] *= da0[t];
        }
        blas.timesTransposed(n, d2, d1, a0, dv, f);
        blas.timesTransposed(n, d2, d1, q, v0, tmp);
        double loss = 0;
        for (int t = 0; t < f.length; t++) {
            f[t] += f0[t] + tmp[t];
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
        double[] gv = new double[d2 * d1];
        double[] gw = new double[d1 * d0];
        double[] back = new double[n * d1];
        blas.transposedTimes(n, d2, d1, e, a0, gv);
        blas.times(n, d2, d1, e, v0, back);
        for (int t = 0; t < back.length; t++) {
            back[t] *= da0[t];
        }
        blas.transposedTimes(n, d1, d0, back, x, gw);
        double[] grad = new double[gw.length + gv.length];
        for (int t = 0; t < gw.length; t++) {
            grad[t] = 2.0 * gw[t];
        }
        for (int t = 0; t < gv.length; t++) {
            grad[gw.length + t] = 2.0 * gv[t];
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

    /** {@code Φ̂} of the last forward ({@code n×d2}). A copy. */
    @Override
    public double[] outputs() {
        return f.clone();
    }

    /** {@code Φ(Θ_0)} ({@code n×d2}). A copy. */
    public double[] initialOutputs() {
        return f0.clone();
    }
}
