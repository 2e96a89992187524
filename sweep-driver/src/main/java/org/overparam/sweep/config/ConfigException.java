package org.overparam.sweep.config;

/**
 * A config that cannot be run: names the offending key (dotted path, e.g. {@code grid.m[2]}) and
 * says what is wrong with its value, in one line. The command line exits with code 2 on it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The dotted key path the problem is at ({@code ""} for the document itself). */
    public String key() {
        return key;
    }
}
