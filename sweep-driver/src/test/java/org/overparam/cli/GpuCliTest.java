package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.cuda.CudaBackend;

/** {@code overparam run} with {@code backend: cuda} where CUDA cannot run: exit 2, one line naming the key and the reason. */
class GpuCliTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.stderr();

    @Test
    void cudaWithoutAGpuExitsWithTwoAndWritesNothing() throws Exception {
        Availability cuda = CudaBackend.probe();
        Assumptions.assumeFalse(cuda.available(), "this machine has a GPU: the refusal cannot happen here");
        Path cfg = tmp.resolve("sweep.yaml");
        Files.writeString(cfg, """
                name: tiny
                model: wn
                data: {kind: sphere, target: gaussian}
                grid: {alpha: [1.0], m: [8], n: [6], d: [10], eta: [0.5]}
                seeds: 1
                train: {steps: 30, tolerance: 1.0e-6}
                backend: cuda
                """);
        Path out = tmp.resolve("out");
        assertEquals(2, OverparamCli.execute("run", cfg.toString(), "--out", out.toString(), "--master", "local[1]"));
        String line = err.toString().lines().filter(l -> l.startsWith("overparam:")).findFirst().orElse(err.toString());
        assertEquals("overparam: backend: cuda requested, but CUDA is unavailable on this machine: " + cuda.reason(), line);
        assertFalse(Files.exists(out));
        assertTrue(cuda.reason().length() > 10);
    }
}
