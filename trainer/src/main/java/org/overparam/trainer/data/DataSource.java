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

    /**
     * The number of targets per example the source fixes (1 for a scalar target, the class count for
     * one-hot labels), or empty when it serves any number ({@link TeacherData}).
     */
    default java.util.OptionalInt fixedOutputs() {
        return java.util.OptionalInt.of(1);
    }

    /** The first {@code n} examples in dimension {@code d} with {@code dy} targets each. */
    default Dataset load(int n, int d, int dy) {
        int fixed = fixedOutputs().orElse(dy);
        if (dy != fixed) {
            throw new IllegalArgumentException(identity() + " has " + fixed + " output(s), asked for d_y=" + dy);
        }
        return load(n, d);
    }

    /**
     * Held-out examples for a trial trained on the first {@code n} (the test set of {@code bn}'s
     * {@code test_error}), disjoint from them; null when the source has none.
     */
    default Dataset heldOut(int n, int d, int dy) {
        return null;
    }
}
