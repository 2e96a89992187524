package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The stall watchdog on a real local Spark: the trials with {@code n = 7} are made artificially slow by a
 * test-only data source that holds them until the test lets go; the driver's warning names exactly those
 * trials (ids and parameters) and how long their task has run, and repeats at a doubled interval. Never the
 * fast trials.
 */
class StallWatchdogTest {
    /** Test-only gates, by token: in local mode the executors run in this JVM. */
    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
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

    /** The sweep's data, except that loading {@code n = slowN} examples waits for the test's gate. */
    private record HeldFor(DataSource inner, int slowN, String gate) implements DataSource {
        @Override
        public Dataset load(int n, int d) {
            if (n == slowN) {
                try {
                    if (!GATES.get(gate).await(5, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return inner.load(n, d);
        }

        @Override
        public String identity() {
            return inner.identity();
        }
    }

    @Test
    void aTaskFarPastItsEstimateIsNamedAndRepeatedAtGrowingIntervals() throws Exception {
        SweepPlan sweep = SparkTestSupport.plan("""
                name: stalls
                model: relu
                data: {kind: sphere, target: sign}
                grid: {m: [8, 16], n: [6, 7], d: [5], eta: [0.5]}
                seeds: 1
                train: {steps: 50, tolerance: 1.0e-6}
                """);
        String gate = UUID.randomUUID().toString();
        GATES.put(gate, new CountDownLatch(1));
        SweepPlan held = new SweepPlan(sweep.config(), new HeldFor(sweep.data(), 7, gate), sweep.trials(), sweep.fingerprint());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        SweepRunner runner = new SweepRunner(spark, logStream)
                .withWatchdog(new StallWatchdog.Settings(20, Duration.ofSeconds(5), Duration.ofMillis(100)));
        ExecutorService driver = Executors.newSingleThreadExecutor();
        Future<SweepRunner.Outcome> done = driver.submit(() -> runner.run(held,
                new SweepRunner.Options(tmp.resolve("out").toString(), false, 512, 3)));
        List<TrialSpec> slow = sweep.trials().stream().filter(t -> t.n() == 7).toList();
        List<TrialSpec> fast = sweep.trials().stream().filter(t -> t.n() == 6).toList();
        Pattern warning = Pattern.compile("warning: .*partition (\\d+)/\\d+ has run (\\d+):(\\d+), .* still training (.*)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        Map<String, Integer> firstSeconds = new ConcurrentHashMap<>();
        boolean repeated = false;
        try {
            while (!repeated && System.nanoTime() < deadline) {
                assertFalse(done.isDone(), "the sweep ended while held: " + log);
                for (String line : log.toString(StandardCharsets.UTF_8).lines().toList()) {
                    Matcher m = warning.matcher(line);
                    if (!m.find()) {
                        continue;
                    }
                    int seconds = Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
                    Integer first = firstSeconds.putIfAbsent(m.group(1), seconds);
                    repeated |= first != null && seconds >= 2 * first && first >= 5;
                }
                done.isDone();
                Thread.onSpinWait();
                driver.awaitTermination(50, TimeUnit.MILLISECONDS);
            }
        } finally {
            GATES.get(gate).countDown();
        }
        assertTrue(repeated, "a warning repeated at a doubled time: " + log);
        done.get(5, TimeUnit.MINUTES);
        driver.shutdown();
        String said = log.toString(StandardCharsets.UTF_8);
        List<String> warnings = said.lines().filter(l -> l.contains("warning:")).toList();
        for (String w : warnings) {
            assertTrue(slow.stream().anyMatch(t -> w.contains(StallWatchdog.describe(t))), "names a held trial with its parameters: " + w);
            assertTrue(fast.stream().noneMatch(t -> w.contains(t.id())), "never a fast trial: " + w);
        }
        for (TrialSpec t : slow) {
            assertTrue(said.contains(t.id() + " (relu m=" + t.m() + " n=7 d=5 η=0.5 seed=" + t.seed() + " steps=50)"), said);
        }
        assertEquals(4, SparkTestSupport.trials(spark, tmp.resolve("out")).count());
    }
}
