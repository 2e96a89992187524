package org.overparam.sweep.config;

/**
 * A setting record built with a value it cannot take: names the config key and the problem. Thrown by the
 * records' constructors, so that settings made in code are checked like those read from a file;
 * {@link ConfigLoader} turns it into the {@link ConfigException} the command line reports (exit code 2).
 */
public final class InvalidSetting extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String problem;

    public InvalidSetting(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** This problem as the checked exception of config loading. */
    public ConfigException toConfigException() {
        return new ConfigException(key, problem);
    }
}
