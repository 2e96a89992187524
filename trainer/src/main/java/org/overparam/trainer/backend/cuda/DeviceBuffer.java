package org.overparam.trainer.backend.cuda;

/**
 * Device memory of {@code bytes} bytes at {@code address}, owned by the {@link GpuApi} that allocated
 * it and freed by {@link #close()}.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final GpuApi owner;
    private final long address;
    private final long bytes;
    private final Object handle;
    private boolean freed;

    DeviceBuffer(GpuApi owner, long address, long bytes, Object handle) {
        this.owner = owner;
        this.address = address;
        this.bytes = bytes;
        this.handle = handle;
    }

    /** The device address (an emulator's address for the test stand-in). */
    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    /** The implementation's own handle (a JCuda {@code CUdeviceptr}). */
    Object handle() {
        return handle;
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            owner.free(this);
        }
    }
}
