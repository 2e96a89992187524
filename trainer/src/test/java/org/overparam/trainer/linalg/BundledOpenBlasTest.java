package org.overparam.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bundled OpenBLAS on linux-x86_64 (where the trainer's Maven dependencies carry its natives): it loads
 * without any system BLAS, once (one library file mapped, so one thread setting), single-threaded, and its
 * LAPACK agrees with the Java fallback to rounding and with itself to the bit.
 */
class BundledOpenBlasTest {
    private static boolean linuxX8664() {
        return System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
    }

    @Test
    void loadsOnceSingleThreadedOnLinuxX8664() {
        assumeTrue(linuxX8664(), "natives bundled for linux-x86_64 only");
        assertTrue(BundledOpenBlas.get().isPresent(), "does not load: " + BundledOpenBlas.failure().orElse("?"));
        BundledOpenBlas library = BundledOpenBlas.get().get();
        assertTrue(library.version().matches("\\d+\\.\\d+\\.\\d+"), library.version());
        Set<Path> mapped = BundledOpenBlas.mappedOpenBlasFiles();
        assertEquals(1, mapped.size(), "one OpenBLAS mapped: " + mapped);
        assertEquals(1, org.bytedeco.openblas.global.openblas.blas_get_num_threads());
        LinearAlgebra la = LinearAlgebra.get();
        assertTrue(la.isNative());
        assertEquals("OpenBLAS " + library.version() + " (bundled)", la.name());
        assertEquals(la.name(), RowMajorBlas.best().implementation());
    }

    @Test
    void nativeLapackAgreesWithJavaAndRepeatsItsBits() {
        assumeTrue(LinearAlgebra.get().isNative(), "the bundled OpenBLAS does not load here");
        Lapack nativeLapack = LinearAlgebra.get().lapack();
        Lapack javaLapack = LinearAlgebra.java().lapack();
        double[] a = FirstUseRace.symmetric();
        double[] before = a.clone();
        double[] w = nativeLapack.symmetricEigenvalues(FirstUseRace.N, a);
        double[] wJava = javaLapack.symmetricEigenvalues(FirstUseRace.N, a);
        assertArrayEquals(before, a, 0.0, "input not modified");
        // Both backward stable: eigenvalues within a few n·ε·‖A‖ of each other (‖A‖ ≈ 6 here).
        double tol = 100 * FirstUseRace.N * Math.ulp(w[w.length - 1]);
        assertArrayEquals(wJava, w, tol);
        // The same matrix at other heap addresses (garbage in between moves the arrays): the same bits.
        Random r = new Random(7);
        for (int i = 0; i < 30; i++) {
            double[] garbage = new double[1 + r.nextInt(1000)];
            garbage[0] = i;
            double[] again = nativeLapack.symmetricEigenvalues(FirstUseRace.N, a.clone());
            assertArrayEquals(w, again, 0.0, "call " + i);
        }
        double[] sNative = FirstUseRace.solveBoth(nativeLapack);
        double[] sJava = FirstUseRace.solveBoth(javaLapack);
        // Least squares on a well-conditioned 30×40 system: min-norm solutions agree to ~1e-13.
        assertArrayEquals(sJava, sNative, 1e-11);
        assertEquals(FirstUseRace.ROWS, (int) sNative[sNative.length - 1], "full row rank");
    }
}
