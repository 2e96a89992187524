package org.overparam.trainer.nets;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormRows} four units at a time with the JDK's vector API (incubating in Java 17): lane {@code k}
 * does unit {@code j + k} with the same IEEE operations in the same order as {@link ScalarBatchNormRows}; the
 * additions of inactive units are masked off (not added as zeros), so the results are the same bits. Loaded
 * only where the module is present.
 */
final class VectorBatchNormRows implements BatchNormRows {
    static final VectorBatchNormRows INSTANCE = new VectorBatchNormRows();
    private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;

    private VectorBatchNormRows() {
    }

    @Override
    public void scaled(double[] p, int row, double[] c, double[] norm, double[] out, int m) {
        int j = 0;
        for (; j + 3 < m; j += 4) {
            DoubleVector.fromArray(FOUR, c, j).mul(DoubleVector.fromArray(FOUR, p, row + j)).div(DoubleVector.fromArray(FOUR, norm, j))
                    .intoArray(out, j);
        }
        ScalarBatchNormRows.INSTANCE.scaledTail(p, row, c, norm, out, j, m);
    }

    @Override
    public void backprop(double[] p, int row, double[] norm, double[] a, double[] c, double gi, double[] grad, double[] r, double[] t, int m) {
        DoubleVector g = DoubleVector.broadcast(FOUR, gi);
        DoubleVector zero = DoubleVector.zero(FOUR);
        int j = 0;
        for (; j + 3 < m; j += 4) {
            DoubleVector pv = DoubleVector.fromArray(FOUR, p, row + j);
            DoubleVector nv = DoubleVector.fromArray(FOUR, norm, j);
            DoubleVector cv = DoubleVector.fromArray(FOUR, c, j);
            DoubleVector u = pv.div(nv);
            DoubleVector s = cv.mul(u);
            VectorMask<Double> on = s.compare(VectorOperators.GT, 0.0);
            DoubleVector ga = g.mul(DoubleVector.fromArray(FOUR, a, j));
            DoubleVector.fromArray(FOUR, grad, j).add(g.mul(s), on).intoArray(grad, j);
            DoubleVector.fromArray(FOUR, grad, m + j).add(ga.mul(u), on).intoArray(grad, m + j);
            DoubleVector rv = ga.mul(cv).div(nv);
            zero.blend(rv, on).intoArray(r, row + j);
            DoubleVector.fromArray(FOUR, t, j).add(rv.mul(pv), on).intoArray(t, j);
        }
        ScalarBatchNormRows.INSTANCE.backpropTail(p, row, norm, a, c, gi, grad, r, t, j, m);
    }
}
