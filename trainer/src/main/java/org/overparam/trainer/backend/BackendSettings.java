package org.overparam.trainer.backend;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a sweep's trials are trained (config key {@code backend}, docs/config.md).
 *
 * @param kind        {@code auto}, {@code cpu} or {@code cuda}
 * @param precision   float64 (default) or float32 (CUDA only)
 * @param tasksPerGpu at most this many tasks share one GPU where overparam hands out the devices itself
 *                    (Spark {@code local} mode); on a cluster Spark's {@code spark.task.resource.gpu.amount} rules
 * @param maxPack     at most this many trials of one shape are trained together in one set of launches
 */
public record BackendSettings(BackendKind kind, Precision precision, int tasksPerGpu, int maxPack) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The most trials in one pack: the grid's z extent on a CUDA device. */
    public static final int MAX_PACK_LIMIT = 65_535;
    public static final int DEFAULT_MAX_PACK = 512;
    /** The default: the CPU trainer, as before there was a CUDA backend. */
    public static final BackendSettings DEFAULT = new BackendSettings(BackendKind.CPU, Precision.FLOAT64, 1, DEFAULT_MAX_PACK);

    public BackendSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(precision, "precision");
        if (precision == Precision.FLOAT32 && kind != BackendKind.CUDA) {
            throw new IllegalArgumentException("backend.precision float32 needs backend.kind cuda (the CPU trainer is float64), got " + kind.key());
        }
        if (tasksPerGpu < 1 || tasksPerGpu > 64) {
            throw new IllegalArgumentException("backend.tasks_per_gpu must be in 1..64, got " + tasksPerGpu);
        }
        if (maxPack < 1 || maxPack > MAX_PACK_LIMIT) {
            throw new IllegalArgumentException("backend.max_pack must be in 1.." + MAX_PACK_LIMIT + ", got " + maxPack);
        }
    }

    /** The settings of {@code kind} with every other value at its default. */
    public static BackendSettings of(BackendKind kind) {
        return new BackendSettings(kind, Precision.FLOAT64, 1, DEFAULT_MAX_PACK);
    }
}
