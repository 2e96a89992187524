package org.overparam.trainer.nets;

import java.util.Arrays;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.rng.RandomStream;

/**
 * {@code bn}: the batch-normalized two-layer ReLU classifier of paper 001 (Sec. 1.3; theory.md §3),
 * <pre>
 *   f(x) = Σ_j a_j σ(c_j u_j(x)),   u_j(x) = ⟨v_j, x − μ⟩/N(v_j),   N(v) = sqrt(vᵀΣv + ε),
 * </pre>
 * with {@code μ, Σ} the mean and covariance of the whole training set, trained on the empirical logistic
 * risk {@code R = (1/n) Σ_i ℓ(y_i f(x_i))}, {@code ℓ(z) = ln(1 + e^{−z})}, labels ±1. Init:
 * {@code a ~ N(0, 1/m)}, {@code V ~ N(0, 1/d)}, {@code c = 1}. All of {@code a, c, V} are trained; parameters
 * flatten as {@code a} ({@code m}), {@code c} ({@code m}), {@code V} row-major ({@code m·d}).
 *
 * <p>Gradients (paper 001 Sec. 1.3, with {@code o_ij = 1{c_j u_ij > 0}} and {@code g_i = y_i ℓ'(y_i f_i)/n}):
 * <pre>
 *   ∂R/∂a_j = Σ_i g_i σ(c_j u_ij)
 *   ∂R/∂c_j = Σ_i g_i a_j o_ij u_ij
 *   ∇_{v_j} R = Σ_i g_i a_j c_j o_ij/N_j · (I − Σ v_j v_jᵀ/N_j²) x̄_i
 * </pre>
 * Since {@code ‖v‖²_Σ = ‖X̄ v‖²/n}, the full-batch pass needs only {@code P = X̄ Vᵀ} and the products
 * {@code Rᵀ X̄}, {@code Pᵀ X̄} (BLAS); an SGD step ({@link #sgdStep}) needs {@code Σ v_j} for every neuron,
 * from an explicit {@code Σ} when {@code d ≤ 2n}, else through {@code X̄}. {@code σ'(0)} is taken as 0.
 */
public final class BatchNormNet implements TrainableNet {
    private final int n;
    private final int d;
    private final int m;
    private final double epsilon;
    private final RowMajorBlas blas;
    private final double[] y;
    private final double[] mu;
    private final double[] xbar;
    private final double[] a;
    private final double[] c;
    private final double[] v;
    /** {@code n×m}: {@code P = X̄ Vᵀ} after forward. */
    private final double[] p;
    /** {@code n×m}: back-propagation weights {@code R_ij}. */
    private final double[] r;
    private final double[] norm;
    private final double[] f;
    private final double[] gOut;
    /** The row work, SIMD where the JVM has the vector module (the same bits either way). */
    private final BatchNormRows rows;
    /** One row of {@code c_j p_ij / N_j}, reused by every forward. */
    private double[] scaledRow;
    /** {@code Σ} ({@code d×d}), built on the first SGD step when {@code d ≤ 2n}. */
    private double[] sigma;
    private double[] sigmaV;
    private boolean forwardDone;

    /** A net initialized from {@code seed}: neuron {@code j} draws {@code a_j}, then {@code v_j}, so wider nets extend narrower ones. */
    public BatchNormNet(Dataset data, long seed, int m, double epsilon, RowMajorBlas blas) {
        this(data, initialDraws(seed, m, data.d()), m, epsilon, blas, BatchNormRows.best());
    }

    /**
     * As {@link #BatchNormNet(Dataset, long, int, double, RowMajorBlas)} with bn's scalar row loops, whatever the JVM
     * has: the same bits, the baseline {@code BnStepBenchmark} times the SIMD rows against.
     */
    public static BatchNormNet withScalarRows(Dataset data, long seed, int m, double epsilon, RowMajorBlas blas) {
        return new BatchNormNet(data, seed, m, epsilon, blas, BatchNormRows.scalar());
    }

    /** As above, with the row implementation named (tests compare the SIMD rows with the scalar ones). */
    BatchNormNet(Dataset data, long seed, int m, double epsilon, RowMajorBlas blas, BatchNormRows rows) {
        this(data, initialDraws(seed, m, data.d()), m, epsilon, blas, rows);
    }

    private BatchNormNet(Dataset data, double[][] init, int m, double epsilon, RowMajorBlas blas, BatchNormRows rows) {
        if (data.dy() != 1) {
            throw new IllegalArgumentException("bn is a binary classifier: one output, got d_y=" + data.dy());
        }
        for (double label : data.y()) {
            if (label != 1.0 && label != -1.0) {
                throw new IllegalArgumentException("bn needs labels -1 or +1, found " + label);
            }
        }
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        this.n = data.n();
        this.d = data.d();
        this.m = m;
        this.epsilon = epsilon;
        this.blas = blas;
        this.rows = rows;
        this.y = data.y().clone();
        this.mu = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mu[j] += data.x()[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] /= n;
        }
        this.xbar = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xbar[i * d + j] = data.x()[i * d + j] - mu[j];
            }
        }
        this.a = init[0];
        this.v = init[1];
        this.c = new double[m];
        Arrays.fill(c, 1.0);
        this.p = new double[Math.multiplyExact(n, m)];
        this.r = new double[n * m];
        this.norm = new double[m];
        this.f = new double[n];
        this.gOut = new double[n];
    }

    private static double[][] initialDraws(long seed, int m, int d) {
        RandomStream rng = RandomStream.of("init/bn", seed, d);
        double[] a = new double[m];
        double[] v = new double[m * d];
        double sa = 1.0 / Math.sqrt(m);
        double sv = 1.0 / Math.sqrt(d);
        for (int j = 0; j < m; j++) {
            a[j] = sa * rng.nextGaussian();
            rng.fillGaussian(v, j * d, d);
            for (int k = 0; k < d; k++) {
                v[j * d + k] *= sv;
            }
        }
        return new double[][] {a, v};
    }

    /** {@code ℓ(z) = ln(1 + e^{−z})}, without overflow. */
    public static double logistic(double z) {
        return z >= 0 ? StrictMath.log1p(StrictMath.exp(-z)) : -z + StrictMath.log1p(StrictMath.exp(z));
    }

    /** {@code ℓ'(z) = −1/(1 + e^{z})}. */
    public static double logisticDerivative(double z) {
        if (z >= 0) {
            double e = StrictMath.exp(-z);
            return -e / (1.0 + e);
        }
        return -1.0 / (1.0 + StrictMath.exp(z));
    }

    public int width() {
        return m;
    }

    public int examples() {
        return n;
    }

    /** The training mean μ. A copy. */
    public double[] mean() {
        return mu.clone();
    }

    /** The centred training inputs {@code x̄_i = x_i − μ} ({@code n×d}). A copy. */
    public double[] centredInputs() {
        return xbar.clone();
    }

    /** The labels. A copy. */
    public double[] labels() {
        return y.clone();
    }

    private void computeNorms() {
        blas.timesTransposed(n, m, d, xbar, v, p);
        // Row by row (p is n × m, row-major): each column's sum still adds i = 0, 1, … in order, so the
        // bits are those of the column-wise loop, without its stride-m reads.
        Arrays.fill(norm, 0.0);
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double pij = p[row + j];
                norm[j] += pij * pij;
            }
        }
        for (int j = 0; j < m; j++) {
            norm[j] = Math.sqrt(norm[j] / n + epsilon);
        }
    }

    private double[] rowBuffer() {
        if (scaledRow == null) {
            scaledRow = new double[m];
        }
        return scaledRow;
    }

    /** The empirical risk {@code R = (1/n) Σ ℓ(y_i f(x_i))} at the current parameters. */
    @Override
    public double forward() {
        computeNorms();
        double risk = 0;
        double[] scaled = rowBuffer();
        for (int i = 0; i < n; i++) {
            double fi = 0;
            rows.scaled(p, i * m, c, norm, scaled, m);
            for (int j = 0; j < m; j++) {
                double s = scaled[j];
                if (s > 0) {
                    fi += a[j] * s;
                }
            }
            f[i] = fi;
            double z = y[i] * fi;
            risk += logistic(z);
            gOut[i] = y[i] * logisticDerivative(z) / n;
        }
        forwardDone = true;
        return risk / n;
    }

    /** The fraction of training examples with {@code y_i f(x_i) ≤ 0}, from the last {@link #forward()}. */
    public double trainError() {
        requireForward();
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] * f[i] <= 0) {
                wrong++;
            }
        }
        return wrong / (double) n;
    }

    private void requireForward() {
        if (!forwardDone) {
            throw new IllegalStateException("forward() must run first");
        }
    }

    @Override
    public double[] gradient() {
        requireForward();
        double[] grad = new double[2 * m + m * d];
        double[] t = new double[m];
        for (int i = 0; i < n; i++) {
            rows.backprop(p, i * m, norm, a, c, gOut[i], grad, r, t, m);
        }
        double[] q = new double[m * d];
        double[] sv = new double[m * d];
        blas.transposedTimes(n, m, d, r, xbar, q);
        blas.transposedTimes(n, m, d, p, xbar, sv);
        for (int j = 0; j < m; j++) {
            double coef = t[j] / (norm[j] * norm[j] * n);
            for (int k = 0; k < d; k++) {
                grad[2 * m + j * d + k] = q[j * d + k] - coef * sv[j * d + k];
            }
        }
        return grad;
    }

    @Override
    public void step(double eta) {
        double[] grad = gradient();
        apply(grad, eta);
    }

    private void apply(double[] grad, double eta) {
        for (int j = 0; j < m; j++) {
            a[j] -= eta * grad[j];
            c[j] -= eta * grad[m + j];
        }
        for (int k = 0; k < m * d; k++) {
            v[k] -= eta * grad[2 * m + k];
        }
        forwardDone = false;
    }

    /**
     * The gradient of the one-example loss {@code ℓ(y_i f(x_i))} (not divided by n), with the whole-data
     * μ and Σ; flattened like {@link #parameters()}.
     */
    public double[] exampleGradient(int i) {
        forwardDone = false;
        double[] sv = sigmaTimesV();
        double[] grad = new double[2 * m + m * d];
        double[] pi = new double[m];
        double fi = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            double nn = epsilon;
            for (int k = 0; k < d; k++) {
                s += v[j * d + k] * xbar[i * d + k];
                nn += v[j * d + k] * sv[j * d + k];
            }
            pi[j] = s;
            norm[j] = Math.sqrt(nn);
            double act = c[j] * s / norm[j];
            if (act > 0) {
                fi += a[j] * act;
            }
        }
        double g = y[i] * logisticDerivative(y[i] * fi);
        for (int j = 0; j < m; j++) {
            double u = pi[j] / norm[j];
            double s = c[j] * u;
            if (s <= 0) {
                continue;
            }
            grad[j] = g * s;
            grad[m + j] = g * a[j] * u;
            double coefX = g * a[j] * c[j] / norm[j];
            double coefS = coefX * pi[j] / (norm[j] * norm[j]);
            for (int k = 0; k < d; k++) {
                grad[2 * m + j * d + k] = coefX * xbar[i * d + k] - coefS * sv[j * d + k];
            }
        }
        return grad;
    }

    /** One SGD step on example {@code i}: {@code W ← W − η ∂ℓ(y_i f(x_i))} (paper 001 Sec. 1.3). */
    public void sgdStep(int i, double eta) {
        apply(exampleGradient(i), eta);
    }

    /** {@code Σ v_j} for every neuron ({@code m×d}). */
    private double[] sigmaTimesV() {
        if (sigmaV == null) {
            sigmaV = new double[m * d];
        }
        if (d <= 2 * n) {
            if (sigma == null) {
                sigma = new double[d * d];
                blas.transposedTimes(n, d, d, xbar, xbar, sigma);
                for (int k = 0; k < sigma.length; k++) {
                    sigma[k] /= n;
                }
            }
            blas.times(m, d, d, v, sigma, sigmaV);
        } else {
            blas.timesTransposed(n, m, d, xbar, v, p);
            blas.transposedTimes(n, m, d, p, xbar, sigmaV);
            for (int k = 0; k < sigmaV.length; k++) {
                sigmaV[k] /= n;
            }
            forwardDone = false;
        }
        return sigmaV;
    }

    /** The normalization factors {@code N(v_j)} at the current parameters, computed afresh. */
    public double[] normalizationFactors() {
        computeNorms();
        forwardDone = false;
        return norm.clone();
    }

    /**
     * The outputs {@code f(x)} on other inputs ({@code rows×d}, row-major), with the training μ and Σ.
     */
    public double[] predict(double[] x, int rows) {
        double[] nj = normalizationFactors();
        double[] centred = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < d; k++) {
                centred[i * d + k] = x[i * d + k] - mu[k];
            }
        }
        double[] pre = new double[rows * m];
        blas.timesTransposed(rows, m, d, centred, v, pre);
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double fi = 0;
            for (int j = 0; j < m; j++) {
                double s = c[j] * pre[i * m + j] / nj[j];
                if (s > 0) {
                    fi += a[j] * s;
                }
            }
            out[i] = fi;
        }
        return out;
    }

    /**
     * The normalized pre-activations {@code u_ij = ⟨v_j, x̄_i⟩/N(v_j)} on the training set ({@code n×m}) at
     * the current parameters: at init (c = 1) the features {@code ∂_a f = σ(u)} of the margin γ_a.
     */
    public double[] normalizedPreActivations() {
        double[] nj = normalizationFactors();
        double[] u = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                u[i * m + j] = p[i * m + j] / nj[j];
            }
        }
        return u;
    }

    /** A copy of the outer weights {@code a}. */
    public double[] outer() {
        return a.clone();
    }

    @Override
    public double[] parameters() {
        double[] theta = new double[2 * m + m * d];
        System.arraycopy(a, 0, theta, 0, m);
        System.arraycopy(c, 0, theta, m, m);
        System.arraycopy(v, 0, theta, 2 * m, m * d);
        return theta;
    }

    @Override
    public void setParameters(double[] theta) {
        if (theta.length != 2 * m + m * d) {
            throw new IllegalArgumentException("expected " + (2 * m + m * d) + " parameters, got " + theta.length);
        }
        System.arraycopy(theta, 0, a, 0, m);
        System.arraycopy(theta, m, c, 0, m);
        System.arraycopy(theta, 2 * m, v, 0, m * d);
        forwardDone = false;
    }

    @Override
    public double[] outputs() {
        requireForward();
        return f.clone();
    }
}
