package org.overparam.trainer.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernels as compiled by {@code trainer/build-kernels.sh}: a CUDA fat binary on the classpath at
 * {@link #RESOURCE} holding cubins for sm_80 and sm_90 and PTX for compute_90 (which newer devices
 * compile when they load it). Absent from builds made where {@code nvcc} was not found.
 */
public final class Fatbin {
    /** Where the build puts the fatbin in the jar. */
    public static final String RESOURCE = "/cuda/overparam.fatbin";
    private static final int MAGIC = 0xBA55ED50;

    private Fatbin() {
    }

    /** The fatbin's bytes, if this build has one. */
    public static Optional<byte[]> load() {
        try (InputStream in = Fatbin.class.getResourceAsStream(RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** One image in a fatbin: {@code ptx} or {@code elf} (a cubin), for {@code sm_<arch>}. */
    public record Image(String kind, int arch) {
        @Override
        public String toString() {
            return kind + " sm_" + arch;
        }
    }

    /**
     * The images of a fatbin, as {@code cuobjdump --list-elf --list-ptx} would list them, read from its
     * container headers (a 16-byte header with magic {@code 0xBA55ED50} and the size of what follows;
     * per image a header with its kind at byte 0, header size at 4, padded payload size at 8 and
     * architecture at 28).
     *
     * @throws IllegalArgumentException when {@code fatbin} is not a fat binary
     */
    public static List<Image> images(byte[] fatbin) {
        ByteBuffer buf = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        List<Image> out = new ArrayList<>();
        int pos = 0;
        while (pos + 16 <= fatbin.length) {
            if (buf.getInt(pos) != MAGIC) {
                throw new IllegalArgumentException("no fat binary header at byte " + pos);
            }
            int headerSize = Short.toUnsignedInt(buf.getShort(pos + 6));
            long size = buf.getLong(pos + 8);
            long end = pos + headerSize + size;
            if (end > fatbin.length) {
                throw new IllegalArgumentException("fat binary container at byte " + pos + " runs past the end");
            }
            long entry = pos + headerSize;
            while (entry + 32 <= end) {
                int at = (int) entry;
                int kind = Short.toUnsignedInt(buf.getShort(at));
                long entryHeader = Integer.toUnsignedLong(buf.getInt(at + 4));
                long payload = buf.getLong(at + 8);
                int arch = buf.getInt(at + 28);
                if (entryHeader == 0) {
                    break;
                }
                out.add(new Image(kind == 1 ? "ptx" : kind == 2 ? "elf" : "kind" + kind, arch));
                entry += entryHeader + payload;
            }
            pos = (int) end;
            while (pos < fatbin.length && pos % 8 != 0) {
                pos++;
            }
        }
        return out;
    }

    /**
     * Lists the images of a fatbin file (default: the one in this build) in the manner of
     * {@code cuobjdump --list-elf --list-ptx}: {@code java -cp trainer/target/classes:... Fatbin [FILE]}.
     */
    public static void main(String[] args) throws IOException {
        byte[] bytes = args.length > 0 ? java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[0]))
                : load().orElseThrow(() -> new IllegalStateException("no " + RESOURCE + " on the classpath"));
        int elf = 0;
        int ptx = 0;
        for (Image image : images(bytes)) {
            if (image.kind().equals("ptx")) {
                System.out.printf("PTX file    %d: overparam.%d.sm_%d.ptx%n", ++ptx, ptx, image.arch());
            } else {
                System.out.printf("ELF file    %d: overparam.%d.sm_%d.cubin%n", ++elf, elf, image.arch());
            }
        }
    }
}
