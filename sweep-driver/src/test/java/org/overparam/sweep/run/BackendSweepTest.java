package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.cuda.CudaBackend;

/**
 * Sweeps that name a backend, on a real local Spark: {@code auto} runs where it can and every row says
 * where ({@code backend}, {@code device}, {@code precision}); {@code cuda} on a machine without a usable
 * GPU is refused before anything is written, naming the key and the reason. On a GPU machine the same
 * tests check the CUDA rows instead.
 */
class BackendSweepTest {
    private static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SweepPlan plan(String backend) throws ConfigException {
        return SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP + "backend: " + backend + "\n");
    }

    @Test
    void autoRunsWhereItCanAndEveryRowSaysWhere() throws Exception {
        Availability cuda = CudaBackend.probe();
        Path out = tmp.resolve("auto");
        String log = SparkTestSupport.run(spark, plan("auto"), out, false, 512);
        List<Row> rows = SparkTestSupport.trials(spark, out).collectAsList();
        assertEquals(24, rows.size());
        if (cuda.available()) {
            assertTrue(log.contains("backend: auto chose cuda"), log);
        } else {
            assertTrue(log.contains("backend: auto fell back to cpu: " + cuda.reason()), log);
        }
        for (Row r : rows) {
            String backend = r.getAs("backend");
            String device = r.getAs("device");
            assertEquals(cuda.available() ? "cuda" : "cpu", backend);
            assertEquals("float64", r.getAs("precision"));
            if (cuda.available()) {
                assertTrue(device.startsWith("cuda:"), device);
            } else {
                assertEquals("cpu", device);
            }
        }
        if (!cuda.available()) {
            // the same rows as the default cpu backend, timing aside
            Path cpu = tmp.resolve("cpu");
            SparkTestSupport.run(spark, SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP), cpu, false, 512);
            assertEquals(SparkTestSupport.comparableTrials(spark, cpu), SparkTestSupport.comparableTrials(spark, out));
        }
    }

    @Test
    void cudaWithoutAGpuIsRefusedBeforeAnythingIsWritten() throws Exception {
        Availability cuda = CudaBackend.probe();
        Path out = tmp.resolve("cuda");
        if (cuda.available()) {
            SparkTestSupport.run(spark, plan("{kind: cuda, max_pack: 5}"), out, false, 512);
            for (Row r : SparkTestSupport.trials(spark, out).collectAsList()) {
                assertEquals("cuda", r.getAs("backend"));
            }
            return;
        }
        ConfigException e = assertThrows(ConfigException.class, () -> SparkTestSupport.run(spark, plan("cuda"), out, false, 512));
        assertEquals("backend", e.key());
        assertEquals("backend: cuda requested, but CUDA is unavailable on this machine: " + cuda.reason(), e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
    }
}
