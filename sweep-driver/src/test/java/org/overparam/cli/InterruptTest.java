package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.tables.TrialTables;

/**
 * Ctrl-C on {@code run}, for real: a driver JVM is sent SIGINT (SIGTERM) once its first batch is
 * committed; it exits 130 (143) with one line saying how many trials are committed and the exact command
 * that continues, and no stack trace; that command finishes the sweep to tables identical to an
 * uninterrupted run.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    private static final String SWEEP = """
            name: interrupted
            model: wn
            data: {kind: sphere, target: sign}
            grid: {alpha: [1.0], m: [16, 64, 256], n: [10], d: [20], eta: [0.5]}
            seeds: 8
            train: {steps: 3000, tolerance: 1.0e-10}
            """;

    private Process driver(Path cfg, Path out, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String line : Files.readAllLines(Path.of("..", "conf", "jvm-options"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                cmd.add(line.trim());
            }
        }
        cmd.add("-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties").toAbsolutePath());
        cmd.add("-Doverparam.launcher=overparam");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OverparamCli.class.getName());
        cmd.addAll(List.of("run", cfg.toString(), "--out", out.toString(), "--master", "local[2]", "--batch-size", "2", "--no-report"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Polls (bounded) until a batch of trials is committed in {@code out}. */
    private static void awaitFirstCommit(Path out, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Path trials = out.resolve("trials");
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the driver ended before a batch was committed: " + Files.readString(log));
            if (Files.isDirectory(trials)) {
                try (Stream<Path> files = Files.list(trials)) {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"))) {
                        return;
                    }
                }
            }
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no batch committed within 240 s: " + Files.readString(log));
    }

    private String interrupt(String signal, int expectedExit, Path cfg, Path out) throws Exception {
        Path log = tmp.resolve(signal + ".log");
        Process p = driver(cfg, out, log);
        try {
            awaitFirstCommit(out, p, log);
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the driver exits after " + signal);
        } finally {
            p.destroyForcibly();
        }
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(expectedExit, p.exitValue(), said);
        assertFalse(said.contains("Exception") || said.lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace: " + said);
        return said;
    }

    @Test
    void sigintLeavesACommittedPrefixAndTheExactResumeCommand() throws Exception {
        Path cfg = tmp.resolve("sweep.yaml");
        Files.writeString(cfg, SWEEP);
        Path out = tmp.resolve("out");
        String said = interrupt("INT", 130, cfg, out);
        Matcher m = Pattern.compile("overparam: interrupted \\(SIGINT\\): (\\d+) of 24 trials committed in " + Pattern.quote(out.toString())
                + "; continue with: overparam (run .*)").matcher(said);
        assertTrue(m.find(), said);
        int committed = Integer.parseInt(m.group(1));
        assertTrue(committed >= 2 && committed < 24 && committed % 2 == 0, "whole batches: " + committed);
        String resume = m.group(2).trim();
        assertEquals("run " + cfg + " --out " + out + " --resume --master 'local[2]' --batch-size 2 --no-report", resume);
        assertEquals(1, said.lines().filter(l -> l.startsWith("overparam: interrupted")).count(), said);

        // The printed command, as a shell would split it, continues the sweep to the uninterrupted tables.
        String[] args = resume.replace("'local[2]'", "local[2]").split(" ");
        assertEquals(0, OverparamCli.execute(args));
        Path reference = tmp.resolve("reference");
        assertEquals(0, OverparamCli.execute("run", cfg.toString(), "--out", reference.toString(), "--master", "local[2]", "--no-report"));
        SparkTestSupport.withLocalSession(spark -> {
            assertEquals(comparable(spark, reference, "trials"), comparable(spark, out, "trials"));
            assertEquals(comparable(spark, reference, "curves"), comparable(spark, out, "curves"));
            assertEquals(24, spark.read().parquet(out.resolve("trials").toString()).count());
            return null;
        });
    }

    @Test
    void sigtermExitsWith143AndTheSameLine() throws Exception {
        Path cfg = tmp.resolve("sweep.yaml");
        Files.writeString(cfg, SWEEP);
        Path out = tmp.resolve("out");
        String said = interrupt("TERM", 143, cfg, out);
        assertTrue(said.contains("overparam: interrupted (SIGTERM): ") && said.contains("continue with: overparam run "), said);
        assertFalse(Files.exists(out.resolve(org.overparam.sweep.run.OutputLock.FILE)), "the lock is released");
    }

    private static List<Row> comparable(SparkSession spark, Path out, String table) {
        var rows = spark.read().parquet(out.resolve(table).toString());
        if (table.equals("trials")) {
            return rows.drop(TrialTables.TIMING_COLUMNS.toArray(String[]::new)).orderBy("trial_id").collectAsList();
        }
        return rows.orderBy("trial_id", "step").collectAsList();
    }
}
