package org.overparam.trainer.gd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.TrainableNet;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * {@link GradientDescent} with a {@link StepObserver}: {@code observe} exactly at the wanted steps that
 * are reached (0 included), with the net in its post-update state for that step, and {@code finish}
 * exactly once with the final step and loss, whatever the outcome (including a stop at step 0).
 * Post-update state is checked against a by-hand replay (single-threaded GD on the same draws is
 * bit-reproducible, as {@link GradientDescentTest} shows), so comparisons are exact.
 */
class StepObserverTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final Dataset DATA = new SphereData(SphereTarget.SIGN, 1).load(10, 20);
    private static final InitialDraws INIT = InitialDraws.draw(7, 64, 20);

    /** Records every call GD makes, with the net's parameters and outputs at each observe. */
    static final class Recorder implements StepObserver {
        final Set<Integer> wanted;
        final TrainableNet net;
        final List<Integer> asked = new ArrayList<>();
        final List<Integer> observedSteps = new ArrayList<>();
        final List<Double> observedLosses = new ArrayList<>();
        final List<double[]> observedParams = new ArrayList<>();
        final List<double[]> observedOutputs = new ArrayList<>();
        final List<Integer> finishSteps = new ArrayList<>();
        final List<Double> finishLosses = new ArrayList<>();

        Recorder(TrainableNet net, Integer... wanted) {
            this.net = net;
            this.wanted = new TreeSet<>(List.of(wanted));
        }

        @Override
        public boolean wants(int step) {
            asked.add(step);
            return wanted.contains(step);
        }

        @Override
        public void observe(int step, double loss) {
            assertTrue(finishSteps.isEmpty(), "no observe after finish");
            observedSteps.add(step);
            observedLosses.add(loss);
            observedParams.add(net == null ? null : net.parameters());
            observedOutputs.add(net == null ? null : net.outputs());
        }

        @Override
        public void finish(int step, double loss) {
            finishSteps.add(step);
            finishLosses.add(loss);
        }
    }

    private static Supplier<WeightNormNet> wn(double alpha) {
        return () -> new WeightNormNet(DATA, INIT, alpha, BLAS);
    }

    /** Parameters, loss and outputs after {@code steps} updates, replayed by hand on a fresh net. */
    private static Object[] replay(Supplier<WeightNormNet> make, double eta, int steps) {
        WeightNormNet net = make.get();
        double loss = net.forward();
        for (int s = 0; s < steps; s++) {
            net.step(eta);
            loss = net.forward();
        }
        return new Object[] {net.parameters(), loss, net.outputs()};
    }

    private static void assertObservedExactly(Recorder r, TrainingRun run, Supplier<WeightNormNet> make, double eta) {
        List<Integer> expected = new ArrayList<>();
        for (int s : r.wanted) {
            if (s <= run.steps()) {
                expected.add(s);
            }
        }
        assertEquals(expected, r.observedSteps, "observe exactly at the wanted steps reached, ascending, once each");
        List<Integer> everyStep = new ArrayList<>();
        for (int s = 0; s <= run.steps(); s++) {
            everyStep.add(s);
        }
        assertEquals(everyStep, r.asked, "wants() asked once per step, 0..final");
        for (int j = 0; j < r.observedSteps.size(); j++) {
            int s = r.observedSteps.get(j);
            Object[] ref = replay(make, eta, s);
            assertEquals(run.losses()[s], r.observedLosses.get(j), 0.0, "observed loss = losses[" + s + "]");
            assertEquals((double) ref[1], r.observedLosses.get(j), 0.0, "loss after " + s + " updates");
            assertArrayEquals((double[]) ref[0], r.observedParams.get(j), 0.0, "parameters after " + s + " updates");
            assertArrayEquals((double[]) ref[2], r.observedOutputs.get(j), 0.0, "outputs of the forward after update " + s);
        }
        assertEquals(List.of(run.steps()), r.finishSteps, "finish once, with the final step");
        assertEquals(run.finalLoss(), r.finishLosses.get(0), 0.0);
    }

    @Test
    void maxStepsRunObservesTheWantedStepsAndFinishesOnce() {
        Supplier<WeightNormNet> make = wn(1.0);
        WeightNormNet net = make.get();
        Recorder r = new Recorder(net, 0, 1, 2, 5, 17, 40);
        TrainingRun run = new GradientDescent(0.5, new StopRule(30, 1e-12)).run(net, r);
        assertEquals(Outcome.CENSORED, run.outcome());
        assertEquals(30, run.steps());
        assertObservedExactly(r, run, make, 0.5);
        assertEquals(List.of(0, 1, 2, 5, 17), r.observedSteps);
    }

    @Test
    void theFinalStepIsObservedWhenWantedAndStillFinished() {
        Supplier<WeightNormNet> make = wn(2.0);
        WeightNormNet net = make.get();
        Recorder r = new Recorder(net, 3, 12);
        TrainingRun run = new GradientDescent(0.5, new StopRule(12, 1e-12)).run(net, r);
        assertEquals(12, run.steps());
        assertObservedExactly(r, run, make, 0.5);
        assertEquals(List.of(3, 12), r.observedSteps, "step 0 only when wanted");
    }

    @Test
    void convergedAndDivergedRunsFinishAtTheirLastStep() {
        Supplier<WeightNormNet> make = wn(1.0);
        WeightNormNet net = make.get();
        Recorder r = new Recorder(net, 0, 4, 20, 100_000);
        TrainingRun run = new GradientDescent(0.5, new StopRule(5000, 1e-4)).run(net, r);
        assertEquals(Outcome.CONVERGED, run.outcome());
        assertTrue(run.steps() > 20 && run.steps() < 5000, "precondition: converges after step 20, at " + run.steps());
        assertObservedExactly(r, run, make, 0.5);

        Supplier<WeightNormNet> wild = wn(0.3);
        WeightNormNet blowUp = wild.get();
        Recorder rd = new Recorder(blowUp, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        TrainingRun diverged = new GradientDescent(1e4, new StopRule(1000, 1e-6)).run(blowUp, rd);
        assertEquals(Outcome.DIVERGED, diverged.outcome());
        assertTrue(diverged.steps() <= 10, "precondition: blows up within the observed steps");
        assertObservedExactly(rd, diverged, wild, 1e4);
    }

    @Test
    void stoppingAtStepZeroStillObservesAndFinishesOnce() {
        // Zero budget: observe(0) (wanted), then finish(0, loss0).
        Supplier<WeightNormNet> make = wn(1.0);
        WeightNormNet net = make.get();
        Recorder r = new Recorder(net, 0, 1);
        TrainingRun run = new GradientDescent(0.5, new StopRule(0, 1e-6)).run(net, r);
        assertEquals(0, run.steps());
        assertObservedExactly(r, run, make, 0.5);
        assertEquals(List.of(0), r.observedSteps);

        // Already converged at step 0 (zero loss): same.
        GradientDescentTest.ScriptedNet zero = new GradientDescentTest.ScriptedNet(s -> 0.0);
        Recorder rz = new Recorder(null, 0);
        TrainingRun converged = new GradientDescent(1, new StopRule(10, 0.5)).run(zero, rz);
        assertEquals(Outcome.CONVERGED, converged.outcome());
        assertEquals(List.of(0), rz.observedSteps);
        assertEquals(List.of(0.0), rz.observedLosses);
        assertEquals(List.of(0), rz.finishSteps);
        assertEquals(0, zero.updates);

        // Not wanted at all: finish is still called once.
        Recorder none = new Recorder(null);
        new GradientDescent(1, new StopRule(10, 0.5)).run(new GradientDescentTest.ScriptedNet(s -> 0.0), none);
        assertTrue(none.observedSteps.isEmpty());
        assertEquals(List.of(0), none.finishSteps);

        // A non-finite initial loss: GD returns at once; finish(0, NaN) is the only call.
        Recorder rn = new Recorder(null, 0);
        TrainingRun bad = new GradientDescent(1, new StopRule(10, 0.5))
                .run(new GradientDescentTest.ScriptedNet(Double.NaN, 1.0), rn);
        assertEquals(Outcome.DIVERGED, bad.outcome());
        assertEquals(List.of(0), rn.finishSteps);
        assertTrue(Double.isNaN(rn.finishLosses.get(0)));
        assertTrue(rn.observedSteps.isEmpty(), "observe is skipped for a non-finite start (finish handles it)");
    }

    @Test
    void theNoneObserverWantsNothing() {
        for (int s : new int[] {0, 1, 7, 1 << 20}) {
            assertTrue(!StepObserver.NONE.wants(s));
        }
        TrainingRun a = new GradientDescent(0.5, new StopRule(20, 1e-12)).run(wn(1.0).get(), StepObserver.NONE);
        TrainingRun b = new GradientDescent(0.5, new StopRule(20, 1e-12)).run(wn(1.0).get());
        assertArrayEquals(b.losses(), a.losses(), 0.0, "an observer does not change the run");
        Recorder r = new Recorder(null);
        TrainingRun c = new GradientDescent(0.5, new StopRule(20, 1e-12)).run(wn(1.0).get(), r);
        assertArrayEquals(b.losses(), c.losses(), 0.0);
    }
}
