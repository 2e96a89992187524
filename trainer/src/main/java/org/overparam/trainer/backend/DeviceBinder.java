package org.overparam.trainer.backend;

import java.util.List;

/**
 * Gives a task the GPU it runs on: the one its scheduler assigned (Spark's {@code gpu} resource on a
 * cluster) or one from a {@link DevicePool} (where nobody schedules GPUs).
 */
@FunctionalInterface
public interface DeviceBinder {

    /** A device ordinal held until {@link #close()}. */
    interface Binding extends AutoCloseable {
        int ordinal();

        @Override
        void close();
    }

    /** Binds the calling task to one of {@code devices} (the usable ones), waiting if all are taken. */
    Binding bind(List<Availability.Device> devices) throws InterruptedException;

    /** A binder over the JVM's {@link DevicePool#shared shared pool}, {@code perDevice} tasks per GPU. */
    static DeviceBinder pooled(int perDevice) {
        return devices -> {
            DevicePool.Lease lease = DevicePool.shared(devices.size(), perDevice).acquire();
            int ordinal = devices.get(lease.ordinal()).ordinal();
            return new Binding() {
                @Override
                public int ordinal() {
                    return ordinal;
                }

                @Override
                public void close() {
                    lease.close();
                }
            };
        };
    }
}
