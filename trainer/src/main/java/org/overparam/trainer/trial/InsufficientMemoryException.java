package org.overparam.trainer.trial;

/** A trial whose model cannot fit in this JVM's memory; thrown before anything large is allocated. */
public final class InsufficientMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InsufficientMemoryException(String message) {
        super(message);
    }
}
