package org.overparam.trainer.data;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A prefix-consistent generator with a held-out set: a trial trained on the first {@code n} examples
 * is tested on the next {@code ⌈n f/(1 − f)⌉} (so the held-out part is the fraction {@code f} of all the
 * examples drawn). They come from the same distribution and never overlap the training examples.
 */
public record WithHeldOut(DataSource inner, double testFraction) implements DataSource {
    private static final long serialVersionUID = 1L;

    public WithHeldOut {
        java.util.Objects.requireNonNull(inner, "inner");
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
    }

    /** The held-out count for {@code n} training examples. */
    public static int heldOutCount(int n, double testFraction) {
        return (int) Math.max(1, Math.ceil(n * testFraction / (1 - testFraction) - 1e-9));
    }

    @Override
    public Dataset load(int n, int d) {
        return inner.load(n, d);
    }

    @Override
    public Dataset load(int n, int d, int dy) {
        return inner.load(n, d, dy);
    }

    @Override
    public Dataset heldOut(int n, int d, int dy) {
        int t = heldOutCount(n, testFraction);
        Dataset all = inner.load(n + t, d, dy);
        return new Dataset(t, d, Arrays.copyOfRange(all.x(), n * d, (n + t) * d),
                Arrays.copyOfRange(all.y(), n * dy, (n + t) * dy), dy);
    }

    @Override
    public String identity() {
        return inner.identity() + "+heldout(fraction=" + testFraction + ")";
    }

    @Override
    public OptionalInt fixedDimension() {
        return inner.fixedDimension();
    }

    @Override
    public int maxExamples() {
        return inner.maxExamples();
    }

    @Override
    public OptionalInt fixedOutputs() {
        return inner.fixedOutputs();
    }
}
