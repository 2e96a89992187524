package org.overparam.trainer.backend;

import java.util.Locale;

/** Where trials are trained (config key {@code backend}); names as in configs. */
public enum BackendKind {
    /** The CUDA backend where a device and the compiled kernels are present, else the CPU (with the reason logged). */
    AUTO,
    /** The CPU trainer ({@link org.overparam.trainer.run.TrialRunner}, netlib BLAS). */
    CPU,
    /** The CUDA backend; a task fails with the reason when it cannot run. */
    CUDA;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static BackendKind parse(String s) {
        for (BackendKind k : values()) {
            if (k.key().equals(s)) {
                return k;
            }
        }
        return null;
    }
}
