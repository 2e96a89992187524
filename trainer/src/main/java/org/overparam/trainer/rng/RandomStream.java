package org.overparam.trainer.rng;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A deterministic stream of uniform and Gaussian draws, identical on every JVM and platform.
 *
 * <p>Uniforms come from {@link SplittableRandom} (SplitMix64, fixed by its specification); Gaussians
 * from the Box–Muller transform evaluated with {@link StrictMath}, so that no JIT intrinsic or JDK
 * version changes a single bit of a trial's data or initialization. Streams are keyed by a purpose
 * string and integer parts (see {@link #of}), so data and initialization never share draws.
 */
public final class RandomStream {
    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    private RandomStream(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * The stream for a purpose (e.g. {@code "init"}) and key parts (e.g. seed and dimension).
     * Different purposes or parts give statistically independent streams.
     */
    public static RandomStream of(String purpose, long... parts) {
        return new RandomStream(seedOf(purpose, parts));
    }

    /** A 64-bit seed mixing a purpose string and parts with the SplitMix64 finalizer. */
    public static long seedOf(String purpose, long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        h = mix(h ^ parts.length);
        for (long p : parts) {
            h = mix(h ^ p);
        }
        return h;
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1). */
    public double nextUniform() {
        return random.nextDouble();
    }

    /** +1 or −1 with probability ½ each. */
    public double nextSign() {
        return (random.nextLong() & 1L) == 0L ? 1.0 : -1.0;
    }

    /** A standard normal draw (Box–Muller, both values of each pair used). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 == 0.0);
        double u2 = random.nextDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2.0 * StrictMath.PI * u2;
        spareGaussian = radius * StrictMath.sin(angle);
        hasSpare = true;
        return radius * StrictMath.cos(angle);
    }

    /** Fills {@code out[from, from+len)} with standard normal draws. */
    public void fillGaussian(double[] out, int from, int len) {
        for (int i = from; i < from + len; i++) {
            out[i] = nextGaussian();
        }
    }
}
