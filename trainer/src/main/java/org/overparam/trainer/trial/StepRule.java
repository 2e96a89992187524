package org.overparam.trainer.trial;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a trial's GD step follows from the grid's {@code eta}: {@code step = eta / (n^a · m^b)}
 * ({@code grid.eta_per}, e.g. {@code n m^2}). The losses are sums over the n examples, so the kernel and the
 * largest stable step scale like {@code 1/n}; some parametrizations add a power of the width (grelu's
 * gradient grows like m², smooth's second layer like m). A rule keeps one {@code eta} meaningful over a
 * whole threshold curve, so the group of a threshold is (model, α, d, η-rule, data) as theory.md §6 has it.
 * {@link #NONE} ({@code a = b = 0}) is the plain step.
 *
 * @param nPower a, the power of n divided out, in [0, 4]
 * @param mPower b, the power of the width divided out, in [0, 4]
 */
public record StepRule(double nPower, double mPower) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The plain step: {@code step = eta}. */
    public static final StepRule NONE = new StepRule(0, 0);

    public StepRule {
        if (!(nPower >= 0 && nPower <= 4) || !(mPower >= 0 && mPower <= 4)) {
            throw new IllegalArgumentException("step rule powers must be in [0, 4], got n^" + nPower + " m^" + mPower);
        }
    }

    /** The step of a trial with this {@code eta} at n examples and width m. */
    public double step(double eta, int n, int m) {
        return this.equals(NONE) ? eta : eta / (Math.pow(n, nPower) * Math.pow(m, mPower));
    }

    /** The rule as written in configs and trial rows: {@code n m^2}, {@code n}, {@code m}; "" for NONE. */
    public String canonical() {
        StringBuilder b = new StringBuilder();
        term(b, "n", nPower);
        term(b, "m", mPower);
        return b.toString();
    }

    private static void term(StringBuilder b, String name, double power) {
        if (power == 0) {
            return;
        }
        if (b.length() > 0) {
            b.append(' ');
        }
        b.append(name);
        if (power != 1) {
            b.append('^').append(power == Math.rint(power) ? Long.toString((long) power) : Double.toString(power));
        }
    }

    /**
     * Parses {@code "n m^2"}, {@code "n"}, {@code "m^0.5"}, {@code "1"} or {@code "none"} (factors separated by
     * spaces or {@code *}, each of n and m at most once).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static StepRule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("1") || t.isEmpty()) {
            return NONE;
        }
        double n = 0;
        double m = 0;
        boolean seenN = false;
        boolean seenM = false;
        for (String factor : t.split("[\\s*]+")) {
            String[] parts = factor.split("\\^", -1);
            if (parts.length > 2 || !(parts[0].equals("n") || parts[0].equals("m"))) {
                throw new IllegalArgumentException("'" + text + "': factors are n or m with an optional power, e.g. 'n m^2'");
            }
            double power;
            try {
                power = parts.length == 2 ? Double.parseDouble(parts[1]) : 1.0;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the power of " + parts[0] + " is not a number");
            }
            if (!(power > 0 && power <= 4)) {
                throw new IllegalArgumentException("'" + text + "': powers must be in (0, 4]");
            }
            if (parts[0].equals("n")) {
                if (seenN) {
                    throw new IllegalArgumentException("'" + text + "': n appears twice");
                }
                seenN = true;
                n = power;
            } else {
                if (seenM) {
                    throw new IllegalArgumentException("'" + text + "': m appears twice");
                }
                seenM = true;
                m = power;
            }
        }
        return new StepRule(n, m);
    }
}
