package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.run.OutputLock;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.tables.BatchManifest;
import org.overparam.sweep.tables.CommitLog;

/**
 * One writer per output folder from the command line: a second {@code run} (with or without
 * {@code --resume}) on a folder a live driver holds is refused with exit 2 and one line naming the owner,
 * touching nothing; and a folder that holds duplicate rows (written by two drivers before the lock) gives
 * derived tables that count every trial once, saying so in the log.
 */
class OneWriterCliTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.stdout();
    private final ByteArrayOutputStream err = console.stderr();

    private static final String TINY = """
            name: tiny
            model: wn
            data: {kind: sphere, target: gaussian}
            grid: {alpha: [1.0], m: [8, 32], n: [6], d: [10], eta: [0.5]}
            seeds: 2
            train: {steps: 300, tolerance: 1.0e-6}
            """;

    @Test
    void aSecondDriverOnALiveFolderIsRefusedBeforeItTouchesAnything() throws Exception {
        Path cfg = tmp.resolve("sweep.yaml");
        Files.writeString(cfg, TINY);
        Path outDir = tmp.resolve("out");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        try (OutputLock live = OutputLock.acquire(fs, new org.apache.hadoop.fs.Path(outDir.toUri()), false, System.err)) {
            Files.writeString(outDir.resolve("manifest.json"), "{}"); // what the live driver has written so far
            List<String> before = listing(outDir);
            for (String[] extra : List.of(new String[0], new String[] {"--resume"}, new String[] {"--overwrite"})) {
                err.reset();
                String[] args = Stream.concat(Stream.of("run", cfg.toString(), "--out", outDir.toString(), "--master", "local[1]"),
                        Stream.of(extra)).toArray(String[]::new);
                assertEquals(2, OverparamCli.execute(args), String.join(" ", args));
                List<String> lines = err.toString().lines().filter(l -> l.startsWith("overparam:")).toList();
                assertEquals(1, lines.size(), err.toString());
                String line = lines.get(0);
                assertTrue(line.contains(outDir.getFileName().toString()) && line.contains("host " + live.owner().host())
                        && line.contains("pid " + live.owner().pid()) && line.contains("since " + live.owner().since()), line);
                assertEquals(before, listing(outDir), "nothing touched");
                live.verify();
            }
        }
    }

    @Test
    void derivedTablesCountATrialOnceWhateverTheFolderHolds() throws Exception {
        Path cfg = tmp.resolve("sweep.yaml");
        Files.writeString(cfg, TINY);
        Path outDir = tmp.resolve("dup");
        assertEquals(0, OverparamCli.execute("run", cfg.toString(), "--out", outDir.toString(), "--master", "local[1]", "--no-report"));
        assertEquals(0, OverparamCli.execute("aggregate", outDir.toString(), "--master", "local[1]"));
        assertTrue(!err.toString().contains("duplicate"), err.toString());
        List<Row> clean = thresholds(outDir);
        // What a second driver writing the same folder left: every committed file once more, under a later batch tag,
        // committed as a driver commits, with a manifest (a file no manifest names is never read).
        FileSystem fs = FileSystem.getLocal(new Configuration());
        CommitLog commits = new CommitLog(fs, new org.apache.hadoop.fs.Path(outDir.toString()));
        List<String> ids = new java.util.ArrayList<>();
        for (String batch : commits.batches()) {
            ids.addAll(commits.read(batch).trialIds());
        }
        List<BatchManifest.Part> parts = new java.util.ArrayList<>();
        for (String table : List.of("trials", "curves")) {
            try (Stream<Path> files = Files.list(outDir.resolve(table))) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                    Path copy = f.resolveSibling("r99990101T000000-b00000-" + f.getFileName().toString().replaceFirst("^.*?-part-", "part-"));
                    Files.copy(f, copy);
                    parts.add(CommitLog.describe(fs, new org.apache.hadoop.fs.Path(copy.toString()), table, copy.getFileName().toString()));
                }
            }
        }
        commits.write(new BatchManifest("r99990101T000000-b00000", parts, ids));
        out.reset();
        err.reset();
        assertEquals(0, OverparamCli.execute("aggregate", outDir.toString(), "--master", "local[1]"));
        assertTrue(err.toString().contains("trials holds 8 rows for 4 distinct trial_id: 4 duplicate rows dropped"), err.toString());
        assertEquals(clean, thresholds(outDir), "thresholds as from the folder without duplicates");
    }

    private static List<Row> thresholds(Path outDir) {
        return SparkTestSupport.withLocalSession(spark -> spark.read().parquet(outDir.resolve("thresholds").toString())
                .select("model", "m", "seeds", "converged", "m_star_status").orderBy("model", "m").collectAsList());
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p) + " " + p.toFile().length()).sorted().toList();
        }
    }
}
