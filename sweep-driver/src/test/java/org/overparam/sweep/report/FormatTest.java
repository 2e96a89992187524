package org.overparam.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Format#num}: four significant digits, and a dash where a table has no number (a width where every trial diverged). */
class FormatTest {
    @Test
    void numbersAreRoundedAndNonFiniteValuesAreADash() {
        assertEquals("0.1235", Format.num(0.123456));
        assertEquals("1200", Format.num(1200.4));
        assertEquals("–", Format.num(Double.NaN));
        assertEquals("–", Format.num(Double.POSITIVE_INFINITY));
    }
}
