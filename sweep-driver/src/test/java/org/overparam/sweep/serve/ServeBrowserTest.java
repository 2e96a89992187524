package org.overparam.sweep.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.report.ReportBrowserTest;
import org.overparam.sweep.run.OutputLock;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.status.LockProbe;

/**
 * The live page in a real browser while a real sweep runs: a sweep of 48 trials commits in batches of 4 in a
 * background thread (holding the folder's writer lock, as {@code overparam run} does); the server serves its
 * folder; headless Chromium loads the page twice, and the second load must show more trials committed than
 * the first, the sweep "running", and the page's own poll of {@code /api/status} answered. Skipped, saying why,
 * only when no Chromium is found and OVERPARAM_REQUIRE_CHROMIUM is not set (CI sets it).
 */
class ServeBrowserTest {
    private static final String SWEEP = """
            name: live
            model: wn
            data: {kind: sphere, target: gaussian}
            grid:
              alpha: [1.0]
              m: [4, 8, 16, 32]
              n: [20, 40, 80]
              d: [6]
              eta: [0.5]
            seeds: 4
            train: {steps: 4000, tolerance: 1.0e-4}
            """;
    private static final Pattern COMMITTED = Pattern.compile("<span id=\"committed\" class=\"count\">([0-9,]+)</span>");
    private static final Pattern POLLS = Pattern.compile("<body data-polls=\"(\\d+)\"");
    private static final Pattern STATE = Pattern.compile("<span id=\"state\" class=\"badge (\\w+)\">");

    @TempDir
    Path tmp;

    /** What one load of the page showed. */
    record Load(int committed, int polls, String state, String dom) {
    }

    @Test
    void theCommittedCountGrowsBetweenTwoLoads() throws Exception {
        String chromium = ReportBrowserTest.findChromium();
        if (chromium == null && System.getenv("OVERPARAM_REQUIRE_CHROMIUM") != null) {
            throw new IllegalStateException("OVERPARAM_REQUIRE_CHROMIUM is set but no chromium was found (CHROMIUM, PATH)");
        }
        Assumptions.assumeTrue(chromium != null, "no chromium found: scripts/ensure-chromium.sh installs Debian's chromium");
        SparkSession spark = SparkTestSupport.session("local[2]");
        Path out = tmp.resolve("out");
        FileSystem fs = new org.apache.hadoop.fs.Path(out.toString()).getFileSystem(spark.sparkContext().hadoopConfiguration());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        OutputLock lock = OutputLock.acquire(fs, new org.apache.hadoop.fs.Path(out.toString()), false, log);
        CompletableFuture<String> sweep = CompletableFuture.supplyAsync(() -> {
            try {
                return SparkTestSupport.run(spark, SparkTestSupport.plan(SWEEP), out, false, 4);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        LiveStatus live = null;
        SweepServer server = null;
        try {
            awaitFirstCommit(out.resolve("trials"), sweep);
            live = new LiveStatus(spark.newSession(), out.toString(), new LockProbe(), 300);
            live.start();
            server = SweepServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), live,
                    new ReportFiles(fs, new org.apache.hadoop.fs.Path(out.toString())));
            Load first = load(chromium, server);
            assertTrue(first.committed() > 0 && first.committed() < 48, "a running sweep, part committed: " + first);
            assertEquals("running", first.state(), "the writer holds the lock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (committed(live) <= first.committed() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Load second = load(chromium, server);
            assertTrue(second.committed() > first.committed(), "the count grew: " + first.committed() + " then " + second.committed());
            assertTrue(second.polls() >= 1, "the page's own poll of /api/status was answered: " + second.polls());
            assertTrue(second.dom().contains("<td>wn α=1.0 d=6 η=0.5</td>"), "the threshold table lists the group");
        } finally {
            if (server != null) {
                server.close();
            }
            if (live != null) {
                live.close();
            }
            try {
                sweep.get(600, TimeUnit.SECONDS);
            } finally {
                lock.close();
                spark.stop();
            }
        }
    }

    private static int committed(LiveStatus live) throws Exception {
        return new ObjectMapper().readTree(live.json()).get("committed").asInt();
    }

    private static void awaitFirstCommit(Path trials, CompletableFuture<String> sweep) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && !sweep.isDone()) {
            if (Files.isDirectory(trials)) {
                try (Stream<Path> files = Files.list(trials)) {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        sweep.get();
        throw new AssertionError("no batch committed in time");
    }

    /** Loads the page in a fresh headless Chromium (its scripts run, its first poll answered) and reads the DOM. */
    private Load load(String chromium, SweepServer server) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium");
        Path err = profile.resolveSibling(profile.getFileName() + ".err");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=4000", "--dump-dom", server.url().toString())
                .redirectError(err.toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        String html = new String(dom, StandardCharsets.UTF_8);
        Matcher c = COMMITTED.matcher(html);
        Matcher polls = POLLS.matcher(html);
        Matcher state = STATE.matcher(html);
        assertTrue(c.find() && polls.find() && state.find(), "the page rendered (chromium exit " + p.exitValue() + ", stderr in " + err + "): "
                + html.substring(0, Math.min(html.length(), 2000)));
        return new Load(Integer.parseInt(c.group(1).replace(",", "")), Integer.parseInt(polls.group(1)), state.group(1), html);
    }
}
