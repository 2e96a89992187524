package org.overparam.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.ntk.SymmetricEigen;

/**
 * The benchmarked instruments against an independent computation: H, V, G, Λ by loops over neurons
 * (theory.md §2, eq. 3.3–3.5, with the projections {@code x^⊥} written out) and eigenvalues by cyclic
 * Jacobi rotations. Tolerance 1e-10 relative to the largest eigenvalue of each matrix.
 */
class KernelInstrumentBenchmarkTest {

    @Test
    void theServiceLoaderFindsIt() {
        List<InstrumentBenchmark> found = new ArrayList<>();
        ServiceLoader.load(InstrumentBenchmark.class).forEach(found::add);
        assertEquals(1, found.size());
        assertInstanceOf(KernelInstrumentBenchmark.class, found.get(0));
        assertTrue(found.get(0).description().contains("dsyevd"), found.get(0).description());
    }

    @Test
    void extremeEigenvaluesMatchNaiveKernelsAndJacobi() {
        int n = 7;
        int d = 4;
        int m = 16;
        double alpha = 0.7;
        Dataset data = new SphereData(SphereTarget.SIGN, 11).load(n, d);
        InitialDraws init = InitialDraws.draw(5, m, d);
        WeightNormNet net = new WeightNormNet(data, init, alpha, RowMajorBlas.best());
        net.forward();
        net.step(0.3);          // away from init, so that the gains and norms differ from 1
        net.forward();
        double[] got = new KernelInstrumentBenchmark(SymmetricEigen.reproducible(), RowMajorBlas.best())
                .evaluate(data, init, alpha, net);

        double[] x = data.x();
        double[] v = net.directionsCopy();
        double[] g = net.gains();
        double[][] h = new double[n][n];
        double[][] vk = new double[n][n];
        double[][] gk = new double[n][n];
        double[][] lam = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sh = 0;
                double sv = 0;
                double sg = 0;
                for (int k = 0; k < m; k++) {
                    double norm = 0;
                    double ui = 0;
                    double uj = 0;
                    for (int a = 0; a < d; a++) {
                        norm += v[k * d + a] * v[k * d + a];
                        ui += x[i * d + a] * v[k * d + a];
                        uj += x[j * d + a] * v[k * d + a];
                    }
                    norm = Math.sqrt(norm);
                    if (ui < 0 || uj < 0) {
                        continue;
                    }
                    double xx = 0;
                    double perp = 0;
                    for (int a = 0; a < d; a++) {
                        double vh = v[k * d + a] / norm;
                        xx += x[i * d + a] * x[j * d + a];
                        perp += (x[i * d + a] - ui / norm * vh) * (x[j * d + a] - uj / norm * vh);
                    }
                    double omega = Math.pow(alpha * init.c()[k] * g[k] / norm, 2);
                    sh += xx;
                    sv += omega * perp;
                    sg += ui * uj / (norm * norm);
                }
                h[i][j] = sh / m;
                vk[i][j] = sv / m;
                gk[i][j] = sg / m;
                lam[i][j] = vk[i][j] / (alpha * alpha) + gk[i][j];
            }
        }
        double[][][] all = {h, vk, gk, lam};
        for (int t = 0; t < 4; t++) {
            double[] ev = jacobiEigenvalues(all[t]);
            double scale = Math.abs(ev[n - 1]);
            assertEquals(ev[0], got[2 * t], 1e-10 * scale, "λmin of matrix " + t);
            assertEquals(ev[n - 1], got[2 * t + 1], 1e-10 * scale, "λmax of matrix " + t);
        }
    }

    @Test
    void anUnknownLapackChoiceIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelInstrumentBenchmark.eigenFromProperty("gpu"));
        assertTrue(e.getMessage().contains("overparam.bench.eigen") && e.getMessage().contains("'gpu'"), e.getMessage());
    }

    /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending. */
    private static double[] jacobiEigenvalues(double[][] in) {
        int n = in.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = in[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = a[i][i];
        }
        java.util.Arrays.sort(ev);
        return ev;
    }
}
