package org.overparam.trainer.data;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * MNIST from its IDX files (yann.lecun.com format, optionally gzipped): an images file (big-endian magic
 * {@code 0x00000803}, count, rows, cols, then one byte per pixel) and a labels file (magic
 * {@code 0x00000801}, count, one byte per label). Local files only.
 */
public final class MnistData {
    /** Image file names looked for in a folder, in order. */
    public static final List<String> IMAGE_NAMES = List.of("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
            "train-images.idx3-ubyte");
    /** Label file names looked for in a folder, in order. */
    public static final List<String> LABEL_NAMES = List.of("train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz",
            "train-labels.idx1-ubyte");

    private MnistData() {
    }

    /** The images and labels files of a folder (the training files), or an error naming what is missing. */
    public static Path[] findIn(Path folder) throws DataFileException {
        Path images = first(folder, IMAGE_NAMES);
        Path labels = first(folder, LABEL_NAMES);
        if (images == null || labels == null) {
            throw new DataFileException("no MNIST IDX files in " + folder + " (looked for " + IMAGE_NAMES.get(0) + " and "
                    + LABEL_NAMES.get(0) + ", optionally .gz)");
        }
        return new Path[] {images, labels};
    }

    private static Path first(Path folder, List<String> names) {
        for (String name : names) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return folder.resolve(name);
            }
        }
        return null;
    }

    /**
     * Reads, selects the {@code digits} (null: all ten, one-hot), splits and preprocesses.
     *
     * @param maxTrain the most training examples kept (the sweep's largest n)
     */
    public static SplitTable read(Path images, Path labels, int[] digits, Preprocessing pre, double testFraction,
                                  long seed, int maxTrain) throws DataFileException {
        MessageDigest digest = ImageRows.sha256();
        byte[] img = ImageRows.readAll(images, digest);
        byte[] lab = ImageRows.readAll(labels, digest);
        ByteBuffer ib = ByteBuffer.wrap(img);
        ByteBuffer lb = ByteBuffer.wrap(lab);
        if (img.length < 16 || ib.getInt(0) != 0x00000803) {
            throw new DataFileException(images + ": not an IDX image file (magic 0x00000803 expected, got "
                    + (img.length < 4 ? "a file of " + img.length + " bytes" : String.format("0x%08x", ib.getInt(0))) + ")");
        }
        if (lab.length < 8 || lb.getInt(0) != 0x00000801) {
            throw new DataFileException(labels + ": not an IDX label file (magic 0x00000801 expected, got "
                    + (lab.length < 4 ? "a file of " + lab.length + " bytes" : String.format("0x%08x", lb.getInt(0))) + ")");
        }
        int count = ib.getInt(4);
        int rows = ib.getInt(8);
        int cols = ib.getInt(12);
        if (count < 0 || rows < 1 || cols < 1 || (long) count * rows * cols + 16 != img.length) {
            throw new DataFileException(images + ": header says " + count + " images of " + rows + "x" + cols
                    + " but the file has " + img.length + " bytes");
        }
        int labelCount = lb.getInt(4);
        if (labelCount != count || lab.length != 8 + count) {
            throw new DataFileException(labels + ": " + labelCount + " labels in " + lab.length + " bytes for " + count + " images");
        }
        int[] classes = digits == null ? new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9} : digits.clone();
        int[] label = new int[count];
        for (int i = 0; i < count; i++) {
            label[i] = lab[8 + i] & 0xFF;
            if (label[i] > 9) {
                throw new DataFileException(labels + ": label " + label[i] + " of image " + i + " is not a digit");
            }
        }
        ImageRows data = new ImageRows(count, rows * cols, img, 16, rows * cols, label, classes);
        if (data.rows() == 0) {
            throw new DataFileException(images + ": no images of digits " + java.util.Arrays.toString(classes));
        }
        List<String> names = new ArrayList<>();
        for (int c : classes) {
            names.add(Integer.toString(c));
        }
        String identity = "mnist(sha256=" + ImageRows.hex16(digest) + ",digits=" + ImageRows.describe(names) + ")";
        return SplitTable.of(data, pre, testFraction, seed, maxTrain, identity);
    }
}
