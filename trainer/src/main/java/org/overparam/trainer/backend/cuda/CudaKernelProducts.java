package org.overparam.trainer.backend.cuda;

import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.ntk.BlasKernelProducts;
import org.overparam.trainer.ntk.KernelProducts;

/**
 * The kernel products of one trial of a {@link CudaPackDevice}, formed on the device from the parameters it
 * holds ({@code op_preact_*}, {@code op_products_*}): the host's pre-activations, norms and gains, which
 * mirror those, are not read. Where the device has no room for the scratch ({@code n×m + 4 n²} values) the
 * trial's products are formed on the CPU from the mirror from then on, with a warning.
 */
final class CudaKernelProducts implements KernelProducts {
    private static final System.Logger LOG = System.getLogger(CudaKernelProducts.class.getName());

    private final CudaPackDevice device;
    private final int trial;
    private KernelProducts cpu;

    CudaKernelProducts(CudaPackDevice device, int trial) {
        this.device = device;
        this.trial = trial;
    }

    @Override
    public double[] indicators(double[] u, int m) {
        double[][] p = onDevice(1.0);
        return p == null ? cpu.indicators(u, m) : p[0];
    }

    @Override
    public double[][] weightNorm(double[] u, double[] vNorm, double[] gain, double alpha) {
        double[][] p = onDevice(alpha);
        return p == null ? cpu.weightNorm(u, vNorm, gain, alpha) : p;
    }

    /** The device's products, or null once the device has had no room for them. */
    private double[][] onDevice(double alpha) {
        if (cpu == null) {
            try {
                return device.kernelProducts(trial, alpha);
            } catch (CudaException e) {
                if (!e.outOfMemory()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "no device memory for the kernel products of " + device.device()
                        + " (" + e.getMessage() + "): forming them on the CPU");
                cpu = new BlasKernelProducts(RowMajorBlas.best());
            }
        }
        return null;
    }
}
