package org.overparam.trainer.nets;

import java.util.Arrays;

/** {@link PackedReluKernel} as plain loops, lane by lane: the reference for the SIMD implementation. */
final class ScalarPackedReluKernel implements PackedReluKernel {
    static final ScalarPackedReluKernel INSTANCE = new ScalarPackedReluKernel();

    private ScalarPackedReluKernel() {
    }

    @Override
    public void forward(int n, int d, int m, int tp, double[] x, double[] y, boolean hinge, double[] wt, double[] sc,
                        double[] urow, double[] sums, double[] f, double[] e, double[] loss, double[] h, double[] qt) {
        int c = m * tp;
        int main = m - m % 4;
        Arrays.fill(loss, 0, tp, 0.0);
        Arrays.fill(h, 0, c, 0.0);
        Arrays.fill(qt, 0, d * c, 0.0);
        for (int i = 0; i < n; i++) {
            Arrays.fill(sums, 0, 4 * tp, 0.0);
            for (int k = 0; k < m; k++) {
                int j = k < main ? k & 3 : 0;
                for (int t = 0; t < tp; t++) {
                    int col = k * tp + t;
                    double u = 0.0;
                    for (int l = 0; l < d; l++) {
                        u = Math.fma(x[i * d + l], wt[l * c + col], u);
                    }
                    urow[col] = u;
                    sums[j * tp + t] += sc[col] * ScalarReluRows.relu(u);
                }
            }
            double yi = y[i];
            for (int t = 0; t < tp; t++) {
                double fi = (sums[t] + sums[tp + t]) + (sums[2 * tp + t] + sums[3 * tp + t]);
                f[i * tp + t] = fi;
                e[i * tp + t] = PackedReluKernel.residual(hinge, fi, yi);
                loss[t] += PackedReluKernel.term(hinge, fi, yi);
            }
            for (int k = 0; k < m; k++) {
                for (int t = 0; t < tp; t++) {
                    int col = k * tp + t;
                    double ei = e[i * tp + t];
                    long u = Double.doubleToRawLongBits(urow[col]);
                    h[col] += ei * Double.longBitsToDouble(u & ~(u >> 63));
                    double dik = Double.longBitsToDouble(Double.doubleToRawLongBits(ei) & ~ScalarReluRows.negative(u));
                    for (int l = 0; l < d; l++) {
                        qt[l * c + col] = Math.fma(dik, x[i * d + l], qt[l * c + col]);
                    }
                }
            }
        }
    }
}
