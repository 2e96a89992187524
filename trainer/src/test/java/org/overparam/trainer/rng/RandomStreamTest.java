package org.overparam.trainer.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link RandomStream}: keying and the distribution of its draws. */
class RandomStreamTest {
    private static final int N = 100_000;

    private static double[] gaussians(RandomStream r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextGaussian();
        }
        return out;
    }

    @Test
    void samePurposeAndPartsGiveTheSameSequence() {
        Supplier<RandomStream> make = () -> RandomStream.of("init", 7, 50);
        RandomStream a = make.get();
        RandomStream b = make.get();
        for (int i = 0; i < 1000; i++) {
            assertEquals(Double.doubleToRawLongBits(a.nextGaussian()), Double.doubleToRawLongBits(b.nextGaussian()));
            assertEquals(a.nextUniform(), b.nextUniform(), 0.0);
            assertEquals(a.nextSign(), b.nextSign(), 0.0);
        }
        assertEquals(RandomStream.seedOf("init", 7, 50), RandomStream.seedOf("init", 7, 50));
    }

    @Test
    void differentKeysGiveDifferentSequences() {
        double[] base = gaussians(RandomStream.of("init", 7, 50), 64);
        RandomStream[] others = {
            RandomStream.of("init", 8, 50),
            RandomStream.of("init", 7, 51),
            RandomStream.of("init", 50, 7),   // order of parts matters
            RandomStream.of("init", 7, 50, 0), // number of parts matters
            RandomStream.of("init", 7),
            RandomStream.of("data", 7, 50),
            RandomStream.of("init ", 7, 50),
        };
        for (RandomStream o : others) {
            assertFalse(Arrays.equals(base, gaussians(o, 64)));
        }
        assertTrue(RandomStream.seedOf("x") != RandomStream.seedOf("x", 0));
        assertTrue(RandomStream.seedOf("a", 1) != RandomStream.seedOf("b", 1));
    }

    @Test
    void gaussianMomentsMatchTheStandardNormal() {
        double[] z = gaussians(RandomStream.of("test/gauss", 1), N);
        double mean = Arrays.stream(z).average().orElseThrow();
        double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / (N - 1);
        double fourth = Arrays.stream(z).map(v -> v * v * v * v).average().orElseThrow();
        double tail = Arrays.stream(z).filter(v -> Math.abs(v) > 1.959963984540054).count() / (double) N;
        double lag1 = 0;
        for (int i = 1; i < N; i++) {
            lag1 += z[i] * z[i - 1];
        }
        lag1 /= N - 1;
        // CLT tolerances, 5 standard errors each, for N(0,1):
        assertEquals(0.0, mean, 5 / Math.sqrt(N));                 // s.e. 1/√N
        assertEquals(1.0, var, 5 * Math.sqrt(2.0 / N));            // s.e. √(2/N)
        assertEquals(3.0, fourth, 5 * Math.sqrt(96.0 / N));        // Var z⁴ = 105 − 9 = 96
        assertEquals(0.05, tail, 5 * Math.sqrt(0.05 * 0.95 / N));  // P(|z| > 1.96) = 0.05
        assertEquals(0.0, lag1, 5 / Math.sqrt(N));                 // consecutive draws (Box–Muller pairs) uncorrelated
    }

    @Test
    void uniformsAndSignsHaveTheRightMoments() {
        RandomStream r = RandomStream.of("test/uniform", 2);
        double sum = 0;
        double signs = 0;
        for (int i = 0; i < N; i++) {
            double u = r.nextUniform();
            assertTrue(u >= 0 && u < 1);
            sum += u;
            double s = r.nextSign();
            assertTrue(s == 1.0 || s == -1.0);
            signs += s;
        }
        assertEquals(0.5, sum / N, 5 * Math.sqrt(1.0 / 12 / N)); // Var U = 1/12
        assertEquals(0.0, signs / N, 5 / Math.sqrt(N));          // Var sign = 1
    }

    @Test
    void fillGaussianWritesOnlyItsRangeAndContinuesTheStream() {
        RandomStream a = RandomStream.of("fill", 3);
        RandomStream b = RandomStream.of("fill", 3);
        double[] out = new double[10];
        Arrays.fill(out, -99.0);
        a.fillGaussian(out, 3, 5);
        double[] expected = gaussians(b, 5);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 3, 8));
        for (int i : new int[] {0, 1, 2, 8, 9}) {
            assertEquals(-99.0, out[i], 0.0);
        }
        assertEquals(b.nextGaussian(), a.nextGaussian(), 0.0, "the spare of a pair carries over");
    }
}
