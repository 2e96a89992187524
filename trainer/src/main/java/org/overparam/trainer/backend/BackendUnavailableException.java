package org.overparam.trainer.backend;

/** A sweep asked for a backend ({@code backend: cuda}) that cannot run where its task landed. */
public final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
