package org.overparam.trainer.data;

import java.util.Arrays;
import java.util.OptionalInt;
import org.overparam.trainer.rng.RandomStream;

/**
 * A file data set split into a training pool and a held-out set, preprocessed, held in memory and
 * served by prefix like {@link TabularData}: {@code load(n, d)} is the first {@code n} examples of the
 * training pool, {@code heldOut} the held-out set.
 *
 * <p>The split ({@link #of}): the examples are shuffled by a Fisher–Yates permutation drawn from the data
 * seed; the first {@code round(f·rows)} of the permuted order are held out (at most {@link #MAX_HELD_OUT}
 * of them kept), the rest form the training pool in permuted order. So the split depends on the file,
 * {@code f} and the seed only, never on the grid, and the training examples of a smaller {@code n} are
 * those of a larger one.
 */
public record SplitTable(int trainRows, int heldOutRows, int d, int dy, double[] trainX, double[] trainY,
                         double[] heldOutX, double[] heldOutY, String identity) implements DataSource {
    private static final long serialVersionUID = 1L;
    /** The most held-out examples a table keeps (they travel to every executor). */
    public static final int MAX_HELD_OUT = 2000;

    public SplitTable {
        if (trainX.length != (long) trainRows * d || trainY.length != (long) trainRows * dy
                || heldOutX.length != (long) heldOutRows * d || heldOutY.length != (long) heldOutRows * dy) {
            throw new IllegalArgumentException("split table shape mismatch: train=" + trainRows + ", held out=" + heldOutRows
                    + ", d=" + d + ", dy=" + dy);
        }
    }

    /**
     * Splits, preprocesses and keeps at most {@code maxTrain} training examples (the largest {@code n} of
     * the sweep; the rest of the pool still counts for the centring mean and the ball radius).
     *
     * @param identity the source's description (file hash, classes); the split and preprocessing are appended
     */
    public static SplitTable of(LabeledRows rows, Preprocessing pre, double testFraction, long seed, int maxTrain,
                                String identity) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        int total = rows.rows();
        int d = rows.d();
        int dy = rows.dy();
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        RandomStream rng = RandomStream.of("data/split", seed, total);
        for (int i = total - 1; i > 0; i--) {
            int j = (int) Math.floor(rng.nextUniform() * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int held = (int) Math.round(testFraction * total);
        int pool = total - held;
        double[] row = new double[d];
        double[] mean = new double[d];
        if (pre.center()) {
            for (int r = held; r < total; r++) {
                rows.input(order[r], row, 0);
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= Math.max(1, pool);
            }
        }
        double radius = 0;
        if (pre.normalize() == Normalization.BALL) {
            for (int r = held; r < total; r++) {
                rows.input(order[r], row, 0);
                radius = Math.max(radius, centredNorm(row, mean));
            }
        }
        int keepTrain = Math.min(pool, Math.max(0, maxTrain));
        int keepHeld = Math.min(held, MAX_HELD_OUT);
        double[] trainX = new double[keepTrain * d];
        double[] trainY = new double[keepTrain * dy];
        double[] heldX = new double[keepHeld * d];
        double[] heldY = new double[keepHeld * dy];
        for (int r = 0; r < keepHeld; r++) {
            prepare(rows, order[r], mean, radius, pre.normalize(), heldX, heldY, r);
        }
        for (int r = 0; r < keepTrain; r++) {
            prepare(rows, order[held + r], mean, radius, pre.normalize(), trainX, trainY, r);
        }
        String id = identity.endsWith(")") ? identity.substring(0, identity.length() - 1) : identity + "(";
        id += (id.endsWith("(") ? "" : ",") + pre.canonical() + ",test=" + testFraction + ",seed=" + seed + ")";
        return new SplitTable(keepTrain, keepHeld, d, dy, trainX, trainY, heldX, heldY, id);
    }

    private static double centredNorm(double[] row, double[] mean) {
        double s = 0;
        for (int j = 0; j < row.length; j++) {
            double v = row[j] - mean[j];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static void prepare(LabeledRows rows, int src, double[] mean, double radius, Normalization norm,
                                double[] x, double[] y, int dst) {
        int d = rows.d();
        rows.input(src, x, dst * d);
        for (int j = 0; j < d; j++) {
            x[dst * d + j] -= mean[j];
        }
        double scale = 1.0;
        if (norm == Normalization.UNIT) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[dst * d + j] * x[dst * d + j];
            }
            scale = s > 0 ? 1.0 / Math.sqrt(s) : 1.0;
        } else if (norm == Normalization.BALL && radius > 0) {
            scale = 1.0 / radius;
        }
        for (int j = 0; j < d; j++) {
            x[dst * d + j] *= scale;
        }
        rows.target(src, y, dst * rows.dy());
    }

    @Override
    public Dataset load(int n, int dim) {
        return load(n, dim, dy);
    }

    @Override
    public Dataset load(int n, int dim, int outputs) {
        check(dim, outputs);
        if (n > trainRows) {
            throw new IllegalArgumentException(identity + " has " + trainRows + " training examples, asked for n=" + n);
        }
        return new Dataset(n, d, Arrays.copyOf(trainX, n * d), Arrays.copyOf(trainY, n * dy), dy);
    }

    @Override
    public Dataset heldOut(int n, int dim, int outputs) {
        check(dim, outputs);
        if (heldOutRows == 0) {
            return null;
        }
        return new Dataset(heldOutRows, d, heldOutX.clone(), heldOutY.clone(), dy);
    }

    private void check(int dim, int outputs) {
        if (dim != d) {
            throw new IllegalArgumentException(identity + " has d=" + d + ", asked for d=" + dim);
        }
        if (outputs != dy) {
            throw new IllegalArgumentException(identity + " has " + dy + " output(s), asked for d_y=" + outputs);
        }
    }

    @Override
    public OptionalInt fixedDimension() {
        return OptionalInt.of(d);
    }

    @Override
    public int maxExamples() {
        return trainRows;
    }

    @Override
    public OptionalInt fixedOutputs() {
        return OptionalInt.of(dy);
    }
}
