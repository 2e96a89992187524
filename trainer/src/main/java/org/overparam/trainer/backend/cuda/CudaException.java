package org.overparam.trainer.backend.cuda;

/** A CUDA driver call returned an error. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int result;

    public CudaException(String call, int result, String name) {
        super(call + " failed: " + name + " (" + result + ")");
        this.result = result;
    }

    /** The {@code CUresult} code. */
    public int result() {
        return result;
    }

    /** Whether the device ran out of memory (a pack may be retried smaller). */
    public boolean outOfMemory() {
        return result == jcuda.driver.CUresult.CUDA_ERROR_OUT_OF_MEMORY;
    }
}
