package org.overparam.sweep.run;

/**
 * The version of overparam that wrote a row ({@code code_version}): the commit the launcher found
 * ({@code scripts/overparam} passes {@code -Doverparam.code_version=git-<12 hex digits>[-dirty]} when it runs from a git
 * checkout, {@code -dirty} when tracked files differ from the commit), else the jar's {@code Implementation-Version},
 * else {@code dev}. Provenance, not a result: {@code scripts/CheckTables.java} leaves it out of its comparisons, as it
 * does {@code wall_ms}.
 */
public final class CodeVersion {
    /** The system property the launcher sets. */
    public static final String PROPERTY = "overparam.code_version";

    private CodeVersion() {
    }

    public static String get() {
        String launcher = System.getProperty(PROPERTY);
        if (launcher != null && !launcher.isBlank()) {
            return launcher.strip();
        }
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
