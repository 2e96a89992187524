package org.overparam.trainer.linalg;

/**
 * Run in a fresh JVM by {@link LinearAlgebraFallbackTest}: uses this JVM's linear algebra from two threads
 * (the choice is made once) and prints what it chose and the race problem's eigenvalue bits.
 */
public final class LinearAlgebraProbe {
    private LinearAlgebraProbe() {
    }

    public static void main(String[] args) throws Exception {
        Thread other = new Thread(() -> FirstUseRace.solveBoth(LinearAlgebra.get().lapack()));
        other.start();
        double[] result = FirstUseRace.solveBoth(LinearAlgebra.get().lapack());
        other.join();
        System.out.println("name=" + LinearAlgebra.get().name());
        System.out.println("native=" + LinearAlgebra.get().isNative());
        System.out.println("blas=" + RowMajorBlas.best().implementation());
        System.out.println("bits=" + FirstUseRace.hex(result));
    }
}
