package org.overparam.trainer.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer/build-kernels.sh}, as Maven runs it: without nvcc the build goes on (exit 0, with the
 * reason); with an nvcc that fails, the build fails and shows nvcc's error. Runs in a scratch target
 * folder with a PATH that hides this machine's nvcc.
 */
class BuildKernelsScriptTest {
    private static final Path SCRIPT = Path.of("build-kernels.sh").toAbsolutePath();

    private record Run(int exit, String output) {
    }

    private static Run run(Path target, Path extraPath) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("NVCC");
        env.remove("CUDA_HOME");
        env.remove("OVERPARAM_SKIP_CUDA");
        env.put("PATH", (extraPath == null ? "" : extraPath + ":") + "/usr/bin:/bin");
        env.put("OVERPARAM_CUDA_DEFAULT_HOME", target.resolve("no-cuda-here").toString());
        env.put("OVERPARAM_KERNELS_TARGET", target.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void withoutNvccTheBuildGoesOnAndSaysWhy(@TempDir Path target) throws Exception {
        Run r = run(target, null);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("nvcc not found"), r.output());
        assertTrue(r.output().contains("the CUDA backend will report itself unavailable"), r.output());
        assertFalse(Files.exists(target.resolve("classes/cuda/overparam.fatbin")));
        assertTrue(Files.exists(target.resolve("cuda/SKIPPED")));
    }

    @Test
    void aKernelThatDoesNotCompileFailsTheBuild(@TempDir Path target) throws Exception {
        Path bin = Files.createDirectories(target.resolve("fake-bin"));
        Path nvcc = bin.resolve("nvcc");
        Files.writeString(nvcc, "#!/bin/sh\necho \"overparam.cu(42): error: identifier \\\"oops\\\" is undefined\" >&2\nexit 2\n");
        Files.setPosixFilePermissions(nvcc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(target, bin);
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("identifier \"oops\" is undefined"), r.output());
        assertTrue(r.output().contains("nvcc failed"), r.output());
        assertFalse(Files.exists(target.resolve("classes/cuda/overparam.fatbin")));
    }
}
