package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The command-line contract: exit codes, one-line errors naming the key, no output folder on bad
 * input, the trial count from {@code validate}, and a real {@code run} that writes readable tables.
 */
class OverparamCliTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.stdout();
    private final ByteArrayOutputStream err = console.stderr();

    private Path config(String text) throws Exception {
        Path p = tmp.resolve("sweep.yaml");
        Files.writeString(p, text);
        return p;
    }

    private static final String TINY = """
            name: tiny
            model: wn
            data: {kind: sphere, target: gaussian}
            grid: {alpha: [1.0], m: [8, 32], n: [6], d: [10], eta: [0.5]}
            seeds: 2
            train: {steps: 300, tolerance: 1.0e-6}
            """;

    @Test
    void validatePrintsTheTrialCount() throws Exception {
        assertEquals(0, OverparamCli.execute("validate", config(TINY).toString()));
        assertTrue(out.toString().contains("trials: 4"), out.toString());
    }

    @Test
    void badConfigExitsWithTwoNamesTheKeyAndCreatesNoOutput() throws Exception {
        Path cfg = config(TINY.replace("eta: [0.5]", "eta: [-0.5]"));
        Path outDir = tmp.resolve("never");
        assertEquals(2, OverparamCli.execute("run", cfg.toString(), "--out", outDir.toString()));
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.contains("grid.eta[0]") && message.contains("-0.5"), message);
        assertFalse(Files.exists(outDir), "no output folder for a bad config");
        assertEquals(2, OverparamCli.execute("validate", cfg.toString()));
    }

    @Test
    void missingConfigFileAndUnknownOptionsExitWithTwo() throws Exception {
        assertEquals(2, OverparamCli.execute("validate", tmp.resolve("nope.yaml").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
        assertEquals(2, OverparamCli.execute("run", config(TINY).toString(), "--no-such-option"));
        assertEquals(2, OverparamCli.execute("run", config(TINY).toString(), "--batch-size", "0"));
        assertEquals(2, OverparamCli.execute("run", config(TINY).toString(), "--resume", "--overwrite"));
        assertEquals(2, OverparamCli.execute());
    }

    @Test
    void helpIsAvailableEverywhere() {
        assertEquals(0, OverparamCli.execute("--help"));
        assertTrue(out.toString().contains("run") && out.toString().contains("validate") && out.toString().contains("aggregate"));
        out.reset();
        assertEquals(0, OverparamCli.execute("run", "--help"));
        assertTrue(out.toString().contains("--resume") && out.toString().contains("--master"));
    }

    @Test
    void runWritesTablesPrintsASummaryAndRefusesToClobber() throws Exception {
        Path cfg = config(TINY);
        Path outDir = tmp.resolve("out");
        assertEquals(0, OverparamCli.execute("run", cfg.toString(), "--out", outDir.toString(), "--master", "local[2]"));
        String stdout = out.toString();
        assertTrue(stdout.contains("m=8") && stdout.contains("m=32"), stdout);
        assertTrue(stdout.contains("tables:"), stdout);
        assertTrue(err.toString().contains("4/4 trials"), "progress reaches the total: " + err);
        assertTrue(Files.exists(outDir.resolve("manifest.json")));
        assertTrue(Files.exists(outDir.resolve("sweep.yaml")));
        assertTrue(stdout.contains("thresholds: m_star") && stdout.contains("report: "), "run aggregates and reports: " + stdout);
        assertTrue(Files.exists(outDir.resolve("report/index.html")) && Files.exists(outDir.resolve("thresholds")));

        assertEquals(4L, (long) SparkTestSupport.withLocalSession(spark -> spark.read().parquet(outDir.resolve("trials").toString()).count()));

        err.reset();
        assertEquals(2, OverparamCli.execute("run", cfg.toString(), "--out", outDir.toString(), "--master", "local[1]"));
        assertTrue(err.toString().contains("--resume"), err.toString());
        out.reset();
        assertEquals(0, OverparamCli.execute("run", cfg.toString(), "--out", outDir.toString(), "--master", "local[1]", "--resume",
                "--no-report"));
        assertTrue(out.toString().contains("ran 0 trials (4 already done)"), out.toString());
        assertFalse(out.toString().contains("report: "), "--no-report: " + out);

        out.reset();
        assertEquals(0, OverparamCli.execute("aggregate", outDir.toString(), "--master", "local[1]", "--delta", "0.5", "--bootstrap", "0"));
        assertTrue(out.toString().contains("delta 0.5") && !out.toString().contains("report: "), out.toString());
        err.reset();
        assertEquals(2, OverparamCli.execute("aggregate", outDir.toString(), "--master", "local[1]", "--delta", "1.5"));
        assertTrue(err.toString().contains("--delta"), err.toString());
        assertEquals(2, OverparamCli.execute("aggregate", tmp.toString(), "--master", "local[1]"));
        assertTrue(err.toString().contains("not a sweep output"), err.toString());

        out.reset();
        assertEquals(0, OverparamCli.execute("status", outDir.toString(), "--master", "local[1]"));
        assertTrue(out.toString().contains(": finished") && out.toString().contains("trials committed: 4 / 4 planned"), out.toString());
        err.reset();
        assertEquals(2, OverparamCli.execute("status", tmp.toString(), "--master", "local[1]"));
        assertTrue(err.toString().contains("not a sweep output"), err.toString());

        // --resume with another config: refused with exit 2 and a line saying why; the output is untouched.
        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, TINY.replace("m: [8, 32]", "m: [8, 64]"));
        List<String> before = listing(outDir);
        err.reset();
        assertEquals(2, OverparamCli.execute("run", other.toString(), "--out", outDir.toString(), "--master", "local[1]", "--resume"));
        List<String> lines = err.toString().lines().toList();
        assertEquals("overparam: --resume: " + outDir + " was written by a different config (sweep 'tiny', 4 trials);"
                + " use another --out", lines.get(lines.size() - 1));
        assertEquals(before, listing(outDir));
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p) + " " + p.toFile().length()).sorted().toList();
        }
    }
}
