package org.overparam.trainer.ntk;

import java.util.Random;
import org.overparam.trainer.data.Dataset;

/**
 * Test-side reference implementations written straight from the definitions in theory.md §1–2
 * (double loops over examples and neurons, explicit projections), independent of the matrix-product
 * formulation in the main code. Shared by the kernel and instrument tests.
 */
public final class NaiveKernels {
    private NaiveKernels() {
    }

    /** The wn kernels as plain row-major {@code n×n} arrays. */
    public record Wn(double[] h, double[] v, double[] g, double[] lambda) {
    }

    /** The infinite-width kernels as plain row-major {@code n×n} arrays. */
    public record Infinite(double[] h, double[] g, double[] v) {
    }

    /**
     * {@code n} Gaussian directions in {@code R^d} scaled to norms uniform in {@code [minNorm, maxNorm]},
     * Gaussian targets; drawn with java.util.Random (independent of the code under test).
     */
    public static Dataset randomData(int n, int d, long seed, double minNorm, double maxNorm) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = r.nextGaussian();
                s += x[i * d + j] * x[i * d + j];
            }
            double target = minNorm + (maxNorm - minNorm) * r.nextDouble();
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= target / Math.sqrt(s);
            }
            y[i] = r.nextGaussian();
        }
        return new Dataset(n, d, x, y);
    }

    public static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += a[aOff + j] * b[bOff + j];
        }
        return s;
    }

    /** {@code x^{v⊥} = (I − v vᵀ/‖v‖²) x}, formed explicitly. */
    public static double[] perp(double[] x, int xOff, double[] v, int vOff, int d) {
        double vv = dot(v, vOff, v, vOff, d);
        double vx = dot(v, vOff, x, xOff, d);
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = x[xOff + j] - v[vOff + j] * vx / vv;
        }
        return out;
    }

    /** {@code H_ij = (1/m) Σ_k x_i·x_j 1{w_k·x_i ≥ 0} 1{w_k·x_j ≥ 0}} for directions {@code w} ({@code m×d}). */
    public static double[] h(Dataset data, double[] w, int m) {
        int n = data.n();
        int d = data.d();
        double[] x = data.x();
        boolean[][] on = new boolean[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                on[i][k] = dot(w, k * d, x, i * d, d) >= 0;
            }
        }
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double xx = dot(x, i * d, x, j * d, d);
                double s = 0;
                for (int k = 0; k < m; k++) {
                    if (on[i][k] && on[j][k]) {
                        s += xx;
                    }
                }
                out[i * n + j] = s / m;
            }
        }
        return out;
    }

    /**
     * The wn kernels of theory.md eq. 3.3, 3.4 (and Du's H, Λ = V/α² + G) at directions {@code v}
     * ({@code m×d}), gains {@code g} and init scale α; {@code c_k² = 1} drops out.
     */
    public static Wn wn(Dataset data, double[] v, double[] g, int m, double alpha) {
        int n = data.n();
        int d = data.d();
        double[] x = data.x();
        // Per (i, k): the pre-activation v_k·x_i and the projection x_i^{v_k⊥}; per k: ‖v_k‖² and ω_k.
        double[][] u = new double[n][m];
        double[][][] perp = new double[n][m][];
        double[] normV2 = new double[m];
        double[] omega = new double[m];
        for (int k = 0; k < m; k++) {
            normV2[k] = dot(v, k * d, v, k * d, d);
            omega[k] = alpha * g[k] * alpha * g[k] / normV2[k];
            for (int i = 0; i < n; i++) {
                u[i][k] = dot(v, k * d, x, i * d, d);
                perp[i][k] = perp(x, i * d, v, k * d, d);
            }
        }
        double[] hh = new double[n * n];
        double[] vv = new double[n * n];
        double[] gg = new double[n * n];
        double[] ll = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double xx = dot(x, i * d, x, j * d, d);
                double sh = 0;
                double sv = 0;
                double sg = 0;
                for (int k = 0; k < m; k++) {
                    if (u[i][k] >= 0 && u[j][k] >= 0) {
                        sh += xx;
                        sv += omega[k] * dot(perp[i][k], 0, perp[j][k], 0, d);
                    }
                    sg += Math.max(u[i][k], 0) * Math.max(u[j][k], 0) / normV2[k];
                }
                hh[i * n + j] = sh / m;
                vv[i * n + j] = sv / m;
                gg[i * n + j] = sg / m;
                ll[i * n + j] = vv[i * n + j] / (alpha * alpha) + gg[i * n + j];
            }
        }
        return new Wn(hh, vv, gg, ll);
    }

    /**
     * The angle between {@code a} and {@code b} by Kahan's formula {@code 2 atan2(‖â − b̂‖, ‖â + b̂‖)},
     * accurate at every angle (unlike {@code acos} of the cosine near 0 and π).
     */
    public static double angle(double[] a, int aOff, double[] b, int bOff, int d) {
        double na = Math.sqrt(dot(a, aOff, a, aOff, d));
        double nb = Math.sqrt(dot(b, bOff, b, bOff, d));
        double minus = 0;
        double plus = 0;
        for (int j = 0; j < d; j++) {
            double p = a[aOff + j] / na;
            double q = b[bOff + j] / nb;
            minus += (p - q) * (p - q);
            plus += (p + q) * (p + q);
        }
        return 2 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
    }

    /**
     * The closed forms written independently of one another (no {@code V∞ = H∞ − G∞} shortcut):
     * {@code H∞ = ‖x_i‖‖x_j‖ cos θ (π − θ)/(2π)}, {@code G∞ = ‖x_i‖‖x_j‖ (sin θ + (π − θ) cos θ)/(2πd)},
     * {@code V∞ = ‖x_i‖‖x_j‖ [(1 − 1/d)(π − θ) cos θ − sin θ/d]/(2π)}; zero rows for zero inputs.
     */
    public static Infinite infinite(Dataset data) {
        int n = data.n();
        int d = data.d();
        double[] x = data.x();
        double[] hh = new double[n * n];
        double[] gg = new double[n * n];
        double[] vv = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double nn = Math.sqrt(dot(x, i * d, x, i * d, d)) * Math.sqrt(dot(x, j * d, x, j * d, d));
                if (nn == 0) {
                    continue;
                }
                double t = i == j ? 0.0 : angle(x, i * d, x, j * d, d);
                double cos = Math.cos(t);
                double sin = Math.sin(t);
                hh[i * n + j] = nn * cos * (Math.PI - t) / (2 * Math.PI);
                gg[i * n + j] = nn * (sin + (Math.PI - t) * cos) / (2 * Math.PI * d);
                vv[i * n + j] = nn * ((1 - 1.0 / d) * (Math.PI - t) * cos - sin / d) / (2 * Math.PI);
            }
        }
        return new Infinite(hh, gg, vv);
    }

    /** The largest {@code |a_i − b_i|}. */
    public static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - b[i]);
            if (Double.isNaN(diff)) {
                return Double.NaN;
            }
            worst = Math.max(worst, diff);
        }
        return worst;
    }

    public static double maxAbs(double[] a) {
        double worst = 0;
        for (double v : a) {
            worst = Math.max(worst, Math.abs(v));
        }
        return worst;
    }

    /** The largest squared input norm: every kernel entry is an average of terms bounded by it (times ω). */
    public static double maxSquaredNorm(Dataset data) {
        double worst = 0;
        for (int i = 0; i < data.n(); i++) {
            worst = Math.max(worst, data.rowNorm(i) * data.rowNorm(i));
        }
        return worst;
    }
}
