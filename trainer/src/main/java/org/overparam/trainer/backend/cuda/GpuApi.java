package org.overparam.trainer.backend.cuda;

import java.nio.ByteBuffer;

/**
 * The few device operations the CUDA backend needs, on one device and one stream: allocate, copy,
 * fill, launch a kernel of the fatbin by name. {@link JCudaApi} implements them with the CUDA driver
 * API; the tests implement them with a CPU emulation of the same kernels, so everything above this
 * interface runs in the test suite on machines without a GPU.
 *
 * <p>Copies and fills are ordered with the launches; a download returns once its data have arrived.
 */
public interface GpuApi extends AutoCloseable {

    /** {@code cuda:<ordinal> <name>}. */
    String device();

    /** Streaming multiprocessors (for the choice of tile sizes). */
    int multiprocessors();

    /** Free device memory in bytes, now. */
    long freeMemory();

    DeviceBuffer alloc(long bytes);

    /** Called by {@link DeviceBuffer#close()}. */
    void free(DeviceBuffer buffer);

    /** Copies {@code src} (position to limit) to {@code dst} at byte {@code offset}. */
    void upload(DeviceBuffer dst, long offset, ByteBuffer src);

    /** Fills {@code dst} (position to limit) from {@code src} at byte {@code offset}, waiting for prior work. */
    void download(DeviceBuffer src, long offset, ByteBuffer dst);

    /** Sets the first {@code words} 32-bit words of {@code dst} to {@code value}. */
    void fill32(DeviceBuffer dst, int value, long words);

    /** Launches {@code args.kernel()} on a {@code grid} of blocks of {@code block} threads. */
    void launch(KernelArgs args, int[] grid, int[] block);

    @Override
    void close();
}
