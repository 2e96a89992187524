package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/get-gpus.sh} with a fake {@code nvidia-smi} on the PATH: its output is what Spark's own
 * parser reads as the {@code gpu} resource, and it fails with a reason where there is no driver.
 */
class GetGpusScriptTest {
    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("conf/get-gpus.sh");

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(Path bin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString());
        pb.environment().put("PATH", (bin == null ? "" : bin + ":") + "/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }

    private static Path fakeNvidiaSmi(Path dir, String script) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void printsTheGpusAsSparkReadsThem(@TempDir Path dir) throws Exception {
        Path bin = fakeNvidiaSmi(dir, """
                [ "$1" = "--query-gpu=index" ] && [ "$2" = "--format=csv,noheader" ] || exit 9
                printf '0\\n1\\n 2 \\n3\\n'
                """);
        Run r = run(bin);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("{\"name\": \"gpu\", \"addresses\": [\"0\",\"1\",\"2\",\"3\"]}", r.stdout().trim());
        ResourceInformation gpu = ResourceInformation.parseJson(r.stdout());
        assertEquals("gpu", gpu.name());
        assertArrayEquals(new String[] {"0", "1", "2", "3"}, gpu.addresses());
    }

    @Test
    void aMachineWithoutGpusListsNone(@TempDir Path dir) throws Exception {
        Run r = run(fakeNvidiaSmi(dir, "exit 0\n"));
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(new String[0], ResourceInformation.parseJson(r.stdout()).addresses());
    }

    @Test
    void failsWithTheReasonWithoutADriver(@TempDir Path dir) throws Exception {
        Run missing = run(null);
        assertEquals(1, missing.exit());
        assertTrue(missing.stderr().contains("nvidia-smi not found"), missing.stderr());
        Run broken = run(fakeNvidiaSmi(dir, "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'\nexit 9\n"));
        assertEquals(1, broken.exit());
        assertTrue(broken.stderr().contains("nvidia-smi failed"), broken.stderr());
    }
}
