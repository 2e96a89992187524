package org.overparam.trainer.nets;

import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * What {@link SmoothNet} and its {@link LinearizedSmoothNet} share: the trained {@code W} ({@code d1×d0})
 * and {@code V} ({@code d2×d1}), the loss {@code ‖F − Y‖²_F} of outputs {@code F} ({@code n×d2}, examples
 * as rows), and its gradient, which for both has the form
 * {@code ∇_V = 2 Eᵀ A}, {@code ∇_W = 2 ((E V') ∘ D)ᵀ X} with {@code E = F − Y} and the features {@code A},
 * outer weights {@code V'} and activation slopes {@code D} each supplies (the net's current ones, or those
 * at init). Parameters flatten as {@code W} then {@code V}, each row-major.
 *
 * <p>A mini-batch step ({@link #batchStep}) takes the same gradient over the batch's rows only, scaled by
 * {@code n/|B|} so that it is an unbiased estimate of the full gradient and a batch of all {@code n} rows
 * is a GD step (to rounding: the rows are summed in the batch's order).
 */
abstract sealed class SmoothTwoLayer implements MiniBatchNet permits SmoothNet, LinearizedSmoothNet {
    final int n;
    final int d0;
    final int d1;
    final int d2;
    final RowMajorBlas blas;
    final double[] x;
    final double[] y;
    final double[] w;
    final double[] v;
    /** The outputs of the last forward. */
    final double[] f;
    private final double[] e;
    private final double[] back;
    /** The gradient's two halves without the factor 2, reused by every step. */
    private final double[] gw;
    private final double[] gv;
    private boolean forwardDone;

    SmoothTwoLayer(int n, int d0, int d1, int d2, RowMajorBlas blas, double[] x, double[] y) {
        this.n = n;
        this.d0 = d0;
        this.d1 = d1;
        this.d2 = d2;
        this.blas = blas;
        this.x = x;
        this.y = y;
        this.w = new double[d1 * d0];
        this.v = new double[d2 * d1];
        this.f = new double[n * d2];
        this.e = new double[n * d2];
        this.back = new double[Math.multiplyExact(n, d1)];
        this.gw = new double[d1 * d0];
        this.gv = new double[d2 * d1];
    }

    /** Fills {@link #f} with the outputs at the current parameters. */
    abstract void outputsInto();

    /** {@code A} of the gradient ({@code n×d1}). */
    abstract double[] features();

    /** {@code V'} of the gradient ({@code d2×d1}). */
    abstract double[] backWeights();

    /** Multiplies {@code back} ({@code n×d1}) entrywise by the activation slopes {@code D}. */
    abstract void timesSlopes(double[] back);

    /**
     * For the {@code b} rows {@code order[from..from+b)} whose inputs are {@code xb} ({@code b×d0}): fills
     * their outputs {@code fb} ({@code b×d2}) at the current parameters, their features {@code ab}
     * ({@code b×d1}, the rows of {@link #features()}) and activation slopes {@code db} ({@code b×d1}).
     */
    abstract void batchForward(int[] order, int from, int b, double[] xb, double[] fb, double[] ab, double[] db);

    @Override
    public final int examples() {
        return n;
    }

    @Override
    public final void batchStep(int[] order, int from, int to, double eta) {
        int b = to - from;
        if (b < 1 || from < 0 || to > order.length) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") of an order of " + order.length);
        }
        double[] xb = new double[b * d0];
        double[] yb = new double[b * d2];
        for (int r = 0; r < b; r++) {
            int i = order[from + r];
            System.arraycopy(x, i * d0, xb, r * d0, d0);
            System.arraycopy(y, i * d2, yb, r * d2, d2);
        }
        double[] fb = new double[b * d2];
        double[] ab = new double[b * d1];
        double[] db = new double[b * d1];
        batchForward(order, from, b, xb, fb, ab, db);
        double[] eb = new double[b * d2];
        for (int t = 0; t < eb.length; t++) {
            eb[t] = fb[t] - yb[t];
        }
        double[] gvB = new double[d2 * d1];
        double[] gwB = new double[d1 * d0];
        double[] backB = new double[b * d1];
        blas.transposedTimes(b, d2, d1, eb, ab, gvB);
        blas.times(b, d2, d1, eb, backWeights(), backB);
        for (int t = 0; t < backB.length; t++) {
            backB[t] *= db[t];
        }
        blas.transposedTimes(b, d1, d0, backB, xb, gwB);
        double scale = 2.0 * n / b;
        for (int t = 0; t < w.length; t++) {
            w[t] -= eta * (scale * gwB[t]);
        }
        for (int t = 0; t < v.length; t++) {
            v[t] -= eta * (scale * gvB[t]);
        }
        forwardDone = false;
    }

    @Override
    public final double forward() {
        outputsInto();
        double loss = 0;
        for (int t = 0; t < f.length; t++) {
            e[t] = f[t] - y[t];
            loss += e[t] * e[t];
        }
        forwardDone = true;
        return loss;
    }

    @Override
    public final double[] gradient() {
        halfGradient();
        double[] grad = new double[d1 * d0 + d2 * d1];
        for (int t = 0; t < gw.length; t++) {
            grad[t] = 2.0 * gw[t];
        }
        for (int t = 0; t < gv.length; t++) {
            grad[gw.length + t] = 2.0 * gv[t];
        }
        return grad;
    }

    @Override
    public final void step(double eta) {
        halfGradient();
        // The operations of gradient() and an update by it, without the array.
        for (int t = 0; t < w.length; t++) {
            w[t] -= eta * (2.0 * gw[t]);
        }
        for (int t = 0; t < v.length; t++) {
            v[t] -= eta * (2.0 * gv[t]);
        }
        forwardDone = false;
    }

    /** {@link #gw} and {@link #gv}: {@code Eᵀ A} and {@code ((E V') ∘ D)ᵀ X} at the last forward. */
    private void halfGradient() {
        if (!forwardDone) {
            throw new IllegalStateException("forward() must run before the gradient is taken");
        }
        blas.transposedTimes(n, d2, d1, e, features(), gv);
        blas.times(n, d2, d1, e, backWeights(), back);
        timesSlopes(back);
        blas.transposedTimes(n, d1, d0, back, x, gw);
    }

    @Override
    public final double[] parameters() {
        double[] theta = new double[w.length + v.length];
        System.arraycopy(w, 0, theta, 0, w.length);
        System.arraycopy(v, 0, theta, w.length, v.length);
        return theta;
    }

    @Override
    public final void setParameters(double[] theta) {
        if (theta.length != w.length + v.length) {
            throw new IllegalArgumentException("expected " + (w.length + v.length) + " parameters, got " + theta.length);
        }
        System.arraycopy(theta, 0, w, 0, w.length);
        System.arraycopy(theta, w.length, v, 0, v.length);
        forwardDone = false;
    }

    /** The outputs of the last forward, examples as rows ({@code n×d2}). A copy. */
    @Override
    public final double[] outputs() {
        return f.clone();
    }
}
