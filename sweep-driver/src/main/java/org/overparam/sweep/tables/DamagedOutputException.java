package org.overparam.sweep.tables;

/**
 * A read of an output folder whose committed parts are damaged ({@link TableVerifier}): the message names the
 * first damaged file, what is wrong with it and how many trials its batch held, in one line.
 */
public final class DamagedOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Verification verification;

    public DamagedOutputException(Verification verification) {
        super("damaged output " + verification.root() + ": " + verification.damageLine());
        this.verification = verification;
    }

    /** What the verifier found. */
    public Verification verification() {
        return verification;
    }
}
