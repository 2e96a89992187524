package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code code_version}: the commit the launcher names, else the jar's version (none for test classes), else {@code dev}. */
class CodeVersionTest {
    @AfterEach
    void clear() {
        System.clearProperty(CodeVersion.PROPERTY);
    }

    @Test
    void theLaunchersCommitNamesTheCode() {
        System.setProperty(CodeVersion.PROPERTY, " git-0123456789ab-dirty\n");
        assertEquals("git-0123456789ab-dirty", CodeVersion.get());
    }

    @Test
    void withoutItClassesOutsideAJarAreDev() {
        assertEquals("dev", CodeVersion.get());
        System.setProperty(CodeVersion.PROPERTY, "  ");
        assertEquals("dev", CodeVersion.get(), "a blank property names nothing");
    }
}
