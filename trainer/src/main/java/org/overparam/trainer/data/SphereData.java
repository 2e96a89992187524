package org.overparam.trainer.data;

import org.overparam.trainer.rng.RandomStream;

/**
 * Inputs uniform on the unit sphere {@code S^{d-1}} (normalized Gaussians) with a {@link SphereTarget}.
 *
 * <p>Deterministic in {@code (seed, d, target)}: the stream first draws the teacher direction
 * (sign target), then each point followed by its target, so {@code load(n, d)} is a prefix of
 * {@code load(n', d)} for {@code n < n'}. The data do not depend on the trial seed, only on
 * {@code seed} here (the config's {@code data.seed}): every seed and width of a sweep sees the same
 * points, so data-only quantities are comparable across trials.
 */
public record SphereData(SphereTarget target, long seed) implements DataSource {
    private static final long serialVersionUID = 1L;

    public SphereData {
        java.util.Objects.requireNonNull(target, "target");
    }

    @Override
    public Dataset load(int n, int d) {
        RandomStream rng = RandomStream.of("data/sphere/" + target.key(), seed, d);
        double[] teacher = new double[d];
        if (target == SphereTarget.SIGN) {
            rng.fillGaussian(teacher, 0, d);
        }
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double norm;
            do {
                rng.fillGaussian(x, i * d, d);
                norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += x[i * d + j] * x[i * d + j];
                }
            } while (norm == 0.0);
            double inv = 1.0 / Math.sqrt(norm);
            double dot = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= inv;
                dot += teacher[j] * x[i * d + j];
            }
            y[i] = switch (target) {
                case SIGN -> dot >= 0 ? 1.0 : -1.0;
                case GAUSSIAN -> rng.nextGaussian();
                case RANDOM -> rng.nextUniform() < 0.5 ? 1.0 : -1.0;
            };
        }
        return new Dataset(n, d, x, y);
    }

    @Override
    public String identity() {
        return "sphere(target=" + target.key() + ",seed=" + seed + ")";
    }
}
