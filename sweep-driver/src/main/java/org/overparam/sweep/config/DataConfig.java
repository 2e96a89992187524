package org.overparam.sweep.config;

import java.nio.file.Path;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.SphereTarget;

/** The {@code data:} section of a sweep config. */
public sealed interface DataConfig {

    /** The config's {@code data.kind}. */
    String kind();

    /** {@code {kind: sphere, target: sign|gaussian, seed: 0}}: inputs uniform on the unit sphere. */
    record Sphere(SphereTarget target, long seed) implements DataConfig {
        @Override
        public String kind() {
            return "sphere";
        }
    }

    /**
     * {@code {kind: csv, path: data.csv, label: y, normalize: unit|none}}: the first {@code n} rows of a
     * file; other columns are features. A relative path is taken from the config file's folder.
     */
    record Csv(Path path, String label, Normalization normalize) implements DataConfig {
        @Override
        public String kind() {
            return "csv";
        }
    }
}
