package org.overparam.trainer.ntk;

/** {@link OperandFill} in plain Java, entry by entry. */
final class ScalarOperandFill implements OperandFill {
    static final ScalarOperandFill INSTANCE = new ScalarOperandFill();

    private ScalarOperandFill() {
    }

    @Override
    public void fill(double[] u, int n, int m, double[] scale, boolean relu, double[] vNorm, double[] buffer) {
        fillFrom(u, n, m, scale, relu, vNorm, buffer, 0);
    }

    /** {@link #fill} for columns {@code from ≤ k < m} of every row. */
    void fillFrom(double[] u, int n, int m, double[] scale, boolean relu, double[] vNorm, double[] buffer, int from) {
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int k = from; k < m; k++) {
                double uik = u[row + k];
                double b = 0.0;
                if (uik >= 0) {
                    b = relu ? scale[k] * uik / vNorm[k] : scale[k];
                }
                buffer[row + k] = b;
            }
        }
    }
}
