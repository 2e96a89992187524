package org.overparam.trainer.gd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.TrainableNet;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * {@link GradientDescent} and {@link StopRule}: the three outcomes and the loss-array semantics
 * ({@code losses[s]} = loss after s updates, length steps+1), first on scripted nets whose loss is a
 * known function of the number of updates, then on real wn/relu nets replayed by hand.
 */
class GradientDescentTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    /** A net whose loss after s updates is {@code script(s)}; records the calls GD makes. */
    static final class ScriptedNet implements TrainableNet {
        final IntToDoubleFunction script;
        int updates;
        int forwards;
        final List<Double> etas = new ArrayList<>();

        ScriptedNet(IntToDoubleFunction script) {
            this.script = script;
        }

        ScriptedNet(double... losses) {
            this(s -> losses[s]);
        }

        @Override
        public double forward() {
            forwards++;
            return script.applyAsDouble(updates);
        }

        @Override
        public void step(double eta) {
            etas.add(eta);
            updates++;
        }

        @Override
        public double[] gradient() {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] parameters() {
            return new double[0];
        }

        @Override
        public void setParameters(double[] theta) {
        }

        @Override
        public double[] outputs() {
            return new double[0];
        }
    }

    private static void assertLossesAreTheScript(TrainingRun run, ScriptedNet net) {
        assertEquals(run.steps() + 1, run.losses().length, "length steps+1");
        assertEquals(run.steps(), net.updates, "one update per step");
        assertEquals(run.steps() + 1, net.forwards, "one evaluation before the first update and after each");
        for (int s = 0; s <= run.steps(); s++) {
            assertEquals(net.script.applyAsDouble(s), run.losses()[s], 0.0, "losses[" + s + "] = loss after s updates");
        }
        assertEquals(run.losses()[0], run.initialLoss(), 0.0);
        assertEquals(run.losses()[run.steps()], run.finalLoss(), 0.0);
    }

    @Test
    void convergesAtTheFirstStepBelowTolerance() {
        double r = 0.9;
        double tol = 1e-5;
        ScriptedNet net = new ScriptedNet(s -> 3.0 * Math.pow(r, s));
        TrainingRun run = new GradientDescent(0.25, new StopRule(10_000, tol)).run(net);
        int expected = 0;
        while (3.0 * Math.pow(r, expected) > tol * 3.0) {
            expected++;
        }
        assertEquals(Outcome.CONVERGED, run.outcome());
        assertEquals(expected, run.steps());
        assertLossesAreTheScript(run, net);
        assertTrue(net.etas.stream().allMatch(e -> e == 0.25), "GD passes its η unchanged");
    }

    @Test
    void toleranceAndDivergenceBoundariesAreInclusiveAndExclusive() {
        // loss == tol·loss0 counts as converged (≤); all values are exact binary fractions.
        ScriptedNet atTol = new ScriptedNet(1.0, 0.5, 0.25, 0.125);
        TrainingRun run = new GradientDescent(1, new StopRule(10, 0.25)).run(atTol);
        assertEquals(Outcome.CONVERGED, run.outcome());
        assertEquals(2, run.steps());
        assertLossesAreTheScript(run, atTol);

        // loss == factor·loss0 is not a blow-up (>), the next value is.
        ScriptedNet growing = new ScriptedNet(2.0, 8.0, 32.0, 128.0, 512.0);
        run = new GradientDescent(1, new StopRule(10, 0.5, 64.0)).run(growing);
        assertEquals(Outcome.DIVERGED, run.outcome());
        assertEquals(4, run.steps(), "128 = 64·loss0 is allowed, 512 is not");
        assertLossesAreTheScript(run, growing);
    }

    @Test
    void nonFiniteLossDiverges() {
        ScriptedNet nan = new ScriptedNet(1.0, 0.9, Double.NaN, 0.1);
        TrainingRun run = new GradientDescent(1, new StopRule(10, 1e-3)).run(nan);
        assertEquals(Outcome.DIVERGED, run.outcome());
        assertEquals(2, run.steps());
        assertTrue(Double.isNaN(run.finalLoss()));
        assertEquals(3, run.losses().length);

        ScriptedNet inf = new ScriptedNet(1.0, Double.POSITIVE_INFINITY);
        run = new GradientDescent(1, new StopRule(10, 1e-3)).run(inf);
        assertEquals(Outcome.DIVERGED, run.outcome());
        assertEquals(1, run.steps());

        ScriptedNet badStart = new ScriptedNet(Double.NaN, 1.0);
        run = new GradientDescent(1, new StopRule(10, 1e-3)).run(badStart);
        assertEquals(Outcome.DIVERGED, run.outcome());
        assertEquals(0, run.steps());
        assertEquals(1, run.losses().length);
        assertEquals(0, badStart.updates, "no update from a non-finite start");
    }

    @Test
    void budgetExhaustionAndZeroBudget() {
        ScriptedNet slow = new ScriptedNet(s -> 1.0 / (1 + s));
        TrainingRun run = new GradientDescent(1, new StopRule(7, 1e-6)).run(slow);
        assertEquals(Outcome.CENSORED, run.outcome());
        assertEquals(7, run.steps());
        assertLossesAreTheScript(run, slow);

        ScriptedNet none = new ScriptedNet(s -> 1.0);
        run = new GradientDescent(1, new StopRule(0, 0.5)).run(none);
        assertEquals(Outcome.CENSORED, run.outcome());
        assertEquals(0, run.steps());
        assertEquals(0, none.updates);
        assertArrayEquals(new double[] {1.0}, run.losses());

        ScriptedNet zero = new ScriptedNet(s -> 0.0);
        run = new GradientDescent(1, new StopRule(5, 0.5)).run(zero);
        assertEquals(Outcome.CONVERGED, run.outcome(), "a zero initial loss is already converged");
        assertEquals(0, run.steps());
    }

    @Test
    void longRunsGrowTheLossArrayPastItsInitialCapacity() {
        // The array starts at min(maxSteps, 2^16)+1 entries; 100 000 updates of a cheap scripted net
        // exercise the growth path.
        int budget = 100_000;
        ScriptedNet flat = new ScriptedNet(s -> 1.0 + 1.0 / (s + 1));
        TrainingRun run = new GradientDescent(1, new StopRule(budget, 0.1)).run(flat);
        assertEquals(Outcome.CENSORED, run.outcome());
        assertEquals(budget, run.steps());
        assertLossesAreTheScript(run, flat);
    }

    @Test
    void invalidSettingsAreRejected() {
        StopRule ok = new StopRule(10, 0.1);
        for (double eta : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new GradientDescent(eta, ok), "eta=" + eta);
        }
        assertThrows(IllegalArgumentException.class, () -> new StopRule(-1, 0.1));
        for (double tol : new double[] {0.0, 1.0, -0.5, Double.NaN, 2.0}) {
            assertThrows(IllegalArgumentException.class, () -> new StopRule(10, tol), "tolerance=" + tol);
        }
        for (double factor : new double[] {1.0, 0.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new StopRule(10, 0.1, factor), "factor=" + factor);
        }
        assertEquals(StopRule.DEFAULT_DIVERGENCE_FACTOR, ok.divergenceFactor());
        assertEquals(1e6, StopRule.DEFAULT_DIVERGENCE_FACTOR, "the product brief's blow-up factor");
    }

    // ---- real nets -------------------------------------------------------------------------------

    private static Supplier<TrainableNet> tinyWn(double alpha) {
        Dataset data = new SphereData(SphereTarget.SIGN, 1).load(10, 20);
        InitialDraws init = InitialDraws.draw(7, 256, 20);
        return () -> new WeightNormNet(data, init, alpha, BLAS);
    }

    /** Replays GD by hand on a fresh net: loss before any update, then after each. */
    private static double[] replay(Supplier<TrainableNet> make, double eta, int steps) {
        TrainableNet net = make.get();
        double[] out = new double[steps + 1];
        out[0] = net.forward();
        for (int s = 1; s <= steps; s++) {
            net.step(eta);
            out[s] = net.forward();
        }
        return out;
    }

    @Test
    void tinyWnProblemConverges() {
        Supplier<TrainableNet> make = tinyWn(1.0);
        double tol = 1e-6;
        TrainingRun run = new GradientDescent(0.5, new StopRule(5000, tol)).run(make.get());
        double[] l = run.losses();
        double loss0 = make.get().forward();
        assertEquals(loss0, l[0], 0.0, "losses[0] is the loss at init");
        assertEquals(Outcome.CONVERGED, run.outcome());
        assertTrue(run.steps() > 0 && run.steps() < 5000);
        assertEquals(run.steps() + 1, l.length);
        assertTrue(l[run.steps()] <= tol * loss0, "final loss below tol·loss0");
        for (int s = 0; s < run.steps(); s++) {
            assertTrue(l[s] > tol * loss0, "stopped at the first step below tolerance, not " + s);
            assertTrue(Double.isFinite(l[s]) && l[s] <= StopRule.DEFAULT_DIVERGENCE_FACTOR * loss0);
        }
        // Deterministic single-threaded arithmetic: replaying the same updates gives the same bits.
        assertArrayEquals(replay(make, 0.5, run.steps()), l, "losses[s] = loss after s updates");
    }

    @Test
    void tooSmallBudgetStopsAtMaxSteps() {
        Supplier<TrainableNet> make = tinyWn(1.0);
        TrainingRun run = new GradientDescent(0.5, new StopRule(5, 1e-6)).run(make.get());
        assertEquals(Outcome.CENSORED, run.outcome());
        assertEquals(5, run.steps());
        assertEquals(6, run.losses().length);
        assertTrue(run.finalLoss() > 1e-6 * run.initialLoss());
        assertTrue(run.finalLoss() < run.initialLoss(), "η = 0.5 decreases the loss on this problem");
        assertArrayEquals(replay(make, 0.5, 5), run.losses());
    }

    @Test
    void hugeStepSizeDiverges() {
        Dataset data = new SphereData(SphereTarget.SIGN, 1).load(10, 20);
        InitialDraws init = InitialDraws.draw(7, 256, 20);
        List<Supplier<TrainableNet>> nets = List.of(tinyWn(1.0), tinyWn(0.3), () -> new ReluNet(data, init, BLAS));
        for (Supplier<TrainableNet> make : nets) {
            TrainingRun run = new GradientDescent(1e4, new StopRule(1000, 1e-6)).run(make.get());
            double[] l = run.losses();
            double blowUp = StopRule.DEFAULT_DIVERGENCE_FACTOR * l[0];
            assertEquals(Outcome.DIVERGED, run.outcome());
            assertTrue(run.steps() >= 1 && run.steps() < 1000);
            assertEquals(run.steps() + 1, l.length);
            double last = l[run.steps()];
            assertTrue(!Double.isFinite(last) || last > blowUp, "last loss blew up: " + last);
            for (int s = 0; s < run.steps(); s++) {
                assertTrue(Double.isFinite(l[s]) && l[s] <= blowUp, "stopped at the first blow-up, not " + s);
            }
            assertArrayEquals(replay(make, 1e4, run.steps()), l);
            assertFalse(l[0] == 0);
        }
    }
}
