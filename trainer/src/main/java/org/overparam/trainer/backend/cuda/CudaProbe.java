package org.overparam.trainer.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.overparam.trainer.backend.Availability;

/**
 * Looks for what the CUDA backend needs, without failing: JCuda's driver binding must load (it needs
 * the driver's {@code libcuda.so.1}), {@code cuInit} must succeed, and a device of compute capability
 * 8.0 or later (FP64 tensor cores; the fatbin's oldest target) must be visible.
 */
final class CudaProbe {
    static final int MIN_MAJOR = 8;

    private CudaProbe() {
    }

    static Availability run(boolean kernelsBuilt) {
        if (!kernelsBuilt) {
            return Availability.unavailable(CudaBackend.noKernels());
        }
        try {
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return Availability.unavailable("cuInit failed: " + JCudaApi.errorName(rc));
            }
            int[] count = new int[1];
            JCudaApi.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            if (count[0] == 0) {
                return Availability.unavailable("no CUDA device is visible");
            }
            List<Availability.Device> usable = new ArrayList<>();
            List<String> tooOld = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice dev = new CUdevice();
                JCudaApi.check(JCudaDriver.cuDeviceGet(dev, i), "cuDeviceGet");
                String name = JCudaApi.deviceName(dev);
                int major = JCudaApi.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
                int minor = JCudaApi.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
                if (major >= MIN_MAJOR) {
                    usable.add(new Availability.Device(i, name));
                } else {
                    tooOld.add("cuda:" + i + " " + name + " (compute capability " + major + "." + minor + ")");
                }
            }
            if (usable.isEmpty()) {
                return Availability.unavailable("no device of compute capability " + MIN_MAJOR + ".0 or later: " + String.join(", ", tooOld));
            }
            return Availability.available(usable);
        } catch (LinkageError e) {
            return Availability.unavailable("the CUDA driver library could not be loaded: " + summary(e));
        } catch (CudaException e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    /** The informative line of JCuda's long loading error (the missing libcuda.so.1, typically). */
    static String summary(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().startsWith("Could not initialize"))) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        for (String line : msg.split("\n")) {
            if (line.contains("libcuda")) {
                int at = line.indexOf(": ", line.indexOf(".so"));
                return at >= 0 ? line.substring(at + 2).trim() : line.trim();
            }
        }
        String first = msg.split("\n")[0].trim();
        return first.isEmpty() ? t.getClass().getSimpleName() : first;
    }
}
