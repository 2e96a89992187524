package org.overparam.trainer.backend.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link GpuApi} on the CPU emulation of the kernels ({@code src/test/cuda/emulator.cpp}, built with
 * g++ on first use): the CUDA backend's host code runs unchanged against the real kernel source, so
 * everything but the JCuda calls and the GPU itself is exercised on machines without one.
 */
final class EmulatorApi implements GpuApi {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path BINARY = MODULE.resolve("target/cuda-emulator/emulator");
    private static String buildFailure;

    private final Process process;
    private final OutputStream out;
    private final DataInputStream in;
    private final int multiprocessors;
    private int launches;
    private final java.util.Map<String, Integer> launchesByKernel = new java.util.TreeMap<>();

    private EmulatorApi(int multiprocessors) throws IOException {
        this.multiprocessors = multiprocessors;
        this.process = new ProcessBuilder(BINARY.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    /** An emulated device reporting {@code multiprocessors} SMs; skips the test where g++ is missing. */
    static EmulatorApi start(int multiprocessors) {
        build();
        try {
            return new EmulatorApi(multiprocessors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles the emulator (once per JVM, and only when a source is newer than the binary). */
    static synchronized void build() {
        Assumptions.assumeTrue(buildFailure == null || !buildFailure.startsWith("no g++"), () -> buildFailure);
        if (buildFailure != null) {
            throw new IllegalStateException(buildFailure);
        }
        try {
            List<Path> sources = List.of(MODULE.resolve("src/main/cuda/overparam.cu"), MODULE.resolve("src/main/cuda/overparam_abi.h"),
                    MODULE.resolve("src/test/cuda/cuda_emulation.h"), MODULE.resolve("src/test/cuda/emulator.cpp"));
            if (Files.exists(BINARY)) {
                long built = Files.getLastModifiedTime(BINARY).toMillis();
                boolean fresh = true;
                for (Path s : sources) {
                    fresh &= Files.getLastModifiedTime(s).toMillis() <= built;
                }
                if (fresh) {
                    return;
                }
            }
            if (!onPath("g++")) {
                buildFailure = "no g++ on this machine: the kernel emulation cannot be built";
                Assumptions.abort(buildFailure);
            }
            Files.createDirectories(BINARY.getParent());
            List<String> cmd = new ArrayList<>(List.of("g++", "-std=c++20", "-O2", "-pthread", "-DOVERPARAM_EMULATE",
                    "-I", MODULE.resolve("src/main/cuda").toString(), "-I", MODULE.resolve("src/test/cuda").toString(),
                    "-o", BINARY.toString(), MODULE.resolve("src/test/cuda/emulator.cpp").toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                buildFailure = "the kernel emulation does not compile:\n" + log;
                throw new IllegalStateException(buildFailure);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** How many kernels were launched. */
    int launches() {
        return launches;
    }

    @Override
    public String device() {
        return "cuda:0 CPU emulation";
    }

    @Override
    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public long freeMemory() {
        return 1L << 32;
    }

    private ByteBuffer command(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void send(ByteBuffer b) {
        try {
            out.write(b.array(), 0, b.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] receive(int bytes) {
        flush();
        try {
            byte[] b = new byte[bytes];
            in.readFully(b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("the emulator stopped answering", e);
        }
    }

    @Override
    public DeviceBuffer alloc(long bytes) {
        send(command(9).put((byte) 'A').putLong(bytes));
        long address = ByteBuffer.wrap(receive(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new DeviceBuffer(this, address, bytes, null);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        send(command(9).put((byte) 'F').putLong(buffer.address()));
    }

    @Override
    public void upload(DeviceBuffer dst, long offset, ByteBuffer src) {
        ByteBuffer data = src.slice();
        int bytes = data.remaining();
        check(dst, offset, bytes);
        send(command(17).put((byte) 'U').putLong(dst.address() + offset).putLong(bytes));
        byte[] raw = new byte[bytes];
        data.get(raw);
        try {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void download(DeviceBuffer src, long offset, ByteBuffer dst) {
        ByteBuffer data = dst.slice();
        int bytes = data.remaining();
        check(src, offset, bytes);
        send(command(17).put((byte) 'D').putLong(src.address() + offset).putLong(bytes));
        data.put(receive(bytes));
    }

    @Override
    public void fill32(DeviceBuffer dst, int value, long words) {
        check(dst, 0, words * 4);
        send(command(21).put((byte) 'M').putLong(dst.address()).putInt(value).putLong(words));
    }

    @Override
    public void launch(KernelArgs args, int[] grid, int[] block) {
        byte[] name = args.kernel().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer packed = args.packed();
        ByteBuffer head = command(1 + 2 + name.length + 4 * 8);
        head.put((byte) 'L').putShort((short) name.length).put(name);
        head.putInt(grid[0]).putInt(grid[1]).putInt(grid[2]).putInt(block[0]).putInt(block[1]).putInt(block[2]);
        head.putInt(0).putInt(packed.remaining());
        send(head);
        try {
            out.write(packed.array(), 0, packed.remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int len = ByteBuffer.wrap(receive(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (len > 0) {
            throw new IllegalStateException("emulated launch failed: " + new String(receive(len), StandardCharsets.UTF_8));
        }
        launches++;
        launchesByKernel.merge(args.kernel(), 1, Integer::sum);
    }

    /** How many launches of kernels whose names start with {@code prefix}. */
    int launches(String prefix) {
        return launchesByKernel.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(java.util.Map.Entry::getValue).sum();
    }

    private static void check(DeviceBuffer b, long offset, long bytes) {
        if (offset < 0 || offset + bytes > b.bytes()) {
            throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + bytes) + ") outside a buffer of " + b.bytes());
        }
    }

    @Override
    public void close() {
        try {
            out.write('Q');
            out.flush();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroy();
        }
    }
}
