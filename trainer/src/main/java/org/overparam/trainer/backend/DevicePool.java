package org.overparam.trainer.backend;

import java.util.Optional;

/**
 * Hands out GPUs to tasks where nobody else does (Spark's {@code local} mode, which schedules no GPU
 * resources): {@code devices} ordinals, each to at most {@code perDevice} holders at once. A task
 * takes the least-used device (the lowest ordinal among equals) and waits while every device is full,
 * so never more than {@code perDevice} tasks run on one GPU.
 *
 * <p>One pool serves a JVM ({@link #shared}); tests build their own with fake ordinals.
 */
public final class DevicePool {
    private static DevicePool shared;

    private final int perDevice;
    private final int[] holders;
    private int waiting;

    public DevicePool(int devices, int perDevice) {
        if (devices < 1) {
            throw new IllegalArgumentException("a device pool needs at least one device, got " + devices);
        }
        if (perDevice < 1) {
            throw new IllegalArgumentException("tasks per device must be >= 1, got " + perDevice);
        }
        this.perDevice = perDevice;
        this.holders = new int[devices];
    }

    /**
     * The JVM's pool of {@code devices} GPUs, {@code perDevice} tasks each. A JVM has one: asking again
     * with other numbers replaces an idle pool and is refused while the old one has holders.
     */
    public static synchronized DevicePool shared(int devices, int perDevice) {
        if (shared != null && (shared.devices() != devices || shared.perDevice != perDevice)) {
            if (!shared.idle()) {
                throw new IllegalStateException("this JVM's GPU pool (" + shared.devices() + " devices, " + shared.perDevice
                        + " tasks each) is in use; cannot switch to " + devices + " devices, " + perDevice + " tasks each");
            }
            shared = null;
        }
        if (shared == null) {
            shared = new DevicePool(devices, perDevice);
        }
        return shared;
    }

    /** A device held by one task until {@link #close()}. */
    public final class Lease implements AutoCloseable {
        private final int ordinal;
        private boolean released;

        private Lease(int ordinal) {
            this.ordinal = ordinal;
        }

        /** The CUDA device ordinal. */
        public int ordinal() {
            return ordinal;
        }

        @Override
        public void close() {
            synchronized (DevicePool.this) {
                if (released) {
                    return;
                }
                released = true;
                holders[ordinal]--;
                DevicePool.this.notifyAll();
            }
        }
    }

    /** Takes a device, waiting while all are full. */
    public synchronized Lease acquire() throws InterruptedException {
        waiting++;
        notifyAll(); // wakes awaitWaiting()
        try {
            int ordinal;
            while ((ordinal = leastUsed()) < 0) {
                wait();
            }
            holders[ordinal]++;
            return new Lease(ordinal);
        } finally {
            waiting--;
            notifyAll();
        }
    }

    /** Takes a device if one has room now. */
    public synchronized Optional<Lease> tryAcquire() {
        int ordinal = leastUsed();
        if (ordinal < 0) {
            return Optional.empty();
        }
        holders[ordinal]++;
        return Optional.of(new Lease(ordinal));
    }

    /** Blocks until at least {@code count} threads wait in {@link #acquire()} (for tests). */
    public synchronized void awaitWaiting(int count) throws InterruptedException {
        while (waiting < count) {
            wait();
        }
    }

    /** How many tasks hold {@code ordinal} now. */
    public synchronized int holders(int ordinal) {
        return holders[ordinal];
    }

    public int devices() {
        return holders.length;
    }

    public int perDevice() {
        return perDevice;
    }

    private synchronized boolean idle() {
        for (int h : holders) {
            if (h > 0) {
                return false;
            }
        }
        return true;
    }

    private int leastUsed() {
        int best = -1;
        for (int i = 0; i < holders.length; i++) {
            if (holders[i] < perDevice && (best < 0 || holders[i] < holders[best])) {
                best = i;
            }
        }
        return best;
    }
}
