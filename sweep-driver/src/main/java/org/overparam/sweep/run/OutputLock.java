package org.overparam.sweep.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.overparam.sweep.config.ConfigException;

/**
 * One writer per output folder: {@code DIR/_writer.lock} names the driver writing it (host, pid, since
 * when, last heartbeat). Taken by an atomic create-if-absent ({@code O_EXCL} on a local disk, the
 * NameNode's create without overwrite on HDFS; on S3A the create is a check then a write, so a second
 * driver is caught by the ownership check before every commit instead). While held, a daemon thread
 * rewrites the heartbeat every {@link #HEARTBEAT}; a lock whose heartbeat is older than the stale age
 * was left by a driver that died without cleaning up ({@code kill -9}, a lost node) and may be taken
 * over by a resumed run, which says its age in the log. A lock whose holder ran on this host in a process
 * that no longer exists is dead at once. Readers ({@code aggregate}, {@code report})
 * ignore the lock.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name in the output folder (readers skip names starting with {@code _}). */
    public static final String FILE = "_writer.lock";
    /** How often the holder rewrites its heartbeat. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** A heartbeat older than this marks a dead holder. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(90);
    /** How long a lock file found empty or half-written is re-read before it is judged as it is. */
    static final Duration SETTLE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the lock file says about its holder. */
    public record Owner(String host, long pid, String since, String heartbeat, String token) {
        String describe() {
            return "host " + host + ", pid " + pid + ", since " + since;
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;
    private final ScheduledExecutorService heartbeat;
    private final boolean createdDir;
    private volatile String lost;

    private OutputLock(FileSystem fs, Path file, Owner owner, Duration interval, boolean createdDir) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.createdDir = createdDir;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overparam-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of {@code dir} (creating the folder if needed).
     *
     * @param takeOverStale whether a stale lock (heartbeat older than {@code staleAfter}) may be taken over
     * @throws ConfigException when a live driver holds it, or a stale one and {@code takeOverStale} is false
     */
    public static OutputLock acquire(FileSystem fs, Path dir, boolean takeOverStale, Duration staleAfter,
                                     Duration heartbeatInterval, PrintStream log) throws ConfigException {
        Path file = new Path(dir, FILE);
        String token = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        Owner me = new Owner(hostName(), ProcessHandle.current().pid(), now, now, token);
        try {
            boolean created = !fs.exists(dir);
            fs.mkdirs(dir);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (createNew(fs, file, me)) {
                    return new OutputLock(fs, file, me, heartbeatInterval, created);
                }
                Held held = readSettled(fs, file);
                if (held == null) {
                    continue; // released meanwhile: try again
                }
                Duration age = held.age();
                boolean gone = held.ownerGoneFromThisHost();
                String where = dir + " is being written by another driver (" + held.describe() + ", last heartbeat "
                        + seconds(age) + " ago)";
                if (gone) {
                    where = dir + " is locked by a driver that is no longer running (" + held.describe() + ", last heartbeat "
                            + seconds(age) + " ago, no such process on this host)";
                    if (!takeOverStale) {
                        throw locked(where + "; pass --resume to take over its lock and continue the sweep");
                    }
                } else if (age.compareTo(staleAfter) < 0) {
                    throw locked(where + "; wait for it to finish, or stop it first (only one driver may write a folder)");
                }
                if (!takeOverStale) {
                    throw locked(where + ": it looks dead (no heartbeat for " + seconds(staleAfter)
                            + "); pass --resume to take over its lock and continue the sweep");
                }
                if (takeOver(fs, file, held, token)) {
                    log.printf(Locale.ROOT, "taking over the stale lock of %s: %s, no heartbeat for %s%s%n", dir,
                            held.describe(), seconds(age), gone ? " (that process is no longer running)" : "");
                }
            }
            Held held = readSettled(fs, file);
            throw locked(dir + " is being written by another driver ("
                    + (held == null ? "owner unknown" : held.describe()) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock output folder " + dir, e);
        }
    }

    /** As the other {@code acquire}, with the default stale age and heartbeat. */
    public static OutputLock acquire(FileSystem fs, Path dir, boolean takeOverStale, PrintStream log) throws ConfigException {
        return acquire(fs, dir, takeOverStale, DEFAULT_STALE_AFTER, HEARTBEAT, log);
    }

    /** The holder this lock names. */
    public Owner owner() {
        return owner;
    }

    /**
     * Checks, just before a commit, that the lock file still names this driver.
     *
     * @throws IllegalStateException when another driver took the lock over (this one must stop writing)
     */
    public void verify() {
        if (lost != null) {
            throw new IllegalStateException(lost);
        }
        try {
            Held held = read(fs, file);
            if (held == null || held.owner == null || !owner.token().equals(held.owner.token())) {
                lost = "the lock " + file + " no longer names this driver ("
                        + (held == null ? "it was removed" : "now " + held.describe()) + "); stopped before writing";
                throw new IllegalStateException(lost);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + file, e);
        }
    }

    /**
     * Stops the heartbeat and removes the lock if it still names this driver (and the folder, if taking
     * the lock created it and nothing else was written: a refused run leaves nothing behind).
     */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            Held held = read(fs, file);
            if (held != null && held.owner != null && owner.token().equals(held.owner.token())) {
                fs.delete(file, false);
                Path dir = file.getParent();
                if (createdDir && fs.exists(dir) && fs.listStatus(dir).length == 0) {
                    fs.delete(dir, false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the lock " + file, e);
        }
    }

    private void beat() {
        try {
            Held held = read(fs, file);
            if (held == null || held.owner == null || !owner.token().equals(held.owner.token())) {
                lost = "the lock " + file + " was taken over (" + (held == null ? "removed" : held.describe()) + ")";
                heartbeat.shutdown();
                return;
            }
            Owner fresh = new Owner(owner.host(), owner.pid(), owner.since(), Instant.now().toString(), owner.token());
            overwrite(fs, file, fresh);
        } catch (IOException | RuntimeException e) {
            // A missed beat only ages the lock; the next one retries.
        }
    }

    /** The lock file's content and how old its last sign of life is. */
    private record Held(Owner owner, Instant lastSign) {
        Duration age() {
            Duration d = Duration.between(lastSign, Instant.now());
            return d.isNegative() ? Duration.ZERO : d;
        }

        String describe() {
            return owner == null ? "owner unknown: lock file being written" : owner.describe();
        }

        /**
         * Whether the holder ran on this host and its process is gone (a driver killed with {@code kill -9}
         * here): its lock is dead at once, without waiting for the heartbeat to age.
         */
        boolean ownerGoneFromThisHost() {
            return owner != null && owner.host().equals(hostName())
                    && ProcessHandle.of(owner.pid()).map(p -> !p.isAlive()).orElse(true);
        }
    }

    /** What {@link #inspect} finds: whether a live driver holds the lock, and who (host, pid, since, heartbeat age). */
    public record Inspection(boolean live, String detail) {
    }

    /**
     * The lock of {@code dir} as a reader sees it, without taking it: null when there is none; otherwise live
     * unless its heartbeat is older than the default stale age or its holder's process is gone from this host.
     */
    public static Inspection inspect(FileSystem fs, Path dir) throws IOException {
        Held held = read(fs, new Path(dir, FILE));
        if (held == null) {
            return null;
        }
        Duration age = held.age();
        boolean gone = held.ownerGoneFromThisHost();
        boolean live = !gone && age.compareTo(DEFAULT_STALE_AFTER) < 0;
        return new Inspection(live, held.describe() + ", last heartbeat " + seconds(age) + " ago"
                + (gone ? ", no such process on this host" : live ? "" : " (stale)"));
    }

    /**
     * The lock as {@link #read} gives it, but a lock still being written (created, content not yet there: on
     * HDFS and S3A the create and the write are two steps) is read again until its content appears, for at
     * most {@link #SETTLE}, so that a refusal names the winner rather than "owner unknown".
     */
    private static Held readSettled(FileSystem fs, Path file) throws IOException {
        long until = System.nanoTime() + SETTLE.toNanos();
        Held held = read(fs, file);
        while (held != null && held.owner == null && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            held = read(fs, file);
        }
        return held;
    }

    /** The lock as it is now, null when there is none. */
    private static Held read(FileSystem fs, Path file) throws IOException {
        FileStatus status;
        byte[] bytes;
        try {
            status = fs.getFileStatus(file);
            try (InputStream in = fs.open(file)) {
                bytes = in.readAllBytes();
            }
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
        Instant modified = Instant.ofEpochMilli(status.getModificationTime());
        try {
            Owner o = JSON.readValue(bytes, Owner.class);
            Instant beat = Instant.parse(o.heartbeat());
            return new Held(o, beat.isAfter(modified) ? beat : modified);
        } catch (IOException | RuntimeException e) {
            return new Held(null, modified); // being written: judged by its modification time
        }
    }

    private static boolean createNew(FileSystem fs, Path file, Owner owner) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(owner);
        if ("file".equals(fs.getUri().getScheme())) {
            // Written whole under a name of our own, then hard-linked to the lock's name: the link is
            // atomic and fails when the name exists, so no reader ever sees the lock empty or half-written.
            java.nio.file.Path f = java.nio.file.Path.of(fs.makeQualified(file).toUri());
            java.nio.file.Path tmp = f.resolveSibling(FILE + "." + owner.token() + ".new");
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.createLink(f, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                // A file system without hard links: the plain exclusive create (readers wait out the write).
                try {
                    Files.write(f, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return true;
                } catch (FileAlreadyExistsException taken) {
                    return false;
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void overwrite(FileSystem fs, Path file, Owner owner) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(owner);
        if ("file".equals(fs.getUri().getScheme())) {
            java.nio.file.Path f = java.nio.file.Path.of(fs.makeQualified(file).toUri());
            java.nio.file.Path tmp = f.resolveSibling(FILE + "." + owner.token() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    /**
     * Moves a stale lock aside under a name of our own, so that of two drivers taking it over at once
     * only one succeeds (the rename of the same source succeeds once); if what was moved is not the
     * stale lock that was judged (a fresh one replaced it meanwhile), it is put back.
     */
    private static boolean takeOver(FileSystem fs, Path file, Held stale, String token) throws IOException {
        Path aside = new Path(file.getParent(), FILE + ".stale-" + token);
        if (!fs.rename(file, aside)) {
            return false;
        }
        Held moved = read(fs, aside);
        boolean same = moved != null && (stale.owner == null ? moved.owner == null
                : moved.owner != null && stale.owner.token().equals(moved.owner.token()));
        if (!same) {
            fs.rename(aside, file);
            return false;
        }
        fs.delete(aside, false);
        return true;
    }

    private static ConfigException locked(String message) {
        return new ConfigException("--out", message);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static String seconds(Duration d) {
        long s = d.getSeconds();
        return s >= 120 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
