package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.config.ConfigException;

/**
 * One writer per output folder: of drivers locking one folder at once exactly one wins, on Hadoop's
 * checksummed local file system and on the raw one; the others are refused naming the owner; a lock
 * without heartbeat is taken over by a resumed run (and its former holder can no longer commit).
 */
class OutputLockTest {
    @TempDir
    java.nio.file.Path tmp;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static FileSystem local() throws Exception {
        return FileSystem.getLocal(new Configuration());
    }

    private static FileSystem raw() throws Exception {
        RawLocalFileSystem fs = new RawLocalFileSystem();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        return fs;
    }

    @Test
    void ofDriversLockingAtOnceExactlyOneWinsOnTheLocalFileSystem() throws Exception {
        exactlyOneOf(8, local());
    }

    @Test
    void ofDriversLockingAtOnceExactlyOneWinsOnTheRawLocalFileSystem() throws Exception {
        exactlyOneOf(8, raw());
    }

    private void exactlyOneOf(int drivers, FileSystem fs) throws Exception {
        for (int round = 0; round < 5; round++) {
            Path dir = new Path(tmp.resolve("out" + round).toUri());
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(drivers);
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < drivers; i++) {
                results.add(pool.submit((Callable<Object>) () -> {
                    start.await();
                    try {
                        return OutputLock.acquire(fs, dir, true, logStream);
                    } catch (ConfigException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<OutputLock> won = new ArrayList<>();
            List<ConfigException> refused = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.get();
                if (r instanceof OutputLock l) {
                    won.add(l);
                } else {
                    refused.add((ConfigException) r);
                }
            }
            pool.shutdown();
            assertEquals(1, won.size(), "exactly one driver holds the folder");
            OutputLock.Owner owner = won.get(0).owner();
            for (ConfigException e : refused) {
                assertEquals("--out", e.key());
                assertTrue(e.getMessage().contains("host " + owner.host()) && e.getMessage().contains("pid " + owner.pid())
                        && e.getMessage().contains("since " + owner.since()), e.getMessage());
            }
            won.get(0).verify();
            won.get(0).close();
            assertFalse(fs.exists(new Path(dir, OutputLock.FILE)), "released");
        }
    }

    @Test
    void aReaderNeverSeesTheLocalLockHalfWritten() throws Exception {
        FileSystem fs = raw();
        for (int round = 0; round < 20; round++) {
            java.nio.file.Path dir = Files.createDirectories(tmp.resolve("watched" + round));
            java.nio.file.Path file = dir.resolve(OutputLock.FILE);
            List<String> unreadable = new ArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watcher = new Thread(() -> {
                ObjectMapper json = new ObjectMapper();
                while (!done.get()) {
                    try {
                        byte[] bytes = Files.readAllBytes(file);
                        json.readValue(bytes, OutputLock.Owner.class);
                    } catch (java.nio.file.NoSuchFileException absent) {
                        // not created yet
                    } catch (Exception e) {
                        unreadable.add(e.toString());
                    }
                }
            });
            watcher.start();
            try (OutputLock lock = OutputLock.acquire(fs, new Path(dir.toUri()), false, logStream)) {
                lock.verify();
            } finally {
                done.set(true);
                watcher.join();
            }
            assertEquals(List.of(), unreadable, "a lock file read while it was being created");
            try (var left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "no temporary file left beside the lock");
            }
        }
    }

    @Test
    void aLockStillBeingWrittenIsReadOnceItsContentArrives() throws Exception {
        FileSystem fs = local();
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve("slow-writer"));
        java.nio.file.Path file = dir.resolve(OutputLock.FILE);
        // What another driver on HDFS has done halfway: the lock created, its content not yet written.
        Files.createFile(file);
        String now = Instant.now().toString();
        OutputLock.Owner other = new OutputLock.Owner("otherhost", 777, now, now, "other-token");
        java.util.concurrent.FutureTask<Object> acquiring = new java.util.concurrent.FutureTask<>(() -> {
            try {
                return OutputLock.acquire(fs, new Path(dir.toUri()), true, logStream);
            } catch (ConfigException e) {
                return e;
            }
        });
        Thread acquirer = new Thread(acquiring, "acquirer");
        acquirer.start();
        // The content arrives once the acquirer has found the lock empty and waits to read it again.
        while (acquirer.isAlive() && acquirer.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        Files.writeString(file, new ObjectMapper().writeValueAsString(other));
        Object result = acquiring.get();
        ConfigException refused = assertInstanceOf(ConfigException.class, result);
        assertTrue(refused.getMessage().contains("host otherhost") && refused.getMessage().contains("pid 777"),
                refused.getMessage());
    }

    @Test
    void aStaleLockIsRefusedWithoutResumeAndTakenOverWithIt() throws Exception {
        FileSystem fs = local();
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve("sweep"));
        java.nio.file.Path file = dir.resolve(OutputLock.FILE);
        Instant old = Instant.now().minus(Duration.ofMinutes(10));
        // What a driver killed with kill -9 ten minutes ago leaves behind.
        Files.writeString(file, new ObjectMapper().writeValueAsString(
                new OutputLock.Owner("deadhost", 4242, old.minusSeconds(60).toString(), old.toString(), "dead-token")));
        Files.setLastModifiedTime(file, FileTime.from(old));
        Path hdir = new Path(dir.toUri());

        ConfigException refused = assertThrows(ConfigException.class, () -> OutputLock.acquire(fs, hdir, false, logStream));
        assertTrue(refused.getMessage().contains("deadhost") && refused.getMessage().contains("pid 4242")
                && refused.getMessage().contains("--resume"), refused.getMessage());

        try (OutputLock taken = OutputLock.acquire(fs, hdir, true, logStream)) {
            assertEquals(ProcessHandle.current().pid(), taken.owner().pid());
            taken.verify();
            String said = log.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("taking over the stale lock") && said.contains("deadhost")
                    && said.contains("no heartbeat for 10 min"), said);
        }
        assertFalse(Files.exists(file), "released");
        assertTrue(Files.exists(dir), "a folder the lock did not create stays");
    }

    @Test
    void aLockOfAProcessGoneFromThisHostIsTakenOverAtOnceByResume() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        long deadPid = p.pid();
        FileSystem fs = local();
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve("killed"));
        String now = Instant.now().toString();
        // What a driver killed with kill -9 on this host a moment ago leaves: a fresh heartbeat, no process.
        Files.writeString(dir.resolve(OutputLock.FILE), new ObjectMapper().writeValueAsString(
                new OutputLock.Owner(java.net.InetAddress.getLocalHost().getHostName(), deadPid, now, now, "killed-token")));
        Path hdir = new Path(dir.toUri());
        ConfigException refused = assertThrows(ConfigException.class, () -> OutputLock.acquire(fs, hdir, false, logStream));
        assertTrue(refused.getMessage().contains("no longer running") && refused.getMessage().contains("pid " + deadPid)
                && refused.getMessage().contains("--resume"), refused.getMessage());
        try (OutputLock taken = OutputLock.acquire(fs, hdir, true, logStream)) {
            taken.verify();
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("that process is no longer running"), log.toString());
        }
    }

    @Test
    void aLiveLockIsNotTakenOverAndATakenOverHolderCannotCommit() throws Exception {
        FileSystem fs = local();
        Path dir = new Path(tmp.resolve("live").toUri());
        try (OutputLock first = OutputLock.acquire(fs, dir, false, logStream)) {
            ConfigException e = assertThrows(ConfigException.class, () -> OutputLock.acquire(fs, dir, true, logStream));
            assertTrue(e.getMessage().contains("is being written by another driver")
                    && e.getMessage().contains("pid " + first.owner().pid()), e.getMessage());
            // A stale age of zero makes any lock stale: the second takes over, and the first must not commit.
            try (OutputLock second = OutputLock.acquire(fs, dir, true, Duration.ZERO, OutputLock.HEARTBEAT, logStream)) {
                assertNotEquals(first.owner().token(), second.owner().token());
                IllegalStateException lost = assertThrows(IllegalStateException.class, first::verify);
                assertTrue(lost.getMessage().contains("no longer names this driver"), lost.getMessage());
                second.verify();
            }
        }
    }

    @Test
    void theHolderKeepsItsHeartbeatFresh() throws Exception {
        FileSystem fs = local();
        java.nio.file.Path dir = tmp.resolve("beating");
        try (OutputLock lock = OutputLock.acquire(fs, new Path(dir.toUri()), false, Duration.ofMinutes(1),
                Duration.ofMillis(20), logStream)) {
            String first = lock.owner().heartbeat();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String now = first;
            while (now.equals(first) && System.nanoTime() < deadline) {
                now = new ObjectMapper().readValue(Files.readAllBytes(dir.resolve(OutputLock.FILE)), OutputLock.Owner.class).heartbeat();
                Thread.onSpinWait();
            }
            assertTrue(Instant.parse(now).isAfter(Instant.parse(first)), "heartbeat rewritten: " + first + " -> " + now);
            lock.verify();
        }
        assertFalse(Files.exists(dir), "the folder the lock created, empty, is removed on release");
    }
}
