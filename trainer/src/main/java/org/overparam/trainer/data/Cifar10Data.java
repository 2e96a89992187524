package org.overparam.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CIFAR-10 from its binary batches ({@code data_batch_1.bin} … {@code data_batch_5.bin}): records of one
 * label byte (0..9) and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major), flattened in that
 * order into {@code d = 3072} inputs (paper 001 A.2). Local files only.
 */
public final class Cifar10Data {
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    public static final int PIXELS = 3072;
    private static final int RECORD = PIXELS + 1;

    private Cifar10Data() {
    }

    /** The label of a class name or digit string, or −1. */
    public static int classIndex(String s) {
        int i = CLASSES.indexOf(s.toLowerCase(Locale.ROOT));
        if (i >= 0) {
            return i;
        }
        if (s.matches("[0-9]")) {
            return Integer.parseInt(s);
        }
        return -1;
    }

    /** The training batches of a folder ({@code data_batch_1.bin} …, those present), or an error. */
    public static List<Path> findIn(Path folder) throws DataFileException {
        List<Path> out = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            Path p = folder.resolve("data_batch_" + b + ".bin");
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new DataFileException("no CIFAR-10 binary batches in " + folder + " (looked for data_batch_1.bin .. data_batch_5.bin)");
        }
        return out;
    }

    /** Reads the batches, selects {@code classes} (null: all ten, one-hot), splits and preprocesses. */
    public static SplitTable read(List<Path> batches, int[] classes, Preprocessing pre, double testFraction, long seed,
                                  int maxTrain) throws DataFileException {
        MessageDigest digest = ImageRows.sha256();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Path p : batches) {
            byte[] bytes = ImageRows.readAll(p, digest);
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new DataFileException(p + ": " + bytes.length + " bytes is not a whole number of CIFAR-10 records of "
                        + RECORD + " bytes (1 label + 3072 pixels)");
            }
            all.writeBytes(bytes);
        }
        byte[] bytes = all.toByteArray();
        int count = bytes.length / RECORD;
        int[] label = new int[count];
        for (int i = 0; i < count; i++) {
            label[i] = bytes[i * RECORD] & 0xFF;
            if (label[i] > 9) {
                throw new DataFileException("record " + i + " of " + batches + " has label " + label[i] + " (0..9 expected)");
            }
        }
        int[] kept = classes == null ? new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9} : classes.clone();
        ImageRows data = new ImageRows(count, PIXELS, bytes, 1, RECORD, label, kept);
        if (data.rows() == 0) {
            throw new DataFileException(batches + ": no images of the classes " + java.util.Arrays.toString(kept));
        }
        List<String> names = new ArrayList<>();
        for (int c : kept) {
            names.add(CLASSES.get(c));
        }
        String identity = "cifar10(sha256=" + ImageRows.hex16(digest) + ",classes=" + ImageRows.describe(names) + ")";
        return SplitTable.of(data, pre, testFraction, seed, maxTrain, identity);
    }
}
