package org.overparam.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The stuck rule's false positives (docs/validation.md §6): every trial of two grids near their transition is
 * trained once, without the rule, for {@code 64 T} steps (or until it converges or diverges); the rule is a pure
 * function of the loss record and does not change the trajectory, so that one record gives the trial's verdict at
 * budget {@code T} under every horizon: stuck at the first checkpoint ({@code 2^k ≥ 1024} below {@code T}, then
 * {@code T} itself) where the rule holds before the trial converged or diverged. A false positive is a trial called
 * stuck that converges within {@code 64 T} (and within {@code 8 T}); "truly stuck" is one that does not converge
 * within {@code 64 T}. Prints one table per grid and budget (default budgets 2000, 4000, 8000; about 10 minutes on one
 * core).
 *
 * <pre>
 *   mvn -B -ntp -o -q -pl trainer test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java @conf/jvm-options -cp trainer/target/test-classes:trainer/target/classes:$(cat trainer/target/cp.txt) \
 *       org.overparam.trainer.bench.StuckRuleStudy [T ...]
 * </pre>
 */
public final class StuckRuleStudy {
    private static final int[] HORIZONS = {8, 16, 24, 32, 48, 64, 128};

    private StuckRuleStudy() {
    }

    /** One trial's long record. */
    private record Trial(String group, TrialSpec spec, double[] losses, int converged, int diverged) {
    }

    public static void main(String[] args) {
        int[] budgets = args.length == 0 ? new int[] {2000, 4000, 8000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int longest = 64 * java.util.Arrays.stream(budgets).max().orElseThrow();
        List<Trial> trials = new ArrayList<>();
        TrialRunner runner = new TrialRunner();
        long t0 = System.nanoTime();
        // (A) the quickstart: wn, alpha 1, Gaussian targets on the sphere in d = 6, eta 0.5, tolerance 1e-4
        SphereData gauss = new SphereData(SphereTarget.GAUSSIAN, 0);
        for (int n : new int[] {10, 20, 40, 80}) {
            for (int m : new int[] {4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128}) {
                for (long seed = 0; seed < 8; seed++) {
                    trials.add(train(runner, "A wn d=6", new TrialSpec(ModelKind.WN, 1.0, m, n, 6, 0.5, seed, gauss.identity(),
                            longest, 1e-4), gauss));
                }
            }
        }
        // (B) atlas-like: relu, random signs on the sphere in d = 16, eta 0.2, tolerance 1e-3
        SphereData signs = new SphereData(SphereTarget.SIGN, 0);
        for (int n : new int[] {16, 32, 64, 128}) {
            for (int m : new int[] {2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}) {
                for (long seed = 0; seed < 4; seed++) {
                    trials.add(train(runner, "B relu d=16", new TrialSpec(ModelKind.RELU, null, m, n, 16, 0.2, seed,
                            signs.identity(), longest, 1e-3), signs));
                }
            }
        }
        // (C) atlas-like: wn at alpha 0.5 (Thm 4.1's regime), random signs in d = 16, eta 0.2, tolerance 1e-3
        for (int n : new int[] {16, 32, 64, 128}) {
            for (int m : new int[] {2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}) {
                for (long seed = 0; seed < 4; seed++) {
                    trials.add(train(runner, "C wn a=0.5 d=16", new TrialSpec(ModelKind.WN, 0.5, m, n, 16, 0.2, seed,
                            signs.identity(), longest, 1e-3), signs));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d trials trained to %d steps (or convergence/divergence) in %.0f s%n", trials.size(),
                longest, (System.nanoTime() - t0) / 1e9);
        for (int budget : budgets) {
            report(trials, budget);
        }
        if (System.getProperty("study.details") != null) {
            details(trials, budgets[budgets.length - 1], Integer.getInteger("study.details"));
        }
    }

    private static Trial train(TrialRunner runner, String group, TrialSpec spec, DataSource source) {
        Dataset data = source.load(spec.n(), spec.d());
        TwoLayerReluNet net = runner.build(spec, data);
        TrainingRun run = new GradientDescent(spec.stepSize(), new StopRule(spec.steps(), spec.tolerance())).run(net);
        int converged = -1;
        int diverged = -1;
        switch (run.outcome()) {
            case CONVERGED -> converged = run.steps();
            case DIVERGED -> diverged = run.steps();
            default -> {
            }
        }
        return new Trial(group, spec, run.losses(), converged, diverged);
    }

    /** The step at which {@code t} stops stuck under horizon {@code h} at budget {@code budget}, −1 if it does not. */
    static int stuckAt(Trial t, int h, int budget) {
        StuckRule rule = new StuckRule(h);
        int ends = budget;
        if (t.converged() >= 0) {
            ends = Math.min(ends, t.converged() - 1);   // at its converging step the stop rule decides first
        }
        if (t.diverged() >= 0) {
            ends = Math.min(ends, t.diverged() - 1);
        }
        for (int c = StuckRule.FIRST_CHECKPOINT; c <= ends; c = c < budget && 2L * c > budget ? budget : 2 * c) {
            if (rule.verdict(t.losses(), c, t.spec().tolerance(), budget) != null) {
                return c;
            }
            if (c == budget) {
                break;
            }
        }
        return -1;
    }

    /** The trials stuck by 64T that horizon {@code h} does not call stuck at {@code budget}, and its false positives. */
    private static void details(List<Trial> trials, int budget, int h) {
        System.out.printf(Locale.ROOT, "%nhorizon %d, T = %d: missed truly stuck trials and false positives%n", h, budget);
        for (Trial t : trials) {
            boolean decidedByT = (t.converged() >= 0 && t.converged() <= budget) || (t.diverged() >= 0 && t.diverged() <= budget);
            if (decidedByT) {
                continue;
            }
            int at = stuckAt(t, h, budget);
            boolean conv64 = t.converged() >= 0 && t.converged() <= 64 * budget;
            if ((at < 0 && !conv64) || (at >= 0 && conv64)) {
                double[] l = t.losses();
                double tol = t.spec().tolerance();
                StringBuilder b = new StringBuilder(at < 0 ? "missed " : "FP at " + at + " ");
                b.append(String.format(Locale.ROOT, "%s n=%d m=%d seed=%d conv=%d:", t.group(), t.spec().n(), t.spec().m(),
                        t.spec().seed(), t.converged()));
                for (int s = 1024; s < l.length; s *= 2) {
                    double slope = org.overparam.trainer.fit.LogSlope.over(l, s / 2, s);
                    double proj = org.overparam.trainer.fit.LogSlope.stepsTo(l[s], tol * l[0], slope);
                    b.append(String.format(Locale.ROOT, " %d:%.1e/%.1f", s, l[s] / l[0], proj / s));
                }
                System.out.println(b);
            }
        }
    }

    private static void report(List<Trial> trials, int budget) {
        for (String group : trials.stream().map(Trial::group).distinct().toList()) {
            List<Trial> in = trials.stream().filter(t -> t.group().equals(group)).toList();
            int convergedByT = 0;
            int diverged = 0;
            int censored = 0;
            int lateConverged8 = 0;
            int lateConverged64 = 0;
            long stepsWithout = 0;
            for (Trial t : in) {
                boolean conv = t.converged() >= 0 && t.converged() <= budget;
                boolean div = t.diverged() >= 0 && t.diverged() <= budget;
                convergedByT += conv ? 1 : 0;
                diverged += div ? 1 : 0;
                if (!conv && !div) {
                    censored++;
                    lateConverged8 += t.converged() >= 0 && t.converged() <= 8 * budget ? 1 : 0;
                    lateConverged64 += t.converged() >= 0 && t.converged() <= 64 * budget ? 1 : 0;
                }
                stepsWithout += conv ? t.converged() : div ? t.diverged() : budget;
            }
            int trulyStuck = censored - lateConverged64;
            System.out.printf(Locale.ROOT, "%n%s, T = %d: %d trials; by T %d converged, %d diverged, %d not decided (of them %d"
                    + " converge within 8T, %d within 64T, %d never within 64T: truly stuck)%n", group, budget, in.size(),
                    convergedByT, diverged, censored, lateConverged8, lateConverged64, trulyStuck);
            System.out.println("| horizon | called stuck | before T | FP (conv. ≤ 8T) | FP (conv. ≤ 64T) | FP rate | truly stuck called | truly stuck stopped before T | steps saved |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (int h : HORIZONS) {
                int called = 0;
                int early = 0;
                int fp8 = 0;
                int fp64 = 0;
                int caught = 0;
                int caughtEarly = 0;
                long saved = 0;
                for (Trial t : in) {
                    int at = stuckAt(t, h, budget);
                    if (at < 0) {
                        continue;
                    }
                    called++;
                    early += at < budget ? 1 : 0;
                    saved += budget - at;
                    boolean conv8 = t.converged() >= 0 && t.converged() <= 8 * budget;
                    boolean conv64 = t.converged() >= 0 && t.converged() <= 64 * budget;
                    fp8 += conv8 ? 1 : 0;
                    fp64 += conv64 ? 1 : 0;
                    caught += conv64 ? 0 : 1;
                    caughtEarly += !conv64 && at < budget ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %s | %d of %d | %d | %.0f %% |%n", h, called, early, fp8, fp64,
                        called == 0 ? "—" : String.format(Locale.ROOT, "%.1f %%", 100.0 * fp64 / called), caught, trulyStuck,
                        caughtEarly, 100.0 * saved / stepsWithout);
            }
        }
    }
}
