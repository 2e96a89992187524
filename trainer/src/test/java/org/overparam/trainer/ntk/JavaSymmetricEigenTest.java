package org.overparam.trainer.ntk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.overparam.trainer.linalg.LinearAlgebra;

/** {@link SymmetricEigenTest}'s spectra, against the pure-Java LAPACK that runs where the natives cannot load. */
class JavaSymmetricEigenTest extends SymmetricEigenTest {
    @Override
    SymmetricEigen eigen() {
        return SymmetricEigen.of(LinearAlgebra.java().lapack());
    }

    @Test
    void isTheF2jTranslation() {
        assertEquals("F2jLAPACK", eigen().implementation());
    }
}
