package org.overparam.trainer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The GPU pool with fake device ordinals and real threads: never more than K holders of a device,
 * waiting while all are full, the least-used device first. Threads meet at latches and barriers;
 * nothing sleeps.
 */
class DevicePoolTest {

    @Test
    void handsOutTheLeastUsedDeviceUpToKEach() {
        DevicePool pool = new DevicePool(3, 2);
        List<Integer> order = new ArrayList<>();
        List<DevicePool.Lease> leases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            DevicePool.Lease l = pool.tryAcquire().orElseThrow();
            leases.add(l);
            order.add(l.ordinal());
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2), order, "spread over the devices before doubling up");
        assertEquals(Optional.empty(), pool.tryAcquire(), "3 devices × 2 tasks: the seventh waits");
        leases.get(4).close();
        leases.get(4).close(); // releasing twice is harmless
        assertEquals(1, pool.holders(1));
        assertEquals(1, pool.tryAcquire().orElseThrow().ordinal(), "the freed slot goes out next");
    }

    @Test
    void aTaskWaitsWhileEveryDeviceIsFullAndGetsTheFreedOne() throws Exception {
        DevicePool pool = new DevicePool(2, 1);
        DevicePool.Lease a = pool.acquire();
        DevicePool.Lease b = pool.acquire();
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> third = threads.submit(() -> {
                try (DevicePool.Lease l = pool.acquire()) {
                    return l.ordinal();
                }
            });
            pool.awaitWaiting(1); // the third task is blocked inside acquire()
            assertFalse(third.isDone());
            b.close();
            assertEquals(b.ordinal(), third.get(30, TimeUnit.SECONDS));
            a.close();
            assertEquals(0, pool.holders(0));
            assertEquals(0, pool.holders(1));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void neverMoreThanKTasksOnADeviceUnderContention() throws Exception {
        int devices = 3;
        int perDevice = 2;
        int tasks = 12;
        int rounds = 200;
        DevicePool pool = new DevicePool(devices, perDevice);
        AtomicIntegerArray running = new AtomicIntegerArray(devices);
        AtomicIntegerArray peak = new AtomicIntegerArray(devices);
        AtomicInteger violations = new AtomicInteger();
        // Phase 1: all tasks start together and contend. Phase 2: K·devices tasks hold every slot at
        // once, meeting at a barrier while holding, so the peak of K per device is reached, not merely allowed.
        CyclicBarrier start = new CyclicBarrier(tasks);
        CyclicBarrier allSlotsHeld = new CyclicBarrier(devices * perDevice);
        CountDownLatch released = new CountDownLatch(devices * perDevice);
        ExecutorService threads = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        try (DevicePool.Lease lease = pool.acquire()) {
                            int now = running.incrementAndGet(lease.ordinal());
                            peak.accumulateAndGet(lease.ordinal(), now, Math::max);
                            if (now > perDevice) {
                                violations.incrementAndGet();
                            }
                            running.decrementAndGet(lease.ordinal());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            // Phase 2.
            List<Future<Integer>> holders = new ArrayList<>();
            for (int t = 0; t < devices * perDevice; t++) {
                holders.add(threads.submit(() -> {
                    try (DevicePool.Lease lease = pool.acquire()) {
                        running.incrementAndGet(lease.ordinal());
                        allSlotsHeld.await(30, TimeUnit.SECONDS);
                        int mine = running.get(lease.ordinal());
                        released.countDown();
                        released.await(30, TimeUnit.SECONDS);
                        running.decrementAndGet(lease.ordinal());
                        return mine;
                    }
                }));
            }
            for (Future<Integer> h : holders) {
                assertEquals(perDevice, h.get(60, TimeUnit.SECONDS), "every device held by exactly K tasks at once");
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, violations.get(), "a device had more than K holders");
        for (int d = 0; d < devices; d++) {
            assertTrue(peak.get(d) <= perDevice, "peak on device " + d + ": " + peak.get(d));
            assertEquals(0, pool.holders(d));
        }
    }

    @Test
    void theSharedPoolIsOnePerJvm() {
        DevicePool a = DevicePool.shared(2, 3);
        assertTrue(a == DevicePool.shared(2, 3));
        DevicePool.Lease held = a.tryAcquire().orElseThrow();
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> DevicePool.shared(2, 1));
        assertTrue(busy.getMessage().contains("is in use"), busy.getMessage());
        held.close();
        DevicePool b = DevicePool.shared(2, 1);
        assertEquals(1, b.perDevice(), "an idle pool is replaced");
        assertThrows(IllegalArgumentException.class, () -> new DevicePool(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DevicePool(1, 0));
    }
}
