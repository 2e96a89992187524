package org.overparam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST (IDX) and CIFAR-10 (binary batches) read from tiny files written here in the real formats:
 * class selection, ±1 and one-hot targets, pixel scaling, preprocessing, the seeded split, gzip, and
 * errors that name the file.
 */
class ImageLoadersTest {
    @TempDir
    Path dir;

    /** Image i of label l has every pixel equal to (7i + l) mod 256, pixel 0 = i mod 256 (to tell them apart). */
    private static int pixel(int i, int label, int j) {
        return j == 0 ? i % 256 : (7 * i + label + j) % 256;
    }

    private static final int[] LABELS = {3, 8, 1, 3, 3, 8, 0, 8, 3, 8, 2, 8, 3, 3, 8, 9, 8, 3, 8, 3};

    private void writeIdx(Path images, Path labels, int rows, int cols, boolean gzip) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(img);
        out.writeInt(0x00000803);
        out.writeInt(LABELS.length);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < LABELS.length; i++) {
            for (int j = 0; j < rows * cols; j++) {
                out.writeByte(pixel(i, LABELS[i], j));
            }
        }
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        DataOutputStream lo = new DataOutputStream(lab);
        lo.writeInt(0x00000801);
        lo.writeInt(LABELS.length);
        for (int l : LABELS) {
            lo.writeByte(l);
        }
        write(images, img.toByteArray(), gzip);
        write(labels, lab.toByteArray(), gzip);
    }

    private static void write(Path p, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(bytes);
        }
    }

    @Test
    void mnistDigitPairIsABinaryTaskWithMinusOneForTheFirstDigit() throws Exception {
        writeIdx(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 2, 3, false);
        Path[] files = MnistData.findIn(dir);
        SplitTable t = MnistData.read(files[0], files[1], new int[] {3, 8}, new Preprocessing(Normalization.NONE, false),
                0.25, 0, 100);
        int threes = 8;
        int eights = 8;
        assertEquals(threes + eights, t.trainRows() + t.heldOutRows());
        assertEquals(4, t.heldOutRows(), "round(0.25 · 16)");
        assertEquals(6, t.d());
        assertEquals(1, t.dy());
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : new Dataset[] {t.load(t.trainRows(), 6), t.heldOut(1, 6, 1)}) {
            for (int r = 0; r < part.n(); r++) {
                int i = (int) Math.round(part.x()[r * 6] * 255);           // pixel 0 carries the image index
                assertTrue(seen.add(i), "each image once");
                int label = LABELS[i];
                assertEquals(label == 3 ? -1.0 : 1.0, part.y()[r], "image " + i);
                for (int j = 0; j < 6; j++) {
                    assertEquals(pixel(i, label, j) / 255.0, part.x()[r * 6 + j], 0.0);
                }
            }
        }
        assertEquals(16, seen.size());
        assertTrue(t.identity().startsWith("mnist(sha256="), t.identity());
        assertTrue(t.identity().contains("digits=3|8,normalize=none,center=false,test=0.25,seed=0"), t.identity());
    }

    @Test
    void splitIsSeededAndTrainingPrefixesAreNested() throws Exception {
        writeIdx(dir.resolve("i"), dir.resolve("l"), 1, 4, false);
        Preprocessing pre = new Preprocessing(Normalization.UNIT, false);
        SplitTable a = MnistData.read(dir.resolve("i"), dir.resolve("l"), null, pre, 0.2, 1, 100);
        SplitTable b = MnistData.read(dir.resolve("i"), dir.resolve("l"), null, pre, 0.2, 1, 5);
        SplitTable c = MnistData.read(dir.resolve("i"), dir.resolve("l"), null, pre, 0.2, 2, 100);
        assertArrayEquals(a.load(5, 4, 10).x(), b.load(5, 4, 10).x(), "fewer kept training rows are a prefix");
        assertArrayEquals(a.load(5, 4, 10).y(), b.load(5, 4, 10).y());
        assertEquals(a.identity(), b.identity(), "the kept count is not part of the data");
        assertNotEquals(a.identity(), c.identity());
        assertTrue(!java.util.Arrays.equals(a.trainX(), c.trainX()), "another seed, another split");
        Dataset all = a.load(a.trainRows(), 4, 10);
        for (int r = 0; r < all.n(); r++) {
            assertEquals(1.0, all.rowNorm(r), 1e-12, "unit norm");
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                double v = all.y()[r * 10 + k];
                assertTrue(v == 0.0 || v == 1.0);
                sum += v;
            }
            assertEquals(1.0, sum, "one-hot over the ten digits");
        }
        assertThrows(IllegalArgumentException.class, () -> a.load(3, 4, 1), "one-hot data has d_y = 10");
    }

    @Test
    void centringAndBallScaling() throws Exception {
        writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), 3, 3, true);
        SplitTable t = MnistData.read(dir.resolve("i.gz"), dir.resolve("l.gz"), new int[] {3, 8},
                new Preprocessing(Normalization.BALL, true), 0.0, 0, 100);
        assertEquals(0, t.heldOutRows());
        assertNull(t.heldOut(3, 9, 1));
        Dataset all = t.load(t.trainRows(), 9);
        double max = 0;
        for (int j = 0; j < 9; j++) {
            double mean = 0;
            for (int r = 0; r < all.n(); r++) {
                mean += all.x()[r * 9 + j] / all.n();
            }
            assertEquals(0.0, mean, 1e-12, "centred, column " + j);
        }
        for (int r = 0; r < all.n(); r++) {
            max = Math.max(max, all.rowNorm(r));
        }
        assertEquals(1.0, max, 1e-12, "largest norm 1");
    }

    @Test
    void badMnistFilesAreNamed() throws IOException {
        Files.write(dir.resolve("i"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 9});
        writeIdx(dir.resolve("ok-i"), dir.resolve("ok-l"), 1, 1, false);
        DataFileException e = assertThrows(DataFileException.class, () ->
                MnistData.read(dir.resolve("i"), dir.resolve("ok-l"), null, new Preprocessing(Normalization.NONE, false), 0, 0, 10));
        assertTrue(e.getMessage().contains("0x00000803") && e.getMessage().contains(dir.resolve("i").toString()), e.getMessage());
        e = assertThrows(DataFileException.class, () -> MnistData.findIn(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        Files.write(dir.resolve("short"), java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("ok-i")), 20));
        e = assertThrows(DataFileException.class, () ->
                MnistData.read(dir.resolve("short"), dir.resolve("ok-l"), null, new Preprocessing(Normalization.NONE, false), 0, 0, 10));
        assertTrue(e.getMessage().contains("header says"), e.getMessage());
    }

    private void writeCifar(Path p, int[] labels, int offset) throws IOException {
        byte[] bytes = new byte[labels.length * 3073];
        for (int i = 0; i < labels.length; i++) {
            bytes[i * 3073] = (byte) labels[i];
            for (int j = 0; j < 3072; j++) {
                bytes[i * 3073 + 1 + j] = (byte) (j == 0 ? offset + i : (j < 1024 ? 10 : j < 2048 ? 20 : 30) + labels[i]);
            }
        }
        Files.write(p, bytes);
    }

    @Test
    void cifarCatsAgainstDogs() throws Exception {
        writeCifar(dir.resolve("data_batch_1.bin"), new int[] {3, 5, 1, 3, 5, 5, 9}, 0);
        writeCifar(dir.resolve("data_batch_2.bin"), new int[] {5, 3, 0}, 100);
        List<Path> batches = Cifar10Data.findIn(dir);
        assertEquals(2, batches.size());
        int[] classes = {Cifar10Data.classIndex("cat"), Cifar10Data.classIndex("dog")};
        assertEquals(3, classes[0]);
        assertEquals(5, classes[1]);
        SplitTable t = Cifar10Data.read(batches, classes, new Preprocessing(Normalization.NONE, false), 0.0, 0, 100);
        assertEquals(7, t.trainRows());
        assertEquals(3072, t.d());
        Dataset all = t.load(7, 3072);
        int cats = 0;
        for (int r = 0; r < 7; r++) {
            int label = all.y()[r] < 0 ? 3 : 5;
            cats += label == 3 ? 1 : 0;
            assertEquals((10 + label) / 255.0, all.x()[r * 3072 + 1], 0.0, "red plane");
            assertEquals((20 + label) / 255.0, all.x()[r * 3072 + 1500], 0.0, "green plane");
            assertEquals((30 + label) / 255.0, all.x()[r * 3072 + 3071], 0.0, "blue plane");
        }
        assertEquals(3, cats, "cat = −1, dog = +1");
        assertTrue(t.identity().contains("classes=cat|dog"), t.identity());
    }

    @Test
    void truncatedCifarBatchIsNamed() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), new byte[3073 + 5]);
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar10Data.read(Cifar10Data.findIn(dir), null,
                new Preprocessing(Normalization.NONE, false), 0, 0, 10));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("3073"), e.getMessage());
    }
}
