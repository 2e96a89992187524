package org.overparam.trainer.backend;

import java.util.Locale;

/** The floating-point format of a trial's parameters and products; the {@code precision} column. */
public enum Precision {
    /** IEEE double: the CPU trainer's, and the CUDA backend's default. */
    FLOAT64(8),
    /** IEEE single, on request, CUDA only (losses are still summed in double). */
    FLOAT32(4);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per value. */
    public int bytes() {
        return bytes;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.key().equals(s)) {
                return p;
            }
        }
        return null;
    }
}
