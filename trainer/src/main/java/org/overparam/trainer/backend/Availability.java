package org.overparam.trainer.backend;

import java.util.List;
import java.util.Objects;

/**
 * Whether a backend can run on this machine, and why not.
 *
 * @param devices the usable devices (empty when unavailable)
 */
public record Availability(boolean available, String reason, List<Device> devices) {
    /** A usable GPU: its CUDA ordinal and name. */
    public record Device(int ordinal, String name) {
        /** As the {@code device} column writes it: {@code cuda:<ordinal> <name>}. */
        public String label() {
            return "cuda:" + ordinal + " " + name;
        }
    }

    public Availability {
        Objects.requireNonNull(reason, "reason");
        devices = List.copyOf(devices);
    }

    public static Availability available(List<Device> devices) {
        return new Availability(true, "available: " + String.join(", ", devices.stream().map(Device::label).toList()), devices);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason, List.of());
    }
}
