package org.overparam.trainer.nets;

/** {@link BatchNormRows} in plain Java: bn's loops as they always were, one unit at a time. */
final class ScalarBatchNormRows implements BatchNormRows {
    static final ScalarBatchNormRows INSTANCE = new ScalarBatchNormRows();

    private ScalarBatchNormRows() {
    }

    @Override
    public void scaled(double[] p, int row, double[] c, double[] norm, double[] out, int m) {
        scaledTail(p, row, c, norm, out, 0, m);
    }

    void scaledTail(double[] p, int row, double[] c, double[] norm, double[] out, int from, int m) {
        for (int j = from; j < m; j++) {
            out[j] = c[j] * p[row + j] / norm[j];
        }
    }

    @Override
    public void backprop(double[] p, int row, double[] norm, double[] a, double[] c, double gi, double[] grad, double[] r, double[] t, int m) {
        backpropTail(p, row, norm, a, c, gi, grad, r, t, 0, m);
    }

    void backpropTail(double[] p, int row, double[] norm, double[] a, double[] c, double gi, double[] grad, double[] r, double[] t, int from,
                      int m) {
        for (int j = from; j < m; j++) {
            double u = p[row + j] / norm[j];
            double s = c[j] * u;
            if (s > 0) {
                grad[j] += gi * s;
                grad[m + j] += gi * a[j] * u;
                double rij = gi * a[j] * c[j] / norm[j];
                r[row + j] = rij;
                t[j] += rij * p[row + j];
            } else {
                r[row + j] = 0.0;
            }
        }
    }
}
