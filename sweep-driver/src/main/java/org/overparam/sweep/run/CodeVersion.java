package org.overparam.sweep.run;

/** The version of overparam that wrote a row: the jar's {@code Implementation-Version}, or {@code dev}. */
public final class CodeVersion {
    private CodeVersion() {
    }

    public static String get() {
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
