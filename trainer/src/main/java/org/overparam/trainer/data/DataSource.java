package org.overparam.trainer.data;

import java.io.Serializable;

/**
 * Where a trial's training set comes from: a generator or a table read once by the driver.
 *
 * <p>Implementations are immutable, serializable (they travel to Spark executors) and pure:
 * {@link #load} depends only on the source and its arguments. Sources are prefix-consistent:
 * the data for {@code n} points are the first {@code n} points of the data for any larger n.
 */
public interface DataSource extends Serializable {

    /** The first {@code n} examples in dimension {@code d}. */
    Dataset load(int n, int d);

    /**
     * A canonical description that changes whenever the data would; part of every trial id.
     * For files it includes a hash of the content.
     */
    String identity();

    /** The input dimension fixed by the source (a file's column count), or empty for generators. */
    default java.util.OptionalInt fixedDimension() {
        return java.util.OptionalInt.empty();
    }

    /** The largest {@code n} the source can serve ({@link Integer#MAX_VALUE} for generators). */
    default int maxExamples() {
        return Integer.MAX_VALUE;
    }
}
