package org.overparam.trainer.nets;


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
public final class LinearizedSmoothNet extends SmoothTwoLayer {
    private final double[] w0;
    private final double[] v0;
    private final double[] a0;
    private final double[] da0;
    private final double[] f0;
    private final double[] q;
    private final double[] tmp;
    /** {@code W − W_0} and {@code V − V_0}, reused by every forward. */
    private final double[] dw;
    private final double[] dv;

    /** The linearization of {@code net} at its current parameters (call before training it). */
    public LinearizedSmoothNet(SmoothNet net) {
        super(net.n, net.d0, net.d1, net.d2, net.blas, net.x, net.y);
        net.forward();
        this.w0 = net.w.clone();
        this.v0 = net.v.clone();
        this.a0 = net.hidden();
        this.da0 = net.hiddenDerivative();
        this.f0 = net.outputs();
        System.arraycopy(w0, 0, w, 0, w.length);
        System.arraycopy(v0, 0, v, 0, v.length);
        this.q = new double[n * d1];
        this.tmp = new double[n * d2];
        this.dw = new double[w.length];
        this.dv = new double[v.length];
    }

    @Override
    void outputsInto() {
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
        for (int t = 0; t < f.length; t++) {
            f[t] += f0[t] + tmp[t];
        }
    }

    @Override
    void batchForward(int[] order, int from, int b, double[] xb, double[] fb, double[] ab, double[] db) {
        for (int t = 0; t < w.length; t++) {
            dw[t] = w[t] - w0[t];
        }
        for (int t = 0; t < v.length; t++) {
            dv[t] = v[t] - v0[t];
        }
        for (int r = 0; r < b; r++) {
            int i = order[from + r];
            System.arraycopy(a0, i * d1, ab, r * d1, d1);
            System.arraycopy(da0, i * d1, db, r * d1, d1);
        }
        double[] qb = new double[b * d1];
        blas.timesTransposed(b, d1, d0, xb, dw, qb);
        for (int t = 0; t < qb.length; t++) {
            qb[t] *= db[t];
        }
        double[] tb = new double[b * d2];
        blas.timesTransposed(b, d2, d1, ab, dv, fb);
        blas.timesTransposed(b, d2, d1, qb, v0, tb);
        for (int r = 0; r < b; r++) {
            int i = order[from + r];
            for (int o = 0; o < d2; o++) {
                fb[r * d2 + o] += f0[i * d2 + o] + tb[r * d2 + o];
            }
        }
    }

    @Override
    double[] features() {
        return a0;
    }

    @Override
    double[] backWeights() {
        return v0;
    }

    @Override
    void timesSlopes(double[] back) {
        for (int t = 0; t < back.length; t++) {
            back[t] *= da0[t];
        }
    }

    /** {@code Φ(Θ_0)} ({@code n×d2}). A copy. */
    public double[] initialOutputs() {
        return f0.clone();
    }
}
