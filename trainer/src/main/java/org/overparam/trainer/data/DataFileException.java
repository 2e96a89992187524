package org.overparam.trainer.data;

/** A data file that cannot be read or is not in its format; the message names the file and the problem. */
public final class DataFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataFileException(String message) {
        super(message);
    }
}
