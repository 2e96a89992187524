package org.overparam.trainer.backend;

/**
 * Resolves a requested {@link BackendKind} against what this machine has: {@code cpu} is always the
 * CPU; {@code cuda} is CUDA or an error naming the reason; {@code auto} is CUDA when available, else
 * the CPU with the reason CUDA was passed over.
 */
public final class BackendSelection {
    private BackendSelection() {
    }

    /**
     * The backend to use.
     *
     * @param kind   {@link BackendKind#CPU} or {@link BackendKind#CUDA}, never AUTO
     * @param reason why (for {@code auto}: why CUDA was or was not chosen)
     */
    public record Choice(BackendKind kind, String reason) {
    }

    /**
     * @throws BackendUnavailableException when {@code cuda} is requested and {@code cuda} is unavailable
     */
    public static Choice choose(BackendKind requested, Availability cuda) {
        return switch (requested) {
            case CPU -> new Choice(BackendKind.CPU, "backend: cpu requested");
            case CUDA -> {
                if (!cuda.available()) {
                    throw new BackendUnavailableException("backend: cuda requested, but CUDA is unavailable here: " + cuda.reason());
                }
                yield new Choice(BackendKind.CUDA, "backend: cuda requested; " + cuda.reason());
            }
            case AUTO -> cuda.available()
                    ? new Choice(BackendKind.CUDA, "backend: auto chose cuda; " + cuda.reason())
                    : new Choice(BackendKind.CPU, "backend: auto fell back to cpu: " + cuda.reason());
        };
    }
}
