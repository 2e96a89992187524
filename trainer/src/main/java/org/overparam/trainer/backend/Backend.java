package org.overparam.trainer.backend;

import java.util.List;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Trains trials somewhere: on the CPU ({@link CpuBackend}) or a CUDA device
 * ({@link org.overparam.trainer.backend.cuda.CudaBackend}). A backend serves one thread and holds
 * what it opened (a device context, device memory) until {@link #close()}.
 *
 * <p>Every backend produces the same rows: trial ids, statuses, losses (to rounding; see
 * docs/tables.md), curves and instruments, with {@code backend} and {@code device} saying where they ran.
 * Like {@link org.overparam.trainer.run.TrialRunner}, {@link #run} records a trial's own trouble as a
 * failed row and goes on.
 */
public interface Backend extends AutoCloseable {

    /** The {@code backend} column: {@code cpu} or {@code cuda}. */
    String name();

    /** The {@code device} column: {@code cpu}, or the GPU as {@code cuda:<ordinal> <name>}. */
    String device();

    /** Trains {@code trials} on the data of {@code source}; one result per trial, in the same order. */
    List<TrialResult> run(List<TrialSpec> trials, DataSource source);

    @Override
    void close();
}
