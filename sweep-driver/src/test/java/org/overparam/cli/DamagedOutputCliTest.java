package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.tables.LimitedFileSystem;
import org.overparam.sweep.tables.TrialTables;

/**
 * A damaged output folder, as a crash on a store without atomic rename or a bad disk leaves it: a committed part
 * file truncated or altered. {@code verify} names it and the trials it held, {@code aggregate} refuses (or skips it
 * when asked, saying so), {@code status} lists it, and {@code run --resume} quarantines its batch and reruns exactly
 * those trials, to the tables of an undamaged run; on the local disk and through another Hadoop FileSystem.
 * {@code compact} rewrites the batch files as one, the tables unchanged.
 */
class DamagedOutputCliTest {
    private static final String SWEEP = """
            name: damaged
            model: wn
            data: {kind: sphere, target: gaussian}
            grid: {alpha: [1.0], m: [8, 16, 32], n: [6], d: [10], eta: [0.5]}
            seeds: 4
            train: {steps: 300, tolerance: 1.0e-6}
            """;

    @TempDir
    static Path shared;
    private static Path config;
    private static Path reference;

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeAll
    static void referenceRun() throws Exception {
        System.setProperty(LimitedFileSystem.SPARK_KEY, LimitedFileSystem.class.getName());
        LimitedFileSystem.unlimited();
        config = shared.resolve("damaged.yaml");
        Files.writeString(config, SWEEP);
        reference = shared.resolve("reference");
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", reference.toString(), "--master", "local[2]",
                "--batch-size", "4", "--no-report"));
    }

    @AfterAll
    static void unregister() {
        System.clearProperty(LimitedFileSystem.SPARK_KEY);
    }

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private void reset() {
        out.reset();
        err.reset();
    }

    @Test
    void aTruncatedPartIsNamedWithItsTrialsAndTheResumeRerunsExactlyThem() throws Exception {
        Path dir = copyOfReference("truncated");
        Path part = parts(dir, "trials").get(1);
        String file = "trials/" + part.getFileName();
        long size = Files.size(part);
        truncate(part, 5_000);
        String batch = part.getFileName().toString().substring(0, part.getFileName().toString().indexOf("-part-"));

        assertEquals(6, OverparamCli.execute("verify", dir.toString()));
        String listed = out.toString();
        String expected = String.format(java.util.Locale.ROOT, "damaged: %s is truncated (5,000 of %,d bytes); batch %s held 4 trials: ", file, size, batch);
        assertTrue(listed.contains(expected), listed);
        String ids = listed.substring(listed.indexOf(expected) + expected.length()).lines().findFirst().orElseThrow();
        assertEquals(trialIdsOf(reference.resolve(file)), List.of(ids.split(", ")).stream().sorted().toList(),
                "the trials it held, named without reading it");
        assertTrue(err.toString().contains("1 damaged batch of 4 trials in " + dir + " (8 trials intact)"), err.toString());

        reset();
        assertEquals(6, OverparamCli.execute("aggregate", dir.toString(), "--master", "local[1]"));
        String line = err.toString().strip();
        assertEquals(1, line.lines().filter(l -> l.startsWith("overparam: ")).count(), line);
        assertTrue(line.startsWith("overparam: damaged output in " + dir + ": " + file + " is truncated (5,000 of "), line);
        assertFalse(line.contains("\tat ") || line.contains("CANNOT_READ_FILE_FOOTER"), line);
        assertFalse(Files.exists(dir.resolve("thresholds")), "nothing computed from a damaged folder");

        reset();
        assertEquals(0, OverparamCli.execute("aggregate", dir.toString(), "--master", "local[1]", "--skip-damaged"));
        assertTrue(err.toString().contains("overparam: skipping damaged batch " + batch + " (" + file + " is truncated"
                + String.format(java.util.Locale.ROOT, " (5,000 of %,d bytes)): its 4 trials are left out of every table", size)), err.toString());
        assertEquals(8, seedsInThresholds(dir), "the thresholds count the 8 intact trials");

        reset();
        assertEquals(0, OverparamCli.execute("status", dir.toString(), "--master", "local[1]"));
        assertTrue(out.toString().contains("trials committed: 8 / 12") && out.toString().contains("DAMAGED")
                && out.toString().contains(expected), out.toString());

        reset();
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", dir.toString(), "--resume", "--master", "local[2]",
                "--batch-size", "4", "--no-report"));
        assertTrue(err.toString().contains("quarantined damaged batch " + batch + " (" + file + " is truncated"), err.toString());
        assertTrue(err.toString().contains("resuming: 8 of 12 trials already done, 4 to run"), err.toString());
        assertTrue(out.toString().contains("ran 4 trials (8 already done)"), out.toString());
        assertTrue(Files.isRegularFile(dir.resolve("_quarantine").resolve(batch).resolve(file)), "kept for inspection");
        assertSameTables(dir);
        reset();
        assertEquals(0, OverparamCli.execute("verify", dir.toString()), out.toString());
    }

    @Test
    void anAlteredPartIsFoundByItsChecksumThroughAnyHadoopFileSystem() throws Exception {
        Path dir = copyOfReference("altered");
        Path part = parts(dir, "curves").get(2);
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            long middle = f.length() / 2;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x5a);
        }
        // On the local file system (whose .crc sidecars would throw first) and through another Hadoop FileSystem.
        assertEquals(6, OverparamCli.execute("verify", dir.toString()));
        assertTrue(out.toString().contains("damaged: curves/" + part.getFileName() + " is altered ("), out.toString());
        reset();
        String uri = LimitedFileSystem.uri(dir);
        assertEquals(6, OverparamCli.execute("verify", uri));
        assertTrue(out.toString().contains("damaged: curves/" + part.getFileName() + " is altered ("), out.toString());
        reset();
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", uri, "--resume", "--master", "local[2]",
                "--batch-size", "4", "--no-report"));
        assertTrue(err.toString().contains("resuming: 8 of 12 trials already done, 4 to run"), err.toString());
        assertSameTables(dir);
    }

    @Test
    void aFolderWrittenBeforeManifestsIsRecordedAndItsUnreadableBatchRerun() throws Exception {
        Path dir = copyOfReference("legacy");
        deleteTree(dir.resolve("_commits"));
        truncate(parts(dir, "trials").get(0), 3_000);
        assertEquals(0, OverparamCli.execute("verify", dir.toString()));
        assertTrue(out.toString().contains("written before commit manifests"), out.toString());
        reset();
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", dir.toString(), "--resume", "--master", "local[2]",
                "--batch-size", "4", "--no-report"));
        assertTrue(err.toString().contains("quarantined unreadable batch") && err.toString().contains("recorded 2 batches"), err.toString());
        assertTrue(err.toString().contains("resuming: 8 of 12 trials already done, 4 to run"), err.toString());
        assertSameTables(dir);
        reset();
        assertEquals(0, OverparamCli.execute("verify", dir.toString()));
        assertTrue(out.toString().contains("3 batches committed, 12 trials"), out.toString());
    }

    @Test
    void compactionRewritesTheBatchesAsOneWithTheSameRows() throws Exception {
        Path dir = copyOfReference("compacted");
        assertEquals(3, parts(dir, "trials").size());
        assertEquals(0, OverparamCli.execute("compact", dir.toString(), "--master", "local[1]"));
        assertTrue(out.toString().contains("compacted " + dir + ": 3 batches (6 part files) into batch ")
                && out.toString().contains("(2 part files); 12 trial rows"), out.toString());
        assertEquals(1, parts(dir, "trials").size());
        assertEquals(1, parts(dir, "curves").size());
        assertSameTables(dir);
        reset();
        assertEquals(0, OverparamCli.execute("verify", dir.toString()));
        assertTrue(out.toString().contains("1 batch committed, 12 trials, 2 part files"), out.toString());
        reset();
        assertEquals(0, OverparamCli.execute("compact", dir.toString(), "--master", "local[1]"));
        assertTrue(out.toString().contains("nothing to compact"), out.toString());
        reset();
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", dir.toString(), "--resume", "--master", "local[1]",
                "--batch-size", "4", "--no-report"));
        assertTrue(err.toString().contains("resuming: 12 of 12 trials already done, 0 to run"), err.toString());
    }

    private Path copyOfReference(String name) throws Exception {
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(reference)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(reference.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static List<Path> parts(Path dir, String table) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve(table))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static void truncate(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            assertTrue(f.length() > size, file + " is larger than " + size);
            f.setLength(size);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<String> trialIdsOf(Path file) {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            return spark.read().parquet(file.toString()).select("trial_id").collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
        } finally {
            spark.stop();
        }
    }

    private static long seedsInThresholds(Path dir) {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            return spark.read().parquet(dir.resolve("thresholds").toString()).selectExpr("sum(seeds)").first().getLong(0);
        } finally {
            spark.stop();
        }
    }

    private static void assertSameTables(Path dir) {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            for (String table : List.of("trials", "curves")) {
                assertEquals(rows(spark, reference, table), rows(spark, dir, table), table + " as an undamaged run's");
            }
        } finally {
            spark.stop();
        }
    }

    private static List<Row> rows(SparkSession spark, Path dir, String table) {
        var rows = spark.read().parquet(dir.resolve(table).toString());
        return table.equals("trials") ? rows.drop(TrialTables.TIMING_COLUMNS.toArray(String[]::new)).orderBy("trial_id").collectAsList()
                : rows.orderBy("trial_id", "step").collectAsList();
    }
}
