package org.overparam.trainer.nets;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReluRows} four neurons at a time with the JDK's vector API (incubating in Java 17): the same
 * bit operations, multiplications and additions as {@link ScalarReluRows}, lane {@code j} doing neuron
 * {@code k + j}, so the results are the same bits. Always 256-bit vectors of four doubles (the four
 * partial sums of {@link ReluRows}), whatever the CPU's widest. Loaded only where the module is present.
 */
final class VectorReluRows implements ReluRows {
    static final VectorReluRows INSTANCE = new VectorReluRows();
    private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;

    private VectorReluRows() {
    }

    @Override
    public double output(double[] pre, int row, double[] scale, int m) {
        DoubleVector sums = DoubleVector.zero(FOUR);
        int k = 0;
        for (; k + 3 < m; k += 4) {
            DoubleVector u = DoubleVector.fromArray(FOUR, pre, row + k);
            sums = sums.add(DoubleVector.fromArray(FOUR, scale, k).mul(relu(u)));
        }
        double s0 = sums.lane(0);
        for (; k < m; k++) {
            s0 += scale[k] * ScalarReluRows.relu(pre[row + k]);
        }
        return (s0 + sums.lane(1)) + (sums.lane(2) + sums.lane(3));
    }

    @Override
    public void backprop(double[] pre, int row, double e, double[] h, int m) {
        DoubleVector ev = DoubleVector.broadcast(FOUR, e);
        LongVector eBits = ev.reinterpretAsLongs();
        int k = 0;
        for (; k + 3 < m; k += 4) {
            DoubleVector u = DoubleVector.fromArray(FOUR, pre, row + k);
            LongVector b = u.reinterpretAsLongs();
            DoubleVector hv = DoubleVector.fromArray(FOUR, h, k);
            hv.add(ev.mul(relu(u))).intoArray(h, k);
            LongVector magnitude = b.lanewise(VectorOperators.LSHL, 1);
            LongVector nonZero = magnitude.or(magnitude.neg()).lanewise(VectorOperators.LSHR, 63);
            LongVector negative = b.lanewise(VectorOperators.ASHR, 63).and(nonZero.neg());
            eBits.and(negative.not()).reinterpretAsDoubles().intoArray(pre, row + k);
        }
        if (k < m) {
            ScalarReluRows.INSTANCE.backpropTail(pre, row, e, h, k, m);
        }
    }

    private static DoubleVector relu(DoubleVector u) {
        LongVector b = u.reinterpretAsLongs();
        return b.and(b.lanewise(VectorOperators.ASHR, 63).not()).reinterpretAsDoubles();
    }
}
