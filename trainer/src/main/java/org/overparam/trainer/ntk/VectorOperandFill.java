package org.overparam.trainer.ntk;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OperandFill} with the JDK's vector API (incubating in Java 17): the same multiplication and
 * division per entry as {@link ScalarOperandFill}, selected by a mask instead of a branch. Loaded only where
 * the module is present.
 */
final class VectorOperandFill implements OperandFill {
    static final VectorOperandFill INSTANCE = new VectorOperandFill();
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private VectorOperandFill() {
    }

    @Override
    public void fill(double[] u, int n, int m, double[] scale, boolean relu, double[] vNorm, double[] buffer) {
        int lanes = SPECIES.length();
        int bound = m - m % lanes;
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int k = 0; k < bound; k += lanes) {
                DoubleVector uik = DoubleVector.fromArray(SPECIES, u, row + k);
                VectorMask<Double> active = uik.compare(VectorOperators.GE, 0.0);
                DoubleVector s = DoubleVector.fromArray(SPECIES, scale, k);
                DoubleVector b = relu ? s.mul(uik).div(DoubleVector.fromArray(SPECIES, vNorm, k)) : s;
                zero.blend(b, active).intoArray(buffer, row + k);
            }
        }
        if (bound < m) {
            ScalarOperandFill.INSTANCE.fillFrom(u, n, m, scale, relu, vNorm, buffer, bound);
        }
    }
}
