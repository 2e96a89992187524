package org.overparam.trainer.nets;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GeluKernel} with the JDK's vector API (incubating in Java 17) at the CPU's widest vectors: every
 * lane does the operations of {@link Erf#gaussian}, {@link Erf#exp}, {@link Erf#cdf} and
 * {@link ScalarGeluKernel#slope} in the same order with the same constants, so each result has the bits of
 * {@link ScalarGeluKernel}. Where lanes fall in different intervals of erfc, each interval present in a
 * vector is evaluated on all its lanes and blended in; an interval no lane is in is skipped.
 *
 * <p>The work goes in passes over blocks of {@value #BLOCK} elements (exp(−s²/2); Φ on the inner interval;
 * near 1; the tail's two ratios; the tail; the outputs), each a loop from arrays to arrays. Why: C2 turns vector
 * objects into registers only where every vector operation of a compiled method is inlined, and it stops
 * inlining past a node budget (about a hundred vector operations) or at a call to a method compiled apart; a
 * vector passed to such a call is boxed on the heap, some 20–50× slower. So no vector crosses a method
 * boundary here: the four passes of more than 325 bytes of bytecode ({@code FreqInlineSize}) are compiled on
 * their own, and the three smaller ones (some 60 vector operations together) fit the budget of the loop over
 * blocks if C2 inlines them there. (Measured: no allocation per element once compiled, with every pass busy.)
 */
final class VectorGeluKernel implements GeluKernel {
    static final VectorGeluKernel INSTANCE = new VectorGeluKernel();
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    /** Elements per block: the block's scratch rows stay in the L1 cache between passes. */
    static final int BLOCK = 256;

    private VectorGeluKernel() {
    }

    @Override
    public void valuesAndSlopes(double[] pre, double[] values, double[] slopes, int from, int to) {
        int end = from + LANES.loopBound(to - from);
        double[] g = new double[BLOCK];
        double[] phi = new double[BLOCK];
        double[] ratio = new double[BLOCK];
        for (int b = from; b < end; b += BLOCK) {
            int len = Math.min(BLOCK, end - b);
            gaussians(pre, b, g, len);
            double largest = innerCdf(pre, b, phi, len);
            if (largest >= Erf.SMALL) {
                nearOneCdf(pre, b, phi, len);
            }
            if (largest >= Erf.NEAR_ONE) {
                tailRatiosNear(pre, b, ratio, len);
                if (largest >= Erf.TAIL_B) {
                    tailRatiosFar(pre, b, ratio, len);
                }
                tailCdf(pre, b, g, ratio, phi, len);
            }
            outputs(pre, b, g, phi, values, slopes, len);
        }
        ScalarGeluKernel.INSTANCE.valuesAndSlopes(pre, values, slopes, end, to);
    }

    /** {@code g[i] = exp(−s²/2)} for {@code s = pre[b + i]}, {@code i < len}: {@link Erf#gaussian} with {@link Erf#exp}. */
    private static void gaussians(double[] pre, int b, double[] g, int len) {
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector a = DoubleVector.fromArray(LANES, pre, b + i).abs().min(Erf.GAUSSIAN_ZERO);
            DoubleVector sh = a.reinterpretAsLongs().and(Erf.HIGH_26).reinterpretAsDoubles();
            DoubleVector d = sh.sub(a).mul(sh.add(a)).mul(0.5);
            DoubleVector cubic = d.mul(Erf.ONE_SIXTH).add(0.5).mul(d).add(1.0).mul(d).add(1.0);
            // Erf.exp(sh·sh·(−½))
            DoubleVector x = sh.mul(sh).mul(-0.5);
            DoubleVector shifted = x.mul(Erf.INV_LN2).add(Erf.SHIFTER);
            DoubleVector kd = shifted.sub(Erf.SHIFTER);
            DoubleVector hi = x.sub(kd.mul(Erf.LN2_HI));
            DoubleVector lo = kd.mul(Erf.LN2_LO);
            DoubleVector r = hi.sub(lo);
            DoubleVector t = r.mul(r);
            DoubleVector c = r.sub(t.mul(t.mul(Erf.P5).add(Erf.P4).mul(t).add(Erf.P3).mul(t).add(Erf.P2).mul(t).add(Erf.P1)));
            DoubleVector two = DoubleVector.broadcast(LANES, 2.0);
            DoubleVector y = DoubleVector.broadcast(LANES, 1.0).sub(lo.sub(r.mul(c).div(two.sub(c))).sub(hi));
            LongVector k = shifted.reinterpretAsLongs().sub(Erf.SHIFTER_BITS);
            LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
            DoubleVector scale1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector scale2 = k.sub(k1).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            y.mul(scale1).mul(scale2).mul(cubic).intoArray(g, i);
        }
    }

    /**
     * {@code phi[i] = Φ(pre[b + i])} where {@code |x| < 0.84375} ({@code x = −s/√2}), and its limits 0 or 1 beyond
     * {@code |x| ≥ 28} and for NaN; other lanes are left to the other passes. Returns the largest {@code |x|}
     * of the block (NaN lanes aside), which says whether those passes have work.
     */
    private static double innerCdf(double[] pre, int b, double[] phi, int len) {
        DoubleVector largest = DoubleVector.zero(LANES);
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector x = DoubleVector.fromArray(LANES, pre, b + i).mul(-Erf.INV_SQRT_2);
            DoubleVector ax = x.abs();
            largest = largest.blend(ax, ax.compare(VectorOperators.GT, largest)); // not max: a NaN lane must not hide the rest
            DoubleVector v = DoubleVector.broadcast(LANES, 1.0).blend(0.0, x.compare(VectorOperators.GT, 0.0));
            VectorMask<Double> small = ax.compare(VectorOperators.LT, Erf.SMALL);
            if (small.anyTrue()) {
                DoubleVector z = x.mul(x);
                DoubleVector p = z.mul(Erf.PP4).add(Erf.PP3).mul(z).add(Erf.PP2).mul(z).add(Erf.PP1).mul(z).add(Erf.PP0);
                DoubleVector q = z.mul(Erf.QQ5).add(Erf.QQ4).mul(z).add(Erf.QQ3).mul(z).add(Erf.QQ2).mul(z).add(Erf.QQ1)
                        .mul(z).add(1.0);
                DoubleVector y = p.div(q);
                DoubleVector nearZero = DoubleVector.broadcast(LANES, 1.0).sub(x.add(x.mul(y)));
                DoubleVector beyondQuarter = DoubleVector.broadcast(LANES, 0.5).sub(x.mul(y).add(x.sub(0.5)));
                v = v.blend(beyondQuarter.blend(nearZero, x.compare(VectorOperators.LT, 0.25)).mul(0.5), small);
            }
            v.intoArray(phi, i);
        }
        return largest.reduceLanes(VectorOperators.MAX);
    }

    /** {@code phi[i] = Φ(pre[b + i])} where {@code 0.84375 ≤ |x| < 1.25}; other lanes unchanged. */
    private static void nearOneCdf(double[] pre, int b, double[] phi, int len) {
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector x = DoubleVector.fromArray(LANES, pre, b + i).mul(-Erf.INV_SQRT_2);
            DoubleVector ax = x.abs();
            VectorMask<Double> near = ax.compare(VectorOperators.LT, Erf.NEAR_ONE).andNot(ax.compare(VectorOperators.LT, Erf.SMALL));
            if (!near.anyTrue()) {
                continue;
            }
            DoubleVector t = ax.sub(1.0);
            DoubleVector p = t.mul(Erf.PA6).add(Erf.PA5).mul(t).add(Erf.PA4).mul(t).add(Erf.PA3).mul(t).add(Erf.PA2).mul(t)
                    .add(Erf.PA1).mul(t).add(Erf.PA0);
            DoubleVector q = t.mul(Erf.QA6).add(Erf.QA5).mul(t).add(Erf.QA4).mul(t).add(Erf.QA3).mul(t).add(Erf.QA2).mul(t)
                    .add(Erf.QA1).mul(t).add(1.0);
            DoubleVector pq = p.div(q);
            DoubleVector right = DoubleVector.broadcast(LANES, Erf.ONE_MINUS_ERX).sub(pq);
            DoubleVector left = DoubleVector.broadcast(LANES, 1.0).add(pq.add(Erf.ERX));
            DoubleVector v = left.blend(right, x.compare(VectorOperators.GE, 0.0)).mul(0.5);
            DoubleVector.fromArray(LANES, phi, i).blend(v, near).intoArray(phi, i);
        }
    }

    /** {@code ratio[i] = RA/SA(1/x²)} ({@link Erf#tailA}) where {@code 1.25 ≤ |x| < 1/0.35}; other lanes unchanged. */
    private static void tailRatiosNear(double[] pre, int b, double[] ratio, int len) {
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector ax = DoubleVector.fromArray(LANES, pre, b + i).mul(-Erf.INV_SQRT_2).abs();
            VectorMask<Double> in = ax.compare(VectorOperators.GE, Erf.NEAR_ONE).and(ax.compare(VectorOperators.LT, Erf.TAIL_B));
            if (!in.anyTrue()) {
                continue;
            }
            DoubleVector u = DoubleVector.broadcast(LANES, 1.0).div(ax.mul(ax));
            DoubleVector r = u.mul(Erf.RA7).add(Erf.RA6).mul(u).add(Erf.RA5).mul(u).add(Erf.RA4).mul(u).add(Erf.RA3)
                    .mul(u).add(Erf.RA2).mul(u).add(Erf.RA1).mul(u).add(Erf.RA0);
            DoubleVector s = u.mul(Erf.SA8).add(Erf.SA7).mul(u).add(Erf.SA6).mul(u).add(Erf.SA5).mul(u).add(Erf.SA4)
                    .mul(u).add(Erf.SA3).mul(u).add(Erf.SA2).mul(u).add(Erf.SA1).mul(u).add(1.0);
            DoubleVector.fromArray(LANES, ratio, i).blend(r.div(s), in).intoArray(ratio, i);
        }
    }

    /** {@code ratio[i] = RB/SB(1/x²)} ({@link Erf#tailB}) where {@code 1/0.35 ≤ |x| < 28}; other lanes unchanged. */
    private static void tailRatiosFar(double[] pre, int b, double[] ratio, int len) {
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector ax = DoubleVector.fromArray(LANES, pre, b + i).mul(-Erf.INV_SQRT_2).abs();
            VectorMask<Double> in = ax.compare(VectorOperators.GE, Erf.TAIL_B).and(ax.compare(VectorOperators.LT, Erf.ERFC_ZERO));
            if (!in.anyTrue()) {
                continue;
            }
            DoubleVector u = DoubleVector.broadcast(LANES, 1.0).div(ax.mul(ax));
            DoubleVector r = u.mul(Erf.RB6).add(Erf.RB5).mul(u).add(Erf.RB4).mul(u).add(Erf.RB3).mul(u).add(Erf.RB2)
                    .mul(u).add(Erf.RB1).mul(u).add(Erf.RB0);
            DoubleVector s = u.mul(Erf.SB7).add(Erf.SB6).mul(u).add(Erf.SB5).mul(u).add(Erf.SB4).mul(u).add(Erf.SB3)
                    .mul(u).add(Erf.SB2).mul(u).add(Erf.SB1).mul(u).add(1.0);
            DoubleVector.fromArray(LANES, ratio, i).blend(r.div(s), in).intoArray(ratio, i);
        }
    }

    /**
     * {@code phi[i] = Φ(pre[b + i])} where {@code 1.25 ≤ |x| < 28}: {@code q = g·exp(ratio − 0.5625)/(2|x|)},
     * {@code Φ = q} for {@code s < 0}, {@code 1 − q} for {@code s > 0}; other lanes unchanged.
     */
    private static void tailCdf(double[] pre, int b, double[] g, double[] ratio, double[] phi, int len) {
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector x = DoubleVector.fromArray(LANES, pre, b + i).mul(-Erf.INV_SQRT_2);
            DoubleVector ax = x.abs();
            VectorMask<Double> tail = ax.compare(VectorOperators.LT, Erf.ERFC_ZERO).andNot(ax.compare(VectorOperators.LT, Erf.NEAR_ONE));
            if (!tail.anyTrue()) {
                continue;
            }
            // Erf.exp(ratio − 0.5625)
            DoubleVector e = DoubleVector.fromArray(LANES, ratio, i).sub(0.5625);
            DoubleVector shifted = e.mul(Erf.INV_LN2).add(Erf.SHIFTER);
            DoubleVector kd = shifted.sub(Erf.SHIFTER);
            DoubleVector hi = e.sub(kd.mul(Erf.LN2_HI));
            DoubleVector lo = kd.mul(Erf.LN2_LO);
            DoubleVector r = hi.sub(lo);
            DoubleVector t = r.mul(r);
            DoubleVector c = r.sub(t.mul(t.mul(Erf.P5).add(Erf.P4).mul(t).add(Erf.P3).mul(t).add(Erf.P2).mul(t).add(Erf.P1)));
            DoubleVector two = DoubleVector.broadcast(LANES, 2.0);
            DoubleVector y = DoubleVector.broadcast(LANES, 1.0).sub(lo.sub(r.mul(c).div(two.sub(c))).sub(hi));
            LongVector k = shifted.reinterpretAsLongs().sub(Erf.SHIFTER_BITS);
            LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
            DoubleVector scale1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector scale2 = k.sub(k1).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector exp = y.mul(scale1).mul(scale2);
            DoubleVector q = DoubleVector.fromArray(LANES, g, i).mul(exp).div(ax.add(ax));
            DoubleVector v = DoubleVector.broadcast(LANES, 1.0).sub(q).blend(q, x.compare(VectorOperators.GT, 0.0));
            DoubleVector.fromArray(LANES, phi, i).blend(v, tail).intoArray(phi, i);
        }
    }

    /**
     * {@code values = s·Φ}, {@code slopes = Φ + s·(g/√(2π))} ({@link ScalarGeluKernel#slope}), Φ first given, where
     * {@code |x| < 1.25}, the term {@code δ g/√π} of {@link Erf#cdf} ({@link Erf#argumentError}).
     */
    private static void outputs(double[] pre, int b, double[] g, double[] phi, double[] values, double[] slopes, int len) {
        for (int i = 0; i < len; i += LANES.length()) {
            DoubleVector s = DoubleVector.fromArray(LANES, pre, b + i);
            DoubleVector gi = DoubleVector.fromArray(LANES, g, i);
            DoubleVector p = DoubleVector.fromArray(LANES, phi, i);
            DoubleVector x = s.mul(-Erf.INV_SQRT_2);
            VectorMask<Double> corrected = x.abs().compare(VectorOperators.LT, Erf.NEAR_ONE);
            if (corrected.anyTrue()) {
                DoubleVector sh = s.reinterpretAsLongs().and(Erf.HIGH_26).reinterpretAsDoubles();
                DoubleVector sl = s.sub(sh);
                DoubleVector delta = sh.mul(Erf.INV_SQRT_2_HI).add(x).add(sh.mul(Erf.INV_SQRT_2_TAIL)).add(sl.mul(Erf.INV_SQRT_2_HI))
                        .add(sl.mul(Erf.INV_SQRT_2_TAIL)).add(s.mul(Erf.INV_SQRT_2_LO));
                p = p.blend(p.add(delta.mul(gi.mul(Erf.INV_SQRT_PI))), corrected);
            }
            s.mul(p).intoArray(values, b + i);
            p.add(s.mul(gi.mul(Erf.INV_SQRT_2PI))).intoArray(slopes, b + i);
        }
    }
}
