package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.run.OutputLock;
import org.overparam.sweep.tables.LimitedFileSystem;
import org.overparam.sweep.tables.TrialTables;
import picocli.CommandLine;

/**
 * Every failure of {@code run} and {@code report} is one line naming what failed, where and what is safe, with an
 * exit code of its own, and the committed trials go on to the tables of an undisturbed run. The faults are real:
 * a Hadoop FileSystem ({@link LimitedFileSystem}, the local disk with a capacity) that fills up, refuses
 * permission or loses its store mid-sweep; an OutOfMemoryError thrown by the JVM.
 */
class FaultLinesCliTest {
    private static final String SWEEP = """
            name: faults
            model: wn
            data: {kind: sphere, target: gaussian}
            grid: {alpha: [1.0], m: [8, 16, 32], n: [6], d: [10], eta: [0.5]}
            seeds: 4
            train: {steps: 300, tolerance: 1.0e-6}
            """;
    private static final int TRIALS = 12;
    private static final Pattern NOT_ONE_LINE = Pattern.compile("(?m)^\\s+at |Caused by|Exception:");

    @TempDir
    static Path shared;
    private static Path config;
    private static Path reference;
    /** Bytes of the reference's tables: the capacity that fills up mid-sweep is half of them. */
    private static long tableBytes;

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
        config = shared.resolve("faults.yaml");
        Files.writeString(config, SWEEP);
        reference = shared.resolve("reference");
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", reference.toString(), "--master", "local[2]",
                "--batch-size", "2", "--no-report"));
        try (Stream<Path> files = Files.walk(reference)) {
            tableBytes = files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @AfterAll
    static void unregister() {
        System.clearProperty(LimitedFileSystem.SPARK_KEY);
        LimitedFileSystem.unlimited();
    }

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        LimitedFileSystem.unlimited();
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        LimitedFileSystem.unlimited();
    }

    /** The one line the failure printed: exactly one "overparam: " line, the last, and no trace anywhere. */
    private String faultLine() {
        String said = err.toString(StandardCharsets.UTF_8);
        List<String> lines = said.lines().filter(l -> l.startsWith("overparam: ")).toList();
        assertEquals(1, lines.size(), said);
        assertTrue(said.strip().endsWith(lines.get(0)), "the line comes last: " + said);
        assertFalse(NOT_ONE_LINE.matcher(said).find(), "no stack trace: " + said);
        return lines.get(0);
    }

    /** {@code limited:} and the path, with as many slashes as Hadoop prints (a path without authority has one). */
    private static String anyScheme(Path dir) {
        return "limited:/+" + Pattern.quote(dir.toAbsolutePath().toString().substring(1));
    }

    private String[] run(Path outDir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("run", config.toString(), "--out", LimitedFileSystem.uri(outDir),
                "--master", "local[2]", "--batch-size", "2"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Runs the command the line says continues the sweep, with the disk made whole, and compares with the reference. */
    private void continueAndCompare(String line, Path outDir) throws Exception {
        Matcher m = Pattern.compile("continue with: overparam (run .*?) \\(details: ").matcher(line);
        assertTrue(m.find(), line);
        LimitedFileSystem.unlimited();
        err.reset();
        assertEquals(0, OverparamCli.execute(m.group(1).replace("'local[2]'", "local[2]").split(" ")), err.toString());
        assertSameTables(outDir);
    }

    private static void assertSameTables(Path outDir) {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            for (String table : List.of("trials", "curves")) {
                assertEquals(rows(spark, reference, table), rows(spark, outDir, table), table + " as an undisturbed run's");
            }
            assertEquals(TRIALS, spark.read().parquet(outDir.resolve("trials").toString()).count(), "one row per trial");
        } finally {
            spark.stop();
        }
    }

    private static List<Row> rows(SparkSession spark, Path dir, String table) {
        var rows = spark.read().parquet(dir.resolve(table).toString());
        return table.equals("trials") ? rows.drop(TrialTables.TIMING_COLUMNS.toArray(String[]::new)).orderBy("trial_id").collectAsList()
                : rows.orderBy("trial_id", "step").collectAsList();
    }

    @Test
    void aDiskFullMidSweepIsOneLineSayingWhatIsCommittedAndTheCommandThatContinues() throws Exception {
        Path outDir = tmp.resolve("full");
        LimitedFileSystem.limit(tableBytes / 2, LimitedFileSystem.Failure.DISK_FULL);
        assertEquals(3, OverparamCli.execute(run(outDir, "--no-report")));
        String line = faultLine();
        Matcher m = Pattern.compile("^overparam: no space left on device (writing|at) " + anyScheme(outDir)
                + "/\\S+: (\\d+) of 12 trials committed and intact in " + Pattern.quote(LimitedFileSystem.uri(outDir))
                + "; free space and continue with: overparam run " + Pattern.quote(config.toString()) + " --out "
                + Pattern.quote(LimitedFileSystem.uri(outDir)) + " --resume --master 'local\\[2\\]' --batch-size 2 --no-report"
                + " \\(details: \\S+; --verbose prints them\\)$").matcher(line);
        assertTrue(m.find(), line);
        int committed = Integer.parseInt(m.group(2));
        assertTrue(committed > 0 && committed < TRIALS && committed % 2 == 0, "whole batches, mid-sweep: " + line);
        LimitedFileSystem.unlimited();
        out.reset();
        assertEquals(0, OverparamCli.execute("verify", LimitedFileSystem.uri(outDir)), out.toString());
        assertTrue(out.toString().contains(committed + " trials"), out.toString());
        continueAndCompare(line, outDir);
    }

    @Test
    void aReportFailingAfterACompleteSweepSaysTheSweepIsCompleteAndHowToRedrawIt() throws Exception {
        Path outDir = tmp.resolve("report");
        assertEquals(0, OverparamCli.execute(run(outDir, "--no-report")));
        // Only the lock and the derived tables are written from here: the disk fills at the first table.
        LimitedFileSystem.limit(2_000, LimitedFileSystem.Failure.DISK_FULL);
        err.reset();
        assertEquals(8, OverparamCli.execute(run(outDir, "--resume")));
        String line = faultLine();
        String dir = LimitedFileSystem.uri(outDir);
        assertTrue(line.startsWith("overparam: the sweep is complete (12 of 12 trials committed and intact in " + dir
                + "), but its report failed: no space left on device "), line);
        assertTrue(line.contains("; free space and redraw it with: overparam report " + dir + " (details: "), line);

        err.reset();
        assertEquals(3, OverparamCli.execute("report", dir, "--master", "local[2]"));
        String again = faultLine();
        assertTrue(again.contains("12 trials committed and intact in " + dir + " (this command only reads them); free space and"
                + " run again: overparam report " + dir), again);

        LimitedFileSystem.unlimited();
        assertEquals(0, OverparamCli.execute("report", dir, "--master", "local[2]"));
        assertTrue(Files.isRegularFile(outDir.resolve("report/index.html")));
        assertSameTables(outDir);
    }

    @Test
    void permissionDeniedMidSweepHasItsOwnLineAndCode() throws Exception {
        Path outDir = tmp.resolve("denied");
        LimitedFileSystem.limit(tableBytes / 2, LimitedFileSystem.Failure.PERMISSION_DENIED);
        assertEquals(4, OverparamCli.execute(run(outDir, "--no-report")));
        String line = faultLine();
        assertTrue(Pattern.compile("^overparam: permission denied (writing|at) " + anyScheme(outDir)
                + "\\S*: \\d+ of 12 trials committed and intact in \\S+; fix its permissions and continue with: overparam run ")
                .matcher(line).find(), line);
        releaseLockOfThisJvm(outDir);
        continueAndCompare(line, outDir);
    }

    @Test
    void aStoreLostMidSweepHasItsOwnLineAndCode() throws Exception {
        Path outDir = tmp.resolve("lost");
        LimitedFileSystem.limit(tableBytes / 2, LimitedFileSystem.Failure.STORE_LOST);
        assertEquals(5, OverparamCli.execute(run(outDir, "--no-report")));
        String line = faultLine();
        assertTrue(line.startsWith("overparam: lost the output store "), line);
        assertTrue(line.contains(": the batches committed in " + LimitedFileSystem.uri(outDir) + " are kept (not checked now: ConnectException);"
                + " once the store is back, continue with: overparam run "), line);
        releaseLockOfThisJvm(outDir);
        continueAndCompare(line, outDir);
    }

    /**
     * The driver could not remove its lock from a store that refused or vanished. A new driver process takes a lock
     * whose process is gone over at once; here the driver was this test's JVM, still alive, so the test removes it.
     */
    private static void releaseLockOfThisJvm(Path outDir) throws Exception {
        Files.deleteIfExists(outDir.resolve(OutputLock.FILE));
    }

    @Test
    void anOutOfMemoryErrorOnTheDriverIsItsOwnClassAndCode() {
        OutOfMemoryError oom = assertThrows(OutOfMemoryError.class, () -> {
            long[] huge = new long[Integer.MAX_VALUE];
            huge[0] = 1;
        });
        Fault fault = Fault.classify(new IllegalStateException("collecting the trials failed", oom));
        assertEquals(FaultKind.OUT_OF_MEMORY, fault.kind());
        assertEquals(7, fault.kind().exitCode());

        OverparamCli cli = new OverparamCli();
        CommandLine line = new CommandLine(cli);
        line.parseArgs("status", reference.toString());
        assertEquals(7, new FaultHandler(cli).handle(oom, FaultHandler.last(line)));
        String said = faultLine();
        assertTrue(said.startsWith("overparam: out of memory on the driver: 12 trials committed and intact in " + reference
                + " (this command only reads them); give the driver more heap (JAVA_OPTS=-Xmx8g"), said);
    }

    @Test
    void aConfigThatIsNotUtf8NamesTheByteOffset() throws Exception {
        Path latin1 = tmp.resolve("latin1.yaml");
        Files.write(latin1, SWEEP.replace("name: faults", "name: faults # r\u00e9sum\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(2, OverparamCli.execute("validate", latin1.toString()));
        String said = err.toString().strip();
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("is not valid UTF-8: byte 0xE9 at offset 16 (line 1)"), said);
    }
}
