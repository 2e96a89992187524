package org.overparam.trainer.data;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A table of examples held in memory (read from a file on the driver and shipped to executors), served
 * by prefix: {@code load(n, d)} returns the first {@code n} rows.
 *
 * @param features row-major {@code rows × d} inputs, already preprocessed
 * @param labels   one target per row
 * @param identity canonical description including a content hash of the source file
 */
public record TabularData(int rows, int d, double[] features, double[] labels, String identity)
        implements DataSource {
    private static final long serialVersionUID = 1L;

    public TabularData {
        if (features.length != (long) rows * d || labels.length != rows) {
            throw new IllegalArgumentException("table shape mismatch: rows=" + rows + ", d=" + d);
        }
    }

    @Override
    public Dataset load(int n, int dim) {
        if (dim != d) {
            throw new IllegalArgumentException("table has d=" + d + " columns, asked for d=" + dim);
        }
        if (n > rows) {
            throw new IllegalArgumentException("table has " + rows + " rows, asked for n=" + n);
        }
        return new Dataset(n, d, Arrays.copyOf(features, n * d), Arrays.copyOf(labels, n));
    }

    @Override
    public OptionalInt fixedDimension() {
        return OptionalInt.of(d);
    }

    @Override
    public int maxExamples() {
        return rows;
    }
}
