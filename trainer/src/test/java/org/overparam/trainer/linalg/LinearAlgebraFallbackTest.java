package org.overparam.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A machine where the bundled natives cannot load (another OS or CPU): a fresh JVM whose class path lacks the
 * OpenBLAS and JavaCPP jars trains on pure Java, says so once in its log, names it in the {@code blas} column,
 * and computes the same eigenvalues and least squares, bit for bit, as the Java LAPACK in this JVM.
 */
class LinearAlgebraFallbackTest {
    @Test
    void withoutTheNativesTheJavaFallbackIsUsedNamedAndLoggedOnce() throws Exception {
        List<String> entries = classPathEntries();
        List<String> withoutNatives = entries.stream()
                .filter(e -> !Path.of(e).getFileName().toString().matches("(openblas|javacpp)-.*\\.jar"))
                .collect(Collectors.toList());
        assertTrue(withoutNatives.size() < entries.size(), "the test class path has the bytedeco jars: " + entries);
        Path err = Files.createTempFile("fallback", ".err");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", String.join(File.pathSeparator, withoutNatives),
                LinearAlgebraProbe.class.getName())
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(err);
        assertEquals(0, p.exitValue(), log);
        assertTrue(out.contains("native=false"), out);
        String name = LinearAlgebra.java().name();
        assertTrue(out.contains("name=" + name) && out.contains("blas=" + name), out);
        assertEquals(1, log.split("the bundled OpenBLAS does not load on this machine", -1).length - 1,
                "said once: " + log);
        String bits = out.lines().filter(l -> l.startsWith("bits=")).findFirst().orElseThrow().substring(5);
        assertEquals(FirstUseRace.hex(FirstUseRace.solveBoth(LinearAlgebra.java().lapack())), bits);
    }

    /** The test JVM's class path, expanded from surefire's manifest-only jar when it uses one. */
    static List<String> classPathEntries() throws Exception {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            String manifestClassPath = null;
            if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                try (JarFile jar = new JarFile(entry)) {
                    if (jar.getManifest() != null) {
                        manifestClassPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    }
                }
            }
            if (manifestClassPath != null && Path.of(entry).getFileName().toString().startsWith("surefirebooter")) {
                for (String url : manifestClassPath.trim().split("\\s+")) {
                    out.add(Path.of(Path.of(entry).getParent().toUri().resolve(URI.create(url))).toString());
                }
            } else {
                out.add(entry);
            }
        }
        return out;
    }
}
