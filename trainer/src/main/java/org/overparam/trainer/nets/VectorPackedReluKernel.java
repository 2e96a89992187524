package org.overparam.trainer.nets;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PackedReluKernel} four lanes (nets) at a time with the JDK's vector API: the same fused multiply-adds,
 * multiplications, additions and bit operations as {@link ScalarPackedReluKernel}, so the same bits. Examples go four
 * at a time (a block): each direction vector loaded once serves four examples' chains, and each entry of {@code Q}
 * is loaded and stored once per four links of its chain, which still run in example order. 256-bit vectors.
 * Loaded only where the module is present.
 */
final class VectorPackedReluKernel implements PackedReluKernel {
    static final VectorPackedReluKernel INSTANCE = new VectorPackedReluKernel();
    private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;
    /** Examples per block. */
    private static final int BLOCK = 4;

    private VectorPackedReluKernel() {
    }

    @Override
    public void forward(int n, int d, int m, int tp, double[] x, double[] y, boolean hinge, double[] wt, double[] sc,
                        double[] urow, double[] sums, double[] f, double[] e, double[] loss, double[] h, double[] qt) {
        int c = m * tp;
        int main = m - m % 4;
        Arrays.fill(loss, 0, tp, 0.0);
        Arrays.fill(h, 0, c, 0.0);
        Arrays.fill(qt, 0, d * c, 0.0);
        int i = 0;
        for (; i + BLOCK <= n; i += BLOCK) {
            Arrays.fill(sums, 0, BLOCK * 4 * tp, 0.0);
            preActivations4(x, i * d, d, wt, sc, c, tp, main, urow, sums);
            for (int r = 0; r < BLOCK; r++) {
                residuals(sums, r * 4 * tp, tp, y[i + r], hinge, f, e, (i + r) * tp, loss);
            }
            backward4(urow, e, i * tp, tp, x, i * d, d, c, h, qt);
        }
        for (; i < n; i++) {
            Arrays.fill(sums, 0, 4 * tp, 0.0);
            preActivations1(x, i * d, d, wt, sc, c, tp, main, urow, sums);
            residuals(sums, 0, tp, y[i], hinge, f, e, i * tp, loss);
            backward1(urow, e, i * tp, tp, x, i * d, d, c, h, qt);
        }
    }

    /**
     * Examples {@code i…i+3} ({@code x} from {@code xi}): {@code urow[r·c + col]} their pre-activations (each a chain
     * over the inputs from {@code +0}, four inputs per pass over the columns), then each neuron's {@code s_k σ(u)} added
     * to its partial sum ({@code sums[r·4tp + j·tp + t]}).
     */
    private static void preActivations4(double[] x, int xi, int d, double[] wt, double[] sc, int c, int tp, int main,
                                        double[] urow, double[] sums) {
        Arrays.fill(urow, 0, 4 * c, 0.0);
        int l = 0;
        for (; l + 4 <= d; l += 4) {
            links4(x, xi, d, l, wt, c, urow);
        }
        for (; l < d; l++) {
            links1(x, xi, d, l, wt, c, urow);
        }
        int s1 = 4 * tp;
        for (int k = 0; k < c / tp; k++) {
            int at = (k < main ? k & 3 : 0) * tp;
            for (int t = 0; t < tp; t += 4) {
                int col = k * tp + t;
                DoubleVector s = DoubleVector.fromArray(FOUR, sc, col);
                addTerm(sums, at + t, s, DoubleVector.fromArray(FOUR, urow, col));
                addTerm(sums, s1 + at + t, s, DoubleVector.fromArray(FOUR, urow, c + col));
                addTerm(sums, 2 * s1 + at + t, s, DoubleVector.fromArray(FOUR, urow, 2 * c + col));
                addTerm(sums, 3 * s1 + at + t, s, DoubleVector.fromArray(FOUR, urow, 3 * c + col));
            }
        }
    }

    /** Links {@code l…l+3} of the {@code P} chains of examples {@code i…i+3}, every column. */
    private static void links4(double[] x, int xi, int d, int l, double[] wt, int c, double[] urow) {
        int r0 = xi + l;
        int r1 = r0 + d;
        int r2 = r1 + d;
        int r3 = r2 + d;
        DoubleVector x00 = DoubleVector.broadcast(FOUR, x[r0]);
        DoubleVector x01 = DoubleVector.broadcast(FOUR, x[r0 + 1]);
        DoubleVector x02 = DoubleVector.broadcast(FOUR, x[r0 + 2]);
        DoubleVector x03 = DoubleVector.broadcast(FOUR, x[r0 + 3]);
        DoubleVector x10 = DoubleVector.broadcast(FOUR, x[r1]);
        DoubleVector x11 = DoubleVector.broadcast(FOUR, x[r1 + 1]);
        DoubleVector x12 = DoubleVector.broadcast(FOUR, x[r1 + 2]);
        DoubleVector x13 = DoubleVector.broadcast(FOUR, x[r1 + 3]);
        DoubleVector x20 = DoubleVector.broadcast(FOUR, x[r2]);
        DoubleVector x21 = DoubleVector.broadcast(FOUR, x[r2 + 1]);
        DoubleVector x22 = DoubleVector.broadcast(FOUR, x[r2 + 2]);
        DoubleVector x23 = DoubleVector.broadcast(FOUR, x[r2 + 3]);
        DoubleVector x30 = DoubleVector.broadcast(FOUR, x[r3]);
        DoubleVector x31 = DoubleVector.broadcast(FOUR, x[r3 + 1]);
        DoubleVector x32 = DoubleVector.broadcast(FOUR, x[r3 + 2]);
        DoubleVector x33 = DoubleVector.broadcast(FOUR, x[r3 + 3]);
        int w0 = l * c;
        for (int col = 0; col < c; col += 4) {
            DoubleVector a = DoubleVector.fromArray(FOUR, wt, w0 + col);
            DoubleVector b = DoubleVector.fromArray(FOUR, wt, w0 + c + col);
            DoubleVector e = DoubleVector.fromArray(FOUR, wt, w0 + 2 * c + col);
            DoubleVector g = DoubleVector.fromArray(FOUR, wt, w0 + 3 * c + col);
            x03.fma(g, x02.fma(e, x01.fma(b, x00.fma(a, DoubleVector.fromArray(FOUR, urow, col))))).intoArray(urow, col);
            x13.fma(g, x12.fma(e, x11.fma(b, x10.fma(a, DoubleVector.fromArray(FOUR, urow, c + col))))).intoArray(urow, c + col);
            x23.fma(g, x22.fma(e, x21.fma(b, x20.fma(a, DoubleVector.fromArray(FOUR, urow, 2 * c + col))))).intoArray(urow, 2 * c + col);
            x33.fma(g, x32.fma(e, x31.fma(b, x30.fma(a, DoubleVector.fromArray(FOUR, urow, 3 * c + col))))).intoArray(urow, 3 * c + col);
        }
    }

    /** Link {@code l} of the {@code P} chains of examples {@code i…i+3}, every column. */
    private static void links1(double[] x, int xi, int d, int l, double[] wt, int c, double[] urow) {
        DoubleVector x0 = DoubleVector.broadcast(FOUR, x[xi + l]);
        DoubleVector x1 = DoubleVector.broadcast(FOUR, x[xi + d + l]);
        DoubleVector x2 = DoubleVector.broadcast(FOUR, x[xi + 2 * d + l]);
        DoubleVector x3 = DoubleVector.broadcast(FOUR, x[xi + 3 * d + l]);
        int w0 = l * c;
        for (int col = 0; col < c; col += 4) {
            DoubleVector a = DoubleVector.fromArray(FOUR, wt, w0 + col);
            x0.fma(a, DoubleVector.fromArray(FOUR, urow, col)).intoArray(urow, col);
            x1.fma(a, DoubleVector.fromArray(FOUR, urow, c + col)).intoArray(urow, c + col);
            x2.fma(a, DoubleVector.fromArray(FOUR, urow, 2 * c + col)).intoArray(urow, 2 * c + col);
            x3.fma(a, DoubleVector.fromArray(FOUR, urow, 3 * c + col)).intoArray(urow, 3 * c + col);
        }
    }

    /** {@link #preActivations4} for one example. */
    private static void preActivations1(double[] x, int xi, int d, double[] wt, double[] sc, int c, int tp, int main,
                                        double[] urow, double[] sums) {
        for (int col = 0; col < c; col += 4) {
            DoubleVector a0 = DoubleVector.zero(FOUR);
            for (int l = 0; l < d; l++) {
                a0 = DoubleVector.broadcast(FOUR, x[xi + l]).fma(DoubleVector.fromArray(FOUR, wt, l * c + col), a0);
            }
            a0.intoArray(urow, col);
            int k = col / tp;
            addTerm(sums, (k < main ? k & 3 : 0) * tp + col - k * tp, DoubleVector.fromArray(FOUR, sc, col), a0);
        }
    }

    /** {@code sums[at…at+4) += s·σ(u)}. */
    private static void addTerm(double[] sums, int at, DoubleVector s, DoubleVector u) {
        DoubleVector.fromArray(FOUR, sums, at).add(s.mul(relu(u))).intoArray(sums, at);
    }

    /**
     * One example's outputs {@code f = (s0 + s1) + (s2 + s3)} from its partial sums at {@code sums[from…)}, residuals
     * and loss terms, every lane ({@link PackedReluKernel#residual}, {@link PackedReluKernel#term}).
     */
    private static void residuals(double[] sums, int from, int tp, double yi, boolean hinge, double[] f, double[] e,
                                  int out, double[] loss) {
        DoubleVector yv = DoubleVector.broadcast(FOUR, yi);
        DoubleVector zero = DoubleVector.zero(FOUR);
        for (int t = 0; t < tp; t += 4) {
            DoubleVector fv = DoubleVector.fromArray(FOUR, sums, from + t).add(DoubleVector.fromArray(FOUR, sums, from + tp + t))
                    .add(DoubleVector.fromArray(FOUR, sums, from + 2 * tp + t).add(DoubleVector.fromArray(FOUR, sums, from + 3 * tp + t)));
            fv.intoArray(f, out + t);
            DoubleVector ev;
            DoubleVector term;
            if (hinge) {
                DoubleVector r = DoubleVector.broadcast(FOUR, 1.0).sub(yv.mul(fv));
                VectorMask<Double> positive = r.compare(VectorOperators.GT, 0.0);
                ev = zero.blend(yv.neg().mul(r), positive);
                term = zero.blend(r.mul(r), positive);
            } else {
                ev = fv.sub(yv);
                term = ev.mul(ev);
            }
            ev.intoArray(e, out + t);
            DoubleVector.fromArray(FOUR, loss, t).add(term).intoArray(loss, t);
        }
    }

    /**
     * Examples {@code i…i+3}: {@code h += e σ(u)} (in example order), and the next four links of every {@code Q}
     * chain, {@code qt ← fma(D_{i+3}, x_{i+3}, … fma(D_i, x_i, qt))} with {@code D = e 1{u ≥ 0}}.
     */
    private static void backward4(double[] urow, double[] e, int ei, int tp, double[] x, int xi, int d, int c,
                                  double[] h, double[] qt) {
        for (int r = 0; r < BLOCK; r++) {
            backprop(urow, r * c, e, ei + r * tp, tp, h, c);
        }
        int l = 0;
        for (; l + 1 < d; l += 2) {
            gradientLinks2(urow, x, xi, d, l, qt, c);
        }
        if (l < d) {
            gradientLinks1(urow, x, xi, d, l, qt, c);
        }
    }

    /** Four links (examples {@code i…i+3}, rows of {@code D} in {@code dRows}) of the chains of inputs {@code l, l+1}. */
    private static void gradientLinks2(double[] dRows, double[] x, int xi, int d, int l, double[] qt, int c) {
        DoubleVector x0 = DoubleVector.broadcast(FOUR, x[xi + l]);
        DoubleVector x1 = DoubleVector.broadcast(FOUR, x[xi + d + l]);
        DoubleVector x2 = DoubleVector.broadcast(FOUR, x[xi + 2 * d + l]);
        DoubleVector x3 = DoubleVector.broadcast(FOUR, x[xi + 3 * d + l]);
        DoubleVector y0 = DoubleVector.broadcast(FOUR, x[xi + l + 1]);
        DoubleVector y1 = DoubleVector.broadcast(FOUR, x[xi + d + l + 1]);
        DoubleVector y2 = DoubleVector.broadcast(FOUR, x[xi + 2 * d + l + 1]);
        DoubleVector y3 = DoubleVector.broadcast(FOUR, x[xi + 3 * d + l + 1]);
        int off = l * c;
        for (int col = 0; col < c; col += 4) {
            DoubleVector d0 = DoubleVector.fromArray(FOUR, dRows, col);
            DoubleVector d1 = DoubleVector.fromArray(FOUR, dRows, c + col);
            DoubleVector d2 = DoubleVector.fromArray(FOUR, dRows, 2 * c + col);
            DoubleVector d3 = DoubleVector.fromArray(FOUR, dRows, 3 * c + col);
            d3.fma(x3, d2.fma(x2, d1.fma(x1, d0.fma(x0, DoubleVector.fromArray(FOUR, qt, off + col))))).intoArray(qt, off + col);
            d3.fma(y3, d2.fma(y2, d1.fma(y1, d0.fma(y0, DoubleVector.fromArray(FOUR, qt, off + c + col))))).intoArray(qt, off + c + col);
        }
    }

    /** {@link #gradientLinks2} for input {@code l} alone. */
    private static void gradientLinks1(double[] dRows, double[] x, int xi, int d, int l, double[] qt, int c) {
        DoubleVector x0 = DoubleVector.broadcast(FOUR, x[xi + l]);
        DoubleVector x1 = DoubleVector.broadcast(FOUR, x[xi + d + l]);
        DoubleVector x2 = DoubleVector.broadcast(FOUR, x[xi + 2 * d + l]);
        DoubleVector x3 = DoubleVector.broadcast(FOUR, x[xi + 3 * d + l]);
        int off = l * c;
        for (int col = 0; col < c; col += 4) {
            DoubleVector d0 = DoubleVector.fromArray(FOUR, dRows, col);
            DoubleVector d1 = DoubleVector.fromArray(FOUR, dRows, c + col);
            DoubleVector d2 = DoubleVector.fromArray(FOUR, dRows, 2 * c + col);
            DoubleVector d3 = DoubleVector.fromArray(FOUR, dRows, 3 * c + col);
            d3.fma(x3, d2.fma(x2, d1.fma(x1, d0.fma(x0, DoubleVector.fromArray(FOUR, qt, off + col))))).intoArray(qt, off + col);
        }
    }

    /** {@link #backward4} for one example. */
    private static void backward1(double[] urow, double[] e, int ei, int tp, double[] x, int xi, int d, int c,
                                  double[] h, double[] qt) {
        backprop(urow, 0, e, ei, tp, h, c);
        for (int l = 0; l < d; l++) {
            DoubleVector xl = DoubleVector.broadcast(FOUR, x[xi + l]);
            int off = l * c;
            for (int col = 0; col < c; col += 4) {
                DoubleVector.fromArray(FOUR, urow, col).fma(xl, DoubleVector.fromArray(FOUR, qt, off + col)).intoArray(qt, off + col);
            }
        }
    }

    /** One example's {@code h += e σ(u)} and its row of pre-activations ({@code urow[from…from+c)}) turned into {@code D = e 1{u ≥ 0}}. */
    private static void backprop(double[] urow, int from, double[] e, int ei, int tp, double[] h, int c) {
        for (int k = 0; k < c; k += tp) {
            for (int t = 0; t < tp; t += 4) {
                int col = k + t;
                DoubleVector u = DoubleVector.fromArray(FOUR, urow, from + col);
                DoubleVector ev = DoubleVector.fromArray(FOUR, e, ei + t);
                DoubleVector.fromArray(FOUR, h, col).add(ev.mul(relu(u))).intoArray(h, col);
                mask(ev, u).intoArray(urow, from + col);
            }
        }
    }

    /**
     * {@code e·1{u ≥ 0}} as bits ({@code e} or {@code +0}; {@code −0.0} counts as {@code ≥ 0}), as {@link ScalarReluRows}.
     * Bit operations: comparisons into masks and blends of long vectors are not compiled to SIMD by C2 in Java 17.
     */
    private static DoubleVector mask(DoubleVector ev, DoubleVector u) {
        LongVector b = u.reinterpretAsLongs();
        LongVector magnitude = b.lanewise(VectorOperators.LSHL, 1);
        LongVector nonZero = magnitude.or(magnitude.neg()).lanewise(VectorOperators.LSHR, 63);
        LongVector negative = b.lanewise(VectorOperators.ASHR, 63).and(nonZero.neg());
        return ev.reinterpretAsLongs().and(negative.not()).reinterpretAsDoubles();
    }

    private static DoubleVector relu(DoubleVector u) {
        LongVector b = u.reinterpretAsLongs();
        return b.and(b.lanewise(VectorOperators.ASHR, 63).not()).reinterpretAsDoubles();
    }
}
