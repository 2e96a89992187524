package org.overparam.sweep.search.adaptive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.TimedOutcome;

/**
 * A simulated oracle with critical slowing down (theory.md §8), no networks trained: each trial (n, m, repeat)
 * has its own threshold {@code m*_i = c n^p e^{s ε_i}} (ε_i logistic), never converges at or below it, and above
 * it converges at step {@code t_c = T0(n) (m/m*_i − 1)^{−ν}} with {@code T0(n) = t0 n^κ}. Its budget-free P(m, n) is
 * the logistic {@code F((ln m − ln c − p ln n)/s)}; with a budget T the apparent threshold is larger by the factor
 * {@code 1 + (T0(n)/T)^{1/ν}}, the more at larger n (κ > 0), so a fixed-budget exponent is biased up. A trial's
 * latent draw depends only on the study's seed and its (n, m, repeat): a rerun with a larger budget is the same trial.
 */
final class SlowingDownOracle implements LadderStudy.Runner {
    private final double c;
    private final double p;
    private final double s;
    private final double t0;
    private final double kappa;
    private final double nu;
    private final long seed;
    private final Map<Long, Integer> repeats = new HashMap<>();
    private int trialsRun;
    private long stepsRun;

    SlowingDownOracle(double c, double p, double s, double t0, double kappa, double nu, long seed) {
        this.c = c;
        this.p = p;
        this.s = s;
        this.t0 = t0;
        this.kappa = kappa;
        this.nu = nu;
        this.seed = seed;
    }

    /** The true exponent of the budget-free threshold. */
    double p() {
        return p;
    }

    int trialsRun() {
        return trialsRun;
    }

    long stepsRun() {
        return stepsRun;
    }

    @Override
    public List<TimedOutcome> run(List<Outcome> planned, int budget) {
        List<TimedOutcome> out = new ArrayList<>();
        for (Outcome o : planned) {
            int k = repeats.merge((long) o.n() << 32 | o.m(), 1, Integer::sum) - 1;
            out.add(trial(o.n(), o.m(), k, budget));
        }
        return out;
    }

    @Override
    public List<TimedOutcome> rerun(List<TimedOutcome> trials, int budget) {
        List<TimedOutcome> out = new ArrayList<>();
        for (TimedOutcome t : trials) {
            out.add(trial(t.n(), t.m(), t.repeat(), budget));
        }
        return out;
    }

    /** The first step at which trial (n, m, repeat) reaches the tolerance; MAX_VALUE when it never does. */
    long convergenceStep(int n, int m, int repeat) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ ((long) n * 1_000_003L + m) * 31 + repeat);
        double u = rng.nextDouble();
        double eps = Math.log(u / (1 - u));
        double own = c * Math.pow(n, p) * Math.exp(s * eps);
        if (m <= own) {
            return Long.MAX_VALUE;
        }
        double t = t0 * Math.pow(n, kappa) * Math.pow(m / own - 1, -nu);
        return (long) Math.ceil(Math.max(1, t));
    }

    private TimedOutcome trial(int n, int m, int repeat, int budget) {
        long t = convergenceStep(n, m, repeat);
        trialsRun++;
        stepsRun += Math.min(t, budget);
        return t <= budget ? TimedOutcome.converged(n, m, repeat, budget, (int) t) : TimedOutcome.censored(n, m, repeat, budget);
    }
}
