package org.overparam.trainer.data;

import java.util.OptionalInt;
import org.overparam.trainer.rng.RandomStream;

/**
 * A teacher–student generator: inputs uniform on the unit sphere (normalized Gaussians) and targets from
 * a random two-layer teacher {@code y = A tanh(T x)} with {@code T ~ N(0, 1)} ({@code width×d}, so each
 * {@code t_k·x ~ N(0, 1)}) and {@code A ~ N(0, 1/width)} ({@code d_y×width}): {@code y} is of order 1. With
 * {@code sign = true} the target is {@code sign(y)} (+1 at 0; one output), a binary task for {@code bn}.
 *
 * <p>The inputs depend on {@code (seed, d)} only and the teacher on {@code (seed, d, d_y)}, so the data are
 * prefix-consistent in {@code n} and do not depend on the trial seed.
 */
public record TeacherData(int width, boolean sign, long seed) implements DataSource {
    private static final long serialVersionUID = 1L;

    public TeacherData {
        if (width < 1) {
            throw new IllegalArgumentException("teacher width must be >= 1, got " + width);
        }
    }

    @Override
    public Dataset load(int n, int d) {
        return load(n, d, 1);
    }

    @Override
    public Dataset load(int n, int d, int dy) {
        if (sign && dy != 1) {
            throw new IllegalArgumentException("a sign teacher has one output, asked for d_y=" + dy);
        }
        RandomStream net = RandomStream.of("data/teacher/net", seed, d, dy);
        double[] t = new double[width * d];
        net.fillGaussian(t, 0, t.length);
        double[] a = new double[dy * width];
        net.fillGaussian(a, 0, a.length);
        double scale = 1.0 / Math.sqrt(width);
        RandomStream points = RandomStream.of("data/teacher/x", seed, d);
        double[] x = new double[n * d];
        double[] y = new double[n * dy];
        double[] hidden = new double[width];
        for (int i = 0; i < n; i++) {
            double norm2;
            do {
                points.fillGaussian(x, i * d, d);
                norm2 = 0;
                for (int j = 0; j < d; j++) {
                    norm2 += x[i * d + j] * x[i * d + j];
                }
            } while (norm2 == 0.0);
            double inv = 1.0 / Math.sqrt(norm2);
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= inv;
            }
            for (int k = 0; k < width; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += t[k * d + j] * x[i * d + j];
                }
                hidden[k] = StrictMath.tanh(s);
            }
            for (int o = 0; o < dy; o++) {
                double s = 0;
                for (int k = 0; k < width; k++) {
                    s += a[o * width + k] * hidden[k];
                }
                s *= scale;
                y[i * dy + o] = sign ? (s >= 0 ? 1.0 : -1.0) : s;
            }
        }
        return new Dataset(n, d, x, y, dy);
    }

    @Override
    public OptionalInt fixedOutputs() {
        return sign ? OptionalInt.of(1) : OptionalInt.empty();
    }

    @Override
    public String identity() {
        return "teacher(width=" + width + ",target=" + (sign ? "sign" : "real") + ",seed=" + seed + ")";
    }
}
