package org.overparam.trainer.nets;

/** {@link ReluRows} in plain Java: branch-free on the bits (the signs of {@code u} are a coin toss). */
final class ScalarReluRows implements ReluRows {
    static final ScalarReluRows INSTANCE = new ScalarReluRows();

    private ScalarReluRows() {
    }

    @Override
    public double output(double[] pre, int row, double[] scale, int m) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        // A negative u adds s_k·(+0), which leaves a partial sum unchanged.
        for (; k + 3 < m; k += 4) {
            s0 += scale[k] * relu(pre[row + k]);
            s1 += scale[k + 1] * relu(pre[row + k + 1]);
            s2 += scale[k + 2] * relu(pre[row + k + 2]);
            s3 += scale[k + 3] * relu(pre[row + k + 3]);
        }
        for (; k < m; k++) {
            s0 += scale[k] * relu(pre[row + k]);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void backprop(double[] pre, int row, double e, double[] h, int m) {
        backpropTail(pre, row, e, h, 0, m);
    }

    /** {@link #backprop} for neurons {@code from ≤ k < m} only. */
    void backpropTail(double[] pre, int row, double e, double[] h, int from, int m) {
        long eBits = Double.doubleToRawLongBits(e);
        for (int k = from; k < m; k++) {
            long u = Double.doubleToRawLongBits(pre[row + k]);
            h[k] += e * Double.longBitsToDouble(u & ~(u >> 63)); // + e σ(u); + (±0) when u < 0
            pre[row + k] = Double.longBitsToDouble(eBits & ~negative(u)); // e 1{u ≥ 0}
        }
    }

    /** {@code σ(u) = max(u, 0)} on the bits: clears {@code u} when its sign bit is set ({@code −0.0} gives {@code +0.0}). */
    static double relu(double u) {
        long b = Double.doubleToRawLongBits(u);
        return Double.longBitsToDouble(b & ~(b >> 63));
    }

    /** All ones when the double with bits {@code b} is {@code < 0} ({@code −0.0} counts as 0), else 0. */
    static long negative(long b) {
        long magnitude = b << 1;
        return (b >> 63) & -((magnitude | -magnitude) >>> 63);
    }
}
