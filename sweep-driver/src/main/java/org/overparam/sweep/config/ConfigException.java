package org.overparam.sweep.config;

/**
 * A config that cannot be run: names the offending key (dotted path, e.g. {@code grid.m[2]}) and
 * says what is wrong with its value, in one line. The command line exits with code 2 on it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String problem) {
        super(oneLine(key.isEmpty() ? problem : key + ": " + problem));
        this.key = key;
    }

    /** Values quoted in a message may span lines (YAML block text); keep the message on one line. */
    private static String oneLine(String s) {
        return s.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** The dotted key path the problem is at ({@code ""} for the document itself). */
    public String key() {
        return key;
    }
}
