package org.overparam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Dataset} validation and {@link TabularData} prefix serving. */
class DatasetTest {

    @Test
    void datasetValidatesShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset(0, 1, new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(2, 2, new double[3], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(2, 2, new double[4], new double[3]));
        assertThrows(NullPointerException.class, () -> new Dataset(1, 1, null, new double[1]));
        Dataset ok = new Dataset(2, 2, new double[] {3, 4, 0, 0}, new double[] {1, 2});
        assertEquals(5.0, ok.rowNorm(0), 0.0, "3-4-5");
        assertEquals(0.0, ok.rowNorm(1), 0.0);
    }

    @Test
    void tabularDataServesPrefixes() {
        double[] f = {1, 2, 3, 4, 5, 6};
        double[] y = {7, 8, 9};
        TabularData t = new TabularData(3, 2, f, y, "id");
        Dataset two = t.load(2, 2);
        assertArrayEquals(new double[] {1, 2, 3, 4}, two.x());
        assertArrayEquals(new double[] {7, 8}, two.y());
        two.x()[0] = 99; // a copy
        assertEquals(1.0, t.load(1, 2).x()[0]);
        assertEquals(2, t.fixedDimension().getAsInt());
        assertEquals(3, t.maxExamples());
        assertEquals("id", t.identity());
        assertThrows(IllegalArgumentException.class, () -> t.load(4, 2), "more rows than the table");
        assertThrows(IllegalArgumentException.class, () -> t.load(2, 3), "wrong dimension");
        assertThrows(IllegalArgumentException.class, () -> new TabularData(3, 2, f, new double[2], "id"));
        assertEquals(Integer.MAX_VALUE, new SphereData(SphereTarget.SIGN, 1).maxExamples());
        assertEquals(true, new SphereData(SphereTarget.SIGN, 1).fixedDimension().isEmpty());
    }
}
