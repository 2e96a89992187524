package org.overparam.sweep.run;

import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.DeviceBinder;

/**
 * The GPU a Spark task trains on. On a cluster that schedules GPUs
 * ({@code spark.executor.resource.gpu.amount}, {@code spark.task.resource.gpu.amount}, a discovery
 * script), the address Spark assigned the task ({@code TaskContext.get().resourcesJMap().get("gpu")});
 * where it does not (notably {@code local} mode, which never schedules GPUs), one of the visible devices
 * from the JVM's pool, at most {@code tasksPerGpu} tasks on each.
 *
 * <p>Spark's addresses are those of {@code conf/get-gpus.sh} ({@code nvidia-smi} indices); they equal
 * CUDA ordinals when the executor runs with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}
 * ({@code conf/spark-gpu.conf}).
 */
final class TaskDevices implements DeviceBinder {
    private final int tasksPerGpu;

    TaskDevices(int tasksPerGpu) {
        this.tasksPerGpu = tasksPerGpu;
    }

    @Override
    public Binding bind(List<Availability.Device> devices) throws InterruptedException {
        TaskContext task = TaskContext.get();
        Map<String, ResourceInformation> resources = task == null ? Map.of() : task.resourcesJMap();
        ResourceInformation gpu = resources.get("gpu");
        if (gpu != null && gpu.addresses().length > 0) {
            int ordinal = ordinalOf(gpu.addresses(), devices);
            return new Binding() {
                @Override
                public int ordinal() {
                    return ordinal;
                }

                @Override
                public void close() {
                    // Spark releases the address with the task
                }
            };
        }
        return DeviceBinder.pooled(tasksPerGpu).bind(devices);
    }

    /** The CUDA ordinal of the first address Spark assigned, which must be a usable device. */
    static int ordinalOf(String[] addresses, List<Availability.Device> devices) {
        String address = addresses[0].trim();
        int ordinal;
        try {
            ordinal = Integer.parseInt(address);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned GPU address '" + address + "', not a device index (conf/get-gpus.sh prints nvidia-smi indices)");
        }
        for (Availability.Device d : devices) {
            if (d.ordinal() == ordinal) {
                return ordinal;
            }
        }
        throw new IllegalStateException("Spark assigned GPU " + ordinal + ", but this executor's usable CUDA devices are "
                + devices.stream().map(Availability.Device::label).toList());
    }
}
