package org.overparam.sweep.tables;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.util.Progressable;

/**
 * A real Hadoop FileSystem for tests, scheme {@code limited}: the local disk ({@code limited:///tmp/x} is
 * {@code /tmp/x}) with a capacity of bytes written through it. Past the capacity it fails as a full disk does (a
 * write throws {@code IOException: No space left on device}), as a store refusing permission does (every change
 * throws HDFS's {@link AccessControlException}), or as a lost store does (every call throws
 * {@link java.net.ConnectException}). Register it with {@code spark.hadoop.fs.limited.impl}; Spark's executors in
 * local mode write through it too. The capacity is one per JVM (tests set it with {@link #limit}).
 */
public final class LimitedFileSystem extends RawLocalFileSystem {
    /** How the file system fails past its capacity. */
    public enum Failure { DISK_FULL, PERMISSION_DENIED, STORE_LOST }

    /** The Spark conf key that registers this file system. */
    public static final String SPARK_KEY = "spark.hadoop.fs.limited.impl";
    private static final URI NAME = URI.create("limited:///");
    private static final AtomicLong WRITTEN = new AtomicLong();
    private static volatile long capacity = Long.MAX_VALUE;
    private static volatile Failure failure = Failure.DISK_FULL;

    /** From now on: {@code bytes} more may be written, then it fails as {@code how}. */
    public static void limit(long bytes, Failure how) {
        WRITTEN.set(0);
        capacity = bytes;
        failure = how;
    }

    /** No limit (the counter restarts). */
    public static void unlimited() {
        limit(Long.MAX_VALUE, Failure.DISK_FULL);
    }

    /** Bytes written since the last {@link #limit}. */
    public static long written() {
        return WRITTEN.get();
    }

    /** {@code limited://} + the absolute local path. */
    public static String uri(java.nio.file.Path local) {
        return "limited://" + local.toAbsolutePath();
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "limited";
    }

    private static boolean full() {
        return WRITTEN.get() >= capacity;
    }

    /** Before any call: a lost store answers nothing. */
    private static void reach(Path p) throws IOException {
        if (failure == Failure.STORE_LOST && full()) {
            throw new java.net.ConnectException("Call to namenode:8020 failed on connection exception (" + p + "): Connection refused");
        }
    }

    /** Before a change: a store refusing permission refuses it. */
    private static void change(Path p) throws IOException {
        reach(p);
        if (failure == Failure.PERMISSION_DENIED && full()) {
            throw new AccessControlException("Permission denied: user=overparam, access=WRITE, inode=\"" + p + "\"");
        }
    }

    private static FSDataOutputStream counted(FSDataOutputStream out, Path p) {
        return new FSDataOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                account(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                account(len);
                out.write(b, off, len);
            }

            private void account(int n) throws IOException {
                if (WRITTEN.addAndGet(n) > capacity) {
                    change(p);
                    throw new IOException("No space left on device");
                }
            }
        }, null);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        change(f);
        return counted(super.create(f, overwrite, bufferSize, replication, blockSize, progress), f);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        change(f);
        return counted(super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress), f);
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, EnumSet<CreateFlag> flags, int bufferSize,
                                                 short replication, long blockSize, Progressable progress) throws IOException {
        change(f);
        return counted(super.createNonRecursive(f, permission, flags, bufferSize, replication, blockSize, progress), f);
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        change(f);
        return counted(super.append(f, bufferSize, progress), f);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        change(dst);
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path p, boolean recursive) throws IOException {
        change(p);
        return super.delete(p, recursive);
    }

    @Override
    public boolean mkdirs(Path p, FsPermission permission) throws IOException {
        change(p);
        return super.mkdirs(p, permission);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        reach(f);
        return super.open(f, bufferSize);
    }

    @Override
    public FileStatus[] listStatus(Path p) throws IOException {
        reach(p);
        return super.listStatus(p);
    }

    @Override
    public FileStatus getFileStatus(Path p) throws IOException {
        reach(p);
        return super.getFileStatus(p);
    }
}
