package org.overparam.trainer.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuGetErrorName;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * {@link GpuApi} on the CUDA driver API through JCuda ({@code libcuda.so.1} only; no runtime, cuBLAS
 * or NVRTC library): the device's primary context (shared by every task of the JVM on that device),
 * the fatbin loaded with {@code cuModuleLoadData}, and one non-blocking stream of this instance's own,
 * so tasks sharing a GPU overlap. Transfers go through direct buffers on that stream; a download waits
 * for the stream. Return codes are checked on every call (JCuda's global exception switch is left alone).
 * Not thread-safe: one task, one instance.
 */
public final class JCudaApi implements GpuApi {
    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUstream stream = new CUstream();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final String name;
    private final int multiprocessors;
    private boolean contextRetained;
    private boolean moduleLoaded;
    private boolean streamCreated;

    private JCudaApi(int ordinal, byte[] fatbin) {
        this.ordinal = ordinal;
        try {
            check(cuInit(0), "cuInit");
            check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
            check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
            contextRetained = true;
            bind();
            check(cuModuleLoadData(module, fatbin), "cuModuleLoadData");
            moduleLoaded = true;
            check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            streamCreated = true;
            this.name = deviceName(device);
            this.multiprocessors = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            for (String kernel : KernelAbi.kernelNames()) {
                CUfunction f = new CUfunction();
                check(cuModuleGetFunction(f, module, kernel), "cuModuleGetFunction(" + kernel + ")");
                functions.put(kernel, f);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens device {@code ordinal} with the kernels of {@code fatbin}. */
    public static JCudaApi open(int ordinal, byte[] fatbin) {
        return new JCudaApi(ordinal, fatbin);
    }

    static String deviceName(CUdevice device) {
        byte[] raw = new byte[256];
        check(cuDeviceGetName(raw, raw.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        return new String(raw, 0, len, StandardCharsets.UTF_8).trim();
    }

    static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        check(cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    /** Throws {@link CudaException} for a result other than CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call, result, errorName(result));
        }
    }

    static String errorName(int result) {
        String[] out = new String[1];
        if (cuGetErrorName(result, out) == CUresult.CUDA_SUCCESS && out[0] != null) {
            return out[0];
        }
        return CUresult.stringFor(result);
    }

    /** Makes this device's context current on the calling thread (Spark may move a task between calls). */
    private void bind() {
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    @Override
    public String device() {
        return "cuda:" + ordinal + " " + name;
    }

    @Override
    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public long freeMemory() {
        bind();
        long[] free = new long[1];
        long[] total = new long[1];
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return free[0];
    }

    @Override
    public DeviceBuffer alloc(long bytes) {
        bind();
        CUdeviceptr ptr = new CUdeviceptr();
        check(cuMemAlloc(ptr, bytes), "cuMemAlloc(" + bytes + " bytes)");
        return new DeviceBuffer(this, -1L, bytes, ptr);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        bind();
        check(cuMemFree((CUdeviceptr) buffer.handle()), "cuMemFree");
    }

    @Override
    public void upload(DeviceBuffer dst, long offset, ByteBuffer src) {
        bind();
        ByteBuffer data = src.slice();
        long bytes = data.remaining();
        checkRange(dst, offset, bytes);
        CUdeviceptr to = ((CUdeviceptr) dst.handle()).withByteOffset(offset);
        check(cuMemcpyHtoDAsync(to, Pointer.to(data), bytes, stream), "cuMemcpyHtoDAsync");
        // The source buffer belongs to the caller: wait until it has been read.
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public void download(DeviceBuffer src, long offset, ByteBuffer dst) {
        bind();
        ByteBuffer data = dst.slice();
        long bytes = data.remaining();
        checkRange(src, offset, bytes);
        CUdeviceptr from = ((CUdeviceptr) src.handle()).withByteOffset(offset);
        check(cuMemcpyDtoHAsync(Pointer.to(data), from, bytes, stream), "cuMemcpyDtoHAsync");
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public void fill32(DeviceBuffer dst, int value, long words) {
        bind();
        checkRange(dst, 0, words * 4);
        check(cuMemsetD32Async((CUdeviceptr) dst.handle(), value, words, stream), "cuMemsetD32Async");
    }

    @Override
    public void launch(KernelArgs args, int[] grid, int[] block) {
        bind();
        CUfunction f = functions.get(args.kernel());
        if (f == null) {
            throw new IllegalArgumentException("no kernel " + args.kernel() + " in the fatbin");
        }
        List<Object> values = args.values();
        NativePointerObject[] params = new NativePointerObject[values.size()];
        for (int i = 0; i < params.length; i++) {
            Object v = values.get(i);
            params[i] = switch (args.types().get(i)) {
                case POINTER -> Pointer.to((CUdeviceptr) ((DeviceBuffer) v).handle());
                case I32 -> Pointer.to(new int[] {(Integer) v});
                case I64 -> Pointer.to(new long[] {(Long) v});
                case F64 -> Pointer.to(new double[] {(Double) v});
            };
        }
        check(cuLaunchKernel(f, grid[0], grid[1], grid[2], block[0], block[1], block[2], 0, stream,
                Pointer.to(params), null), "cuLaunchKernel(" + args.kernel() + ")");
    }

    private static void checkRange(DeviceBuffer buffer, long offset, long bytes) {
        if (offset < 0 || offset + bytes > buffer.bytes()) {
            throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + bytes) + ") outside a buffer of " + buffer.bytes());
        }
    }

    @Override
    public void close() {
        if (streamCreated) {
            streamCreated = false;
            cuStreamSynchronize(stream);
            cuStreamDestroy(stream);
        }
        if (moduleLoaded) {
            moduleLoaded = false;
            cuModuleUnload(module);
        }
        if (contextRetained) {
            contextRetained = false;
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
