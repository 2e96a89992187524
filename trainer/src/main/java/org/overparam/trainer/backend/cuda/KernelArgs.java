package org.overparam.trainer.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel's argument list, built in parameter order and checked against the kernel's declared
 * {@link KernelAbi} signature as it is built; a pointer argument is a {@link DeviceBuffer}.
 */
public final class KernelArgs {
    /** A kernel parameter's type, as the PTX declares it. */
    public enum Type {
        POINTER(8, "u64"), I32(4, "u32"), I64(8, "u64"), F64(8, "f64");

        private final int bytes;
        private final String ptx;

        Type(int bytes, String ptx) {
            this.bytes = bytes;
            this.ptx = ptx;
        }

        public int bytes() {
            return bytes;
        }

        /** The PTX {@code .param} type. */
        public String ptx() {
            return ptx;
        }
    }

    private final String kernel;
    private final List<Type> signature;
    private final List<Object> values = new ArrayList<>();

    private KernelArgs(String kernel, List<Type> signature) {
        this.kernel = kernel;
        this.signature = signature;
    }

    public static KernelArgs of(String kernel, List<Type> signature) {
        return new KernelArgs(kernel, signature);
    }

    private KernelArgs add(Type type, Object value) {
        int i = values.size();
        if (i >= signature.size() || signature.get(i) != type) {
            throw new IllegalArgumentException(kernel + ": argument " + i + " is " + type + ", the kernel takes "
                    + (i < signature.size() ? signature.get(i) : "no more arguments"));
        }
        values.add(value);
        return this;
    }

    public KernelArgs pointer(DeviceBuffer buffer) {
        return add(Type.POINTER, buffer);
    }

    public KernelArgs i32(int v) {
        return add(Type.I32, v);
    }

    public KernelArgs i64(long v) {
        return add(Type.I64, v);
    }

    public KernelArgs f64(double v) {
        return add(Type.F64, v);
    }

    public String kernel() {
        return kernel;
    }

    /** The values in order ({@link DeviceBuffer}, Integer, Long, Double); checks the list is complete. */
    public List<Object> values() {
        if (values.size() != signature.size()) {
            throw new IllegalStateException(kernel + ": " + values.size() + " arguments given, the kernel takes " + signature.size());
        }
        return List.copyOf(values);
    }

    public List<Type> types() {
        return signature;
    }

    /** The arguments packed back to back, little-endian, pointers as their device addresses. */
    public ByteBuffer packed() {
        List<Object> vs = values();
        int bytes = signature.stream().mapToInt(Type::bytes).sum();
        ByteBuffer out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vs.size(); i++) {
            Object v = vs.get(i);
            switch (signature.get(i)) {
                case POINTER -> out.putLong(((DeviceBuffer) v).address());
                case I32 -> out.putInt((Integer) v);
                case I64 -> out.putLong((Long) v);
                case F64 -> out.putDouble((Double) v);
            }
        }
        return out.flip();
    }
}
