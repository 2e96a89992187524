package org.overparam.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The regression test for the intermittent hang: the first LAPACK calls of a fresh class loader (Java LAPACK)
 * or a fresh JVM (bundled OpenBLAS) race from four threads, and every thread's eigenvalues and least-squares
 * solution must equal, bit for bit, those of a single-threaded reference, within a minute.
 *
 * <p>Before the fix (netlib's f2j LAPACK called without a lock: {@code -Doverparam.race.target=f2j-unguarded}
 * runs this very test against it) the race corrupted f2j's machine constants or its dqds state: measured in
 * docs/benchmarks.md ("Linear algebra you can trust"). Each fresh class loader reloads every class of the test
 * class path, f2j's statics with them; the native library can load once per JVM, hence fresh JVMs for it.
 */
class LapackFirstUseRaceTest {
    private static final int THREADS = 4;
    private static final int CLASS_LOADERS = Integer.getInteger("overparam.race.loaders", 40);
    private static final int JVMS = Integer.getInteger("overparam.race.jvms", 6);
    private static final String JAVA_TARGET = System.getProperty("overparam.race.target", "java");

    @Test
    void javaLapackRacingInFreshClassLoadersGivesTheReferenceBits() throws Exception {
        double[] reference = FirstUseRace.solveBoth(FirstUseRace.lapack(JAVA_TARGET));
        URL[] classPath = classPathUrls();
        List<String> wrong = new ArrayList<>();
        for (int run = 0; run < CLASS_LOADERS; run++) {
            try (URLClassLoader fresh = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
                Class<?> race = fresh.loadClass(FirstUseRace.class.getName());
                Method m = race.getMethod("race", String.class, int.class, long.class);
                List<?> results;
                try {
                    results = (List<?>) m.invoke(null, JAVA_TARGET, THREADS, 60L);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    wrong.add("class loader " + run + ": " + e.getCause());
                    continue;
                }
                for (int t = 0; t < results.size(); t++) {
                    double[] got = (double[]) results.get(t);
                    if (!FirstUseRace.hex(got).equals(FirstUseRace.hex(reference))) {
                        wrong.add("class loader " + run + ", thread " + t + ": " + firstDifference(reference, got));
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), JAVA_TARGET + ": " + wrong.size() + " wrong results over " + CLASS_LOADERS
                + " fresh class loaders x " + THREADS + " threads:\n" + String.join("\n", wrong));
    }

    @Test
    void bundledOpenBlasRacingInFreshJvmsGivesTheReferenceBits() throws Exception {
        assumeTrue(LinearAlgebra.get().isNative(), "the bundled OpenBLAS does not load here: "
                + BundledOpenBlas.failure().orElse("?"));
        String reference = FirstUseRace.hex(FirstUseRace.solveBoth(LinearAlgebra.get().lapack()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int run = 0; run < JVMS; run++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    FirstUseRace.class.getName(), "native", Integer.toString(THREADS))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fresh JVM " + run + " did not finish");
            assertEquals(0, p.exitValue(), "fresh JVM " + run + " failed");
            String[] lines = new String(out, StandardCharsets.UTF_8).trim().split("\n");
            assertEquals(THREADS, lines.length, "one line per thread");
            for (int t = 0; t < THREADS; t++) {
                assertEquals(reference, lines[t].trim(), "fresh JVM " + run + ", thread " + t);
            }
        }
    }

    private static String firstDifference(double[] expected, double[] got) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(got[i])) {
                return "value " + i + ": " + got[i] + " instead of " + expected[i];
            }
        }
        return "?";
    }

    private static URL[] classPathUrls() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
