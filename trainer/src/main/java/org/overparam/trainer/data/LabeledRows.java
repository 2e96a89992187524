package org.overparam.trainer.data;

/**
 * Raw examples of a file, read on demand (an image file is kept as bytes; one row is turned into
 * doubles at a time), before the split and preprocessing of {@link SplitTable}.
 */
public interface LabeledRows {
    /** Number of examples. */
    int rows();

    /** Input dimension. */
    int d();

    /** Targets per example. */
    int dy();

    /** Writes input {@code i} into {@code out[off .. off+d)}. */
    void input(int i, double[] out, int off);

    /** Writes the targets of example {@code i} into {@code out[off .. off+dy)}. */
    void target(int i, double[] out, int off);
}
