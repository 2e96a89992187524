package org.overparam.sweep.config;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.Preprocessing;
import org.overparam.trainer.data.SphereTarget;

/** The {@code data:} section of a sweep config. */
public sealed interface DataConfig {

    /** The config's {@code data.kind}. */
    String kind();

    /** Whether the targets are labels ±1 (what {@code bn} needs); null when only the file can tell (csv). */
    default Boolean binary() {
        return false;
    }

    /** Targets per example the data fix, or empty when any {@code d_y} can be generated (teacher, real target). */
    default OptionalInt outputs() {
        return OptionalInt.of(1);
    }

    /** Whether the data fix the input dimension (files): then {@code grid.d} is not allowed. */
    default boolean fixesDimension() {
        return false;
    }

    /**
     * {@code {kind: sphere, target: sign|gaussian|random, seed: 0, test_fraction: 0}}: inputs uniform on the unit
     * sphere; {@code test_fraction > 0} adds a held-out set (the next examples drawn).
     */
    record Sphere(SphereTarget target, long seed, double testFraction) implements DataConfig {
        public Sphere(SphereTarget target, long seed) {
            this(target, seed, 0.0);
        }

        @Override
        public String kind() {
            return "sphere";
        }

        @Override
        public Boolean binary() {
            return target == SphereTarget.SIGN || target == SphereTarget.RANDOM;
        }
    }

    /**
     * {@code {kind: csv, path: data.csv, label: y, normalize: unit|ball|none, test_fraction: 0, seed: 0}}: the
     * first {@code n} rows of a file; other columns are features. A relative path is taken from the config
     * file's folder. With {@code test_fraction > 0} the rows are split (seeded by {@code seed}) into a
     * training pool and a held-out set.
     */
    record Csv(Path path, String label, Normalization normalize, double testFraction, long seed) implements DataConfig {
        public Csv(Path path, String label, Normalization normalize) {
            this(path, label, normalize, 0.0, 0L);
        }

        @Override
        public String kind() {
            return "csv";
        }

        @Override
        public Boolean binary() {
            return null;
        }

        @Override
        public boolean fixesDimension() {
            return true;
        }
    }

    /** {@code {kind: dyadic}}: paper 001 Def. 1.1, {@code n = 2d} (so {@code grid.n} is not given). */
    record Dyadic() implements DataConfig {
        @Override
        public String kind() {
            return "dyadic";
        }

        @Override
        public Boolean binary() {
            return true;
        }
    }

    /** {@code {kind: ackley, seed: 0}}: paper 002 Sec. 6.1's regression target (docs/tables.md for the reading). */
    record Ackley(long seed, double testFraction) implements DataConfig {
        @Override
        public String kind() {
            return "ackley";
        }
    }

    /** {@code {kind: teacher, width: 16, target: real|sign, seed: 0, test_fraction: 0.2}}: a random two-layer tanh teacher. */
    record Teacher(int width, boolean sign, long seed, double testFraction) implements DataConfig {
        @Override
        public String kind() {
            return "teacher";
        }

        @Override
        public Boolean binary() {
            return sign;
        }

        @Override
        public OptionalInt outputs() {
            return sign ? OptionalInt.of(1) : OptionalInt.empty();
        }
    }

    /**
     * {@code {kind: teacher, base: mnist|cifar10, <the base's keys>, width: 128, teacher_eta: 0.1,
     * teacher_batch: 128, teacher_epochs: 300}}: a two-layer ReLU teacher trained on the base's training pool
     * by SGD on cross-entropy until zero training error, whose labels replace the base's in the training
     * pool and the held-out set ({@link org.overparam.trainer.teacher.TrainedTeacher}; paper 004 App. G).
     */
    record TrainedTeacher(Images base, int width, double eta, int batch, int maxEpochs) implements DataConfig {
        @Override
        public String kind() {
            return "teacher";
        }

        @Override
        public Boolean binary() {
            return base.binary();
        }

        @Override
        public OptionalInt outputs() {
            return base.outputs();
        }

        @Override
        public boolean fixesDimension() {
            return true;
        }
    }

    /**
     * {@code {kind: mnist|cifar10, path, digits|classes, normalize, center, test_fraction, seed}}: image files
     * (MNIST IDX: images then labels; CIFAR-10: binary batches). {@code classes} are label values in target
     * order; two classes make a ±1 task, more (or all ten: an empty list) one-hot targets.
     */
    record Images(String kind, List<Path> files, List<Integer> classes, Preprocessing preprocessing, double testFraction,
                  long seed) implements DataConfig {
        public Images {
            files = List.copyOf(files);
            classes = List.copyOf(classes);
        }

        private int classCount() {
            return classes.isEmpty() ? 10 : classes.size();
        }

        @Override
        public Boolean binary() {
            return classCount() == 2;
        }

        @Override
        public OptionalInt outputs() {
            return OptionalInt.of(classCount() == 2 ? 1 : classCount());
        }

        @Override
        public boolean fixesDimension() {
            return true;
        }
    }
}
