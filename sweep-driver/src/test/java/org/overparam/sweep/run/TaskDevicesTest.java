package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.backend.Availability;

/** The CUDA device of a task from the GPU addresses Spark assigned it. */
class TaskDevicesTest {
    private static final List<Availability.Device> DEVICES = List.of(
            new Availability.Device(0, "NVIDIA H100 80GB HBM3"), new Availability.Device(1, "NVIDIA H100 80GB HBM3"));

    @Test
    void theFirstAssignedAddressIsTheOrdinal() {
        assertEquals(1, TaskDevices.ordinalOf(new String[] {"1"}, DEVICES));
        assertEquals(0, TaskDevices.ordinalOf(new String[] {" 0 ", "1"}, DEVICES));
    }

    @Test
    void anAddressThatIsNoUsableDeviceIsAClearError() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> TaskDevices.ordinalOf(new String[] {"3"}, DEVICES));
        assertTrue(missing.getMessage().contains("Spark assigned GPU 3, but this executor's usable CUDA devices are"), missing.getMessage());
        IllegalStateException uuid = assertThrows(IllegalStateException.class,
                () -> TaskDevices.ordinalOf(new String[] {"GPU-8f3a"}, DEVICES));
        assertTrue(uuid.getMessage().contains("not a device index"), uuid.getMessage());
    }
}
