package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.overparam.sweep.run.GpuReport;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.cuda.CudaBackend;

/**
 * {@code overparam gpus} on local Spark: one line per task with this machine's CUDA probe, no assignment
 * (local mode schedules no GPUs), exit 0 only where every task would train on a GPU; bad counts exit 2.
 * Its cluster side (Spark assigning GPU addresses to tasks) runs in scripts/cluster-smoke.sh.
 */
class GpusCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.stdout();
    private final ByteArrayOutputStream err = console.stderr();

    @Test
    void everyTaskReportsTheProbeAndTheExitCodeSaysWhetherAllCanUseAGpu() {
        Availability cuda = CudaBackend.probe();
        int rc = OverparamCli.execute("gpus", "--master", "local[2]", "--tasks", "3");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(cuda.available() ? 0 : 1, rc, text + err);
        List<String> tasks = text.lines().filter(l -> l.matches("^[0-2] +driver .*")).toList();
        assertEquals(3, tasks.size(), text);
        for (String line : tasks) {
            assertTrue(line.contains(cuda.reason()), line);
            assertTrue(line.contains(cuda.available() ? " cuda:" : " none "), line);
        }
        assertTrue(text.contains("Spark assigned no GPU to any task"), text);
        assertTrue(text.contains((cuda.available() ? 3 : 0) + " of 3 tasks would train on a GPU"), text);
    }

    @Test
    void badCountsAreRefused() {
        assertEquals(2, OverparamCli.execute("gpus", "--tasks", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--tasks must be >= 1, got 0"), err.toString());
        assertEquals(2, OverparamCli.execute("gpus", "--tasks-per-gpu", "0"));
    }

    @Test
    void mostAtOnceCountsOverlappingHolds() {
        List<GpuReport.TaskGpu> tasks = List.of(task(0, 10), task(5, 20), task(6, 8), task(20, 30), task(25, 26));
        assertEquals(3, GpuReport.mostAtOnce(tasks), "[0,10), [5,20), [6,8) overlap at 6");
        assertEquals(1, GpuReport.mostAtOnce(List.of(task(0, 5), task(5, 10))), "back to back is one at a time");
    }

    private static GpuReport.TaskGpu task(long start, long end) {
        return new GpuReport.TaskGpu(0, "1", "h", "0", "p", "cuda:0", true, start, end);
    }
}
