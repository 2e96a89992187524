package org.overparam.trainer.teacher;

import java.util.Locale;
import org.overparam.trainer.data.SplitTable;
import org.overparam.trainer.gd.MiniBatchSgd;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.rng.RandomStream;

/**
 * A teacher trained on real data (paper 004 Sec. 6 and App. G): a two-layer ReLU net
 * {@code z = W2 relu(W1 x + b1) + b2} with He init ({@code W1 ~ N(0, 2/d)}, {@code W2 ~ N(0, 2/width)},
 * biases 0), trained by mini-batch SGD on the mean softmax cross-entropy over the base's classes, on the
 * base's whole training pool, epoch by epoch (a permutation per epoch, as {@link MiniBatchSgd}) until it
 * classifies every training example correctly. Its argmax then relabels the training pool and the held-out
 * set: one-hot targets over the classes (or ±1 for two classes, the first −1), which a student regresses.
 *
 * <p>Init and order are drawn from {@code seed} only, so the relabelled table depends on the base table and
 * the settings only. The teacher is trained once, by the driver, before any trial.
 */
public final class TrainedTeacher {
    private TrainedTeacher() {
    }

    /**
     * How the teacher is trained.
     *
     * @param width     hidden units
     * @param eta       the SGD step on the mean cross-entropy of a batch
     * @param batch     examples per SGD step
     * @param maxEpochs the epochs allowed to reach zero training error
     * @param seed      init and batch order
     */
    public record Settings(int width, double eta, int batch, int maxEpochs, long seed) {
        public Settings {
            if (width < 1 || batch < 1 || maxEpochs < 1 || !(eta > 0 && Double.isFinite(eta))) {
                throw new IllegalArgumentException("teacher settings: width, batch, epochs >= 1 and eta > 0, got " + this);
            }
        }

        String canonical() {
            return "width=" + width + ",eta=" + eta + ",batch=" + batch + ",max_epochs=" + maxEpochs + ",seed=" + seed;
        }
    }

    /**
     * The relabelled table and how the teacher got there.
     *
     * @param table            the base with teacher labels, at most {@code maxTrain} training rows kept
     * @param epochs           epochs until zero training error
     * @param poolSize         training examples the teacher was trained on
     * @param heldOutAgreement fraction of held-out examples where the teacher agrees with the true label (NaN without)
     */
    public record Result(SplitTable table, int epochs, int poolSize, double heldOutAgreement) {
    }

    /** Thrown when the teacher does not reach zero training error within its epochs. */
    public static final class NotFittedException extends Exception {
        private static final long serialVersionUID = 1L;

        NotFittedException(String message) {
            super(message);
        }
    }

    /**
     * Trains a teacher on every training row of {@code base} (read with all its pool kept) and relabels.
     *
     * @param maxTrain the training rows kept in the result (the sweep's largest n)
     */
    public static Result relabel(SplitTable base, Settings s, int maxTrain, RowMajorBlas blas) throws NotFittedException {
        int n = base.trainRows();
        int d = base.d();
        int classes = base.dy() == 1 ? 2 : base.dy();
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = classOf(base.trainY(), i, base.dy());
        }
        Net net = new Net(d, s.width(), classes, s.seed());
        int[] order = new int[n];
        RandomStream orderRng = RandomStream.of("data/trained-teacher/order", s.seed(), n);
        int perEpoch = MiniBatchSgd.batchesPerEpoch(n, s.batch());
        int epochs = 0;
        int wrong = errors(net, base.trainX(), label, n, blas);
        while (wrong > 0) {
            if (epochs == s.maxEpochs()) {
                throw new NotFittedException(String.format(Locale.ROOT,
                        "the teacher still misclassifies %d of %d training examples after %d epochs (raise teacher_epochs or teacher_eta)",
                        wrong, n, epochs));
            }
            MiniBatchSgd.shuffle(order, orderRng);
            for (int k = 0; k < perEpoch; k++) {
                net.step(base.trainX(), label, order, k * s.batch(), Math.min(n, (k + 1) * s.batch()), s.eta(), blas);
            }
            epochs++;
            wrong = errors(net, base.trainX(), label, n, blas);
            if (!net.finite()) {
                throw new NotFittedException("the teacher's weights became non-finite in epoch " + epochs + " (lower teacher_eta)");
            }
        }
        int keep = Math.min(n, Math.max(0, maxTrain));
        int dy = base.dy();
        double[] trainX = java.util.Arrays.copyOf(base.trainX(), keep * d);
        double[] trainY = targets(net.predict(trainX, keep, blas), dy);
        int held = base.heldOutRows();
        double[] heldY = targets(net.predict(base.heldOutX(), held, blas), dy);
        double agreement = Double.NaN;
        if (held > 0) {
            int[] predicted = net.predict(base.heldOutX(), held, blas);
            int same = 0;
            for (int i = 0; i < held; i++) {
                same += predicted[i] == classOf(base.heldOutY(), i, dy) ? 1 : 0;
            }
            agreement = same / (double) held;
        }
        String identity = base.identity() + "+trained_teacher(" + s.canonical() + ")";
        SplitTable table = new SplitTable(keep, held, d, dy, trainX, trainY, base.heldOutX().clone(), heldY, identity);
        return new Result(table, epochs, n, agreement);
    }

    /** The class of target row {@code i}: the argmax of a one-hot row, or 0 for −1 and 1 for +1. */
    static int classOf(double[] y, int i, int dy) {
        if (dy == 1) {
            return y[i] > 0 ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < dy; c++) {
            if (y[i * dy + c] > y[i * dy + best]) {
                best = c;
            }
        }
        return best;
    }

    private static double[] targets(int[] classes, int dy) {
        double[] y = new double[classes.length * dy];
        for (int i = 0; i < classes.length; i++) {
            if (dy == 1) {
                y[i] = classes[i] == 1 ? 1.0 : -1.0;
            } else {
                y[i * dy + classes[i]] = 1.0;
            }
        }
        return y;
    }

    private static int errors(Net net, double[] x, int[] label, int n, RowMajorBlas blas) {
        int[] predicted = net.predict(x, n, blas);
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            wrong += predicted[i] == label[i] ? 0 : 1;
        }
        return wrong;
    }

    /** The teacher: weights row-major, {@code W1} {@code h×d}, {@code W2} {@code K×h}. */
    static final class Net {
        final int d;
        final int h;
        final int k;
        final double[] w1;
        final double[] b1;
        final double[] w2;
        final double[] b2;

        Net(int d, int h, int k, long seed) {
            this.d = d;
            this.h = h;
            this.k = k;
            this.w1 = new double[h * d];
            this.b1 = new double[h];
            this.w2 = new double[k * h];
            this.b2 = new double[k];
            RandomStream rng = RandomStream.of("data/trained-teacher/init", seed, d, h, k);
            rng.fillGaussian(w1, 0, w1.length);
            rng.fillGaussian(w2, 0, w2.length);
            double s1 = Math.sqrt(2.0 / d);
            double s2 = Math.sqrt(2.0 / h);
            for (int t = 0; t < w1.length; t++) {
                w1[t] *= s1;
            }
            for (int t = 0; t < w2.length; t++) {
                w2[t] *= s2;
            }
        }

        /** Pre-activations {@code x W1ᵀ + b1} of {@code rows} rows. */
        private double[] hiddenPre(double[] x, int rows, RowMajorBlas blas) {
            double[] p = new double[rows * h];
            blas.timesTransposed(rows, h, d, x, w1, p);
            for (int i = 0; i < rows; i++) {
                for (int u = 0; u < h; u++) {
                    p[i * h + u] += b1[u];
                }
            }
            return p;
        }

        private double[] logits(double[] a, int rows, RowMajorBlas blas) {
            double[] z = new double[rows * k];
            blas.timesTransposed(rows, k, h, a, w2, z);
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < k; c++) {
                    z[i * k + c] += b2[c];
                }
            }
            return z;
        }

        private static double[] relu(double[] p) {
            double[] a = new double[p.length];
            for (int t = 0; t < p.length; t++) {
                a[t] = p[t] > 0 ? p[t] : 0.0;
            }
            return a;
        }

        /** The argmax class of each of {@code rows} rows of {@code x} (the first maximum on ties). */
        int[] predict(double[] x, int rows, RowMajorBlas blas) {
            int[] out = new int[rows];
            int chunk = 1024;
            for (int from = 0; from < rows; from += chunk) {
                int r = Math.min(chunk, rows - from);
                double[] xs = java.util.Arrays.copyOfRange(x, from * d, (from + r) * d);
                double[] z = logits(relu(hiddenPre(xs, r, blas)), r, blas);
                for (int i = 0; i < r; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (z[i * k + c] > z[i * k + best]) {
                            best = c;
                        }
                    }
                    out[from + i] = best;
                }
            }
            return out;
        }

        /** Mean cross-entropy of the rows {@code order[from..to)} (for the gradient check). */
        double loss(double[] x, int[] label, int[] order, int from, int to, RowMajorBlas blas) {
            int b = to - from;
            double[] xb = gather(x, order, from, b);
            double[] z = logits(relu(hiddenPre(xb, b, blas)), b, blas);
            double sum = 0;
            for (int i = 0; i < b; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, z[i * k + c]);
                }
                double e = 0;
                for (int c = 0; c < k; c++) {
                    e += Math.exp(z[i * k + c] - max);
                }
                sum += max + Math.log(e) - z[i * k + label[order[from + i]]];
            }
            return sum / b;
        }

        private double[] gather(double[] x, int[] order, int from, int b) {
            double[] xb = new double[b * d];
            for (int r = 0; r < b; r++) {
                System.arraycopy(x, order[from + r] * d, xb, r * d, d);
            }
            return xb;
        }

        /** The gradient of {@link #loss}, flattened as {@code W1, b1, W2, b2}. */
        double[] gradient(double[] x, int[] label, int[] order, int from, int to, RowMajorBlas blas) {
            int b = to - from;
            double[] xb = gather(x, order, from, b);
            double[] p = hiddenPre(xb, b, blas);
            double[] a = relu(p);
            double[] z = logits(a, b, blas);
            double[] g = new double[b * k];
            for (int i = 0; i < b; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, z[i * k + c]);
                }
                double e = 0;
                for (int c = 0; c < k; c++) {
                    g[i * k + c] = Math.exp(z[i * k + c] - max);
                    e += g[i * k + c];
                }
                for (int c = 0; c < k; c++) {
                    g[i * k + c] /= e;
                }
                g[i * k + label[order[from + i]]] -= 1.0;
                for (int c = 0; c < k; c++) {
                    g[i * k + c] /= b;
                }
            }
            double[] grad = new double[w1.length + b1.length + w2.length + b2.length];
            double[] gw2 = new double[k * h];
            blas.transposedTimes(b, k, h, g, a, gw2);
            double[] back = new double[b * h];
            blas.times(b, k, h, g, w2, back);
            for (int t = 0; t < back.length; t++) {
                if (!(p[t] > 0)) {
                    back[t] = 0.0;
                }
            }
            double[] gw1 = new double[h * d];
            blas.transposedTimes(b, h, d, back, xb, gw1);
            System.arraycopy(gw1, 0, grad, 0, gw1.length);
            int off = w1.length;
            for (int i = 0; i < b; i++) {
                for (int u = 0; u < h; u++) {
                    grad[off + u] += back[i * h + u];
                }
            }
            off += b1.length;
            System.arraycopy(gw2, 0, grad, off, gw2.length);
            off += w2.length;
            for (int i = 0; i < b; i++) {
                for (int c = 0; c < k; c++) {
                    grad[off + c] += g[i * k + c];
                }
            }
            return grad;
        }

        void step(double[] x, int[] label, int[] order, int from, int to, double eta, RowMajorBlas blas) {
            double[] grad = gradient(x, label, order, from, to, blas);
            int off = 0;
            for (double[] part : new double[][] {w1, b1, w2, b2}) {
                for (int t = 0; t < part.length; t++) {
                    part[t] -= eta * grad[off + t];
                }
                off += part.length;
            }
        }

        double[] parameters() {
            double[] theta = new double[w1.length + b1.length + w2.length + b2.length];
            int off = 0;
            for (double[] part : new double[][] {w1, b1, w2, b2}) {
                System.arraycopy(part, 0, theta, off, part.length);
                off += part.length;
            }
            return theta;
        }

        void setParameters(double[] theta) {
            int off = 0;
            for (double[] part : new double[][] {w1, b1, w2, b2}) {
                System.arraycopy(theta, off, part, 0, part.length);
                off += part.length;
            }
        }

        boolean finite() {
            for (double[] part : new double[][] {w1, b1, w2, b2}) {
                for (double v : part) {
                    if (!Double.isFinite(v)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
