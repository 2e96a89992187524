package org.overparam.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Images of selected classes kept as bytes (pixel {@code p} becomes {@code p/255}), with their targets:
 * for two classes {@code y = −1} for the first and {@code +1} for the second (paper 001 A.2: cat −1,
 * dog +1), for more classes a one-hot vector over the classes in the order given ({@code d_y} = their
 * number).
 */
final class ImageRows implements LabeledRows {
    private final int d;
    private final int[] classes;
    private final byte[][] pixels;
    private final int[] classIndex;

    /**
     * @param images  {@code count × d} pixel bytes, concatenated, starting at {@code offset}, record stride {@code stride}
     * @param labels  the class of each image (0..9)
     * @param classes the classes kept, in target order (at least 2)
     */
    ImageRows(int count, int d, byte[] images, int offset, int stride, int[] labels, int[] classes) {
        this.d = d;
        this.classes = classes.clone();
        int kept = 0;
        int[] slot = new int[count];
        for (int i = 0; i < count; i++) {
            slot[i] = indexOf(this.classes, labels[i]);
            if (slot[i] >= 0) {
                kept++;
            }
        }
        this.pixels = new byte[kept][];
        this.classIndex = new int[kept];
        int r = 0;
        for (int i = 0; i < count; i++) {
            if (slot[i] >= 0) {
                pixels[r] = java.util.Arrays.copyOfRange(images, offset + i * stride, offset + i * stride + d);
                classIndex[r] = slot[i];
                r++;
            }
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int rows() {
        return pixels.length;
    }

    @Override
    public int d() {
        return d;
    }

    @Override
    public int dy() {
        return classes.length == 2 ? 1 : classes.length;
    }

    @Override
    public void input(int i, double[] out, int off) {
        byte[] p = pixels[i];
        for (int j = 0; j < d; j++) {
            out[off + j] = (p[j] & 0xFF) / 255.0;
        }
    }

    @Override
    public void target(int i, double[] out, int off) {
        if (classes.length == 2) {
            out[off] = classIndex[i] == 0 ? -1.0 : 1.0;
            return;
        }
        for (int k = 0; k < classes.length; k++) {
            out[off + k] = k == classIndex[i] ? 1.0 : 0.0;
        }
    }

    /** The classes as text for identities: {@code 3|8}. */
    static String describe(List<String> names) {
        return String.join("|", names);
    }

    /** Reads a whole file, un-gzipping names ending in {@code .gz}, and feeds it to {@code digest}. */
    static byte[] readAll(Path path, MessageDigest digest) throws DataFileException {
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = path.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            byte[] bytes = out.toByteArray();
            digest.update(bytes);
            return bytes;
        } catch (IOException e) {
            throw new DataFileException("cannot read " + path + ": " + e.getMessage());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    static String hex16(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }
}
