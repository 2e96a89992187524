package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.AckleyData;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.DeepReluNet;
import org.overparam.trainer.nets.GReluNet;
import org.overparam.trainer.nets.GReluToRelu;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;

/**
 * The GReLU→ReLU switch in mid-training ({@code convert_at}, paper 002 Sec. 6.4): the converted ReLU net has
 * the GReLU's training outputs to rounding (n well below m/3), so the training loss is continuous at the
 * switch step to rounding; GD then goes on with the ReLU net; held-out predictions of both nets agree with
 * their training outputs on the training inputs (the GReLU's path regenerated from the seed).
 */
class GReluSwitchTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    @Test
    void convertedNetHasTheGReluOutputsAndPredictsLikeItsForward() {
        Dataset data = new AckleyData(3).load(6, 8, 1);
        GReluNet grelu = new GReluNet(data, 4, 48, 2, BLAS);
        GradientDescent gd = new GradientDescent(1e-3, new StopRule(10, 1e-12));
        gd.run(grelu);
        double loss = grelu.forward();
        DeepReluNet relu = GReluToRelu.toReluNet(grelu, BLAS);
        assertEquals(loss, relu.forward(), 1e-10 * loss, "the same training loss");
        double[] g = grelu.outputs();
        double[] r = relu.outputs();
        double[] gp = grelu.predict(data.x(), data.n());
        double[] rp = relu.predict(data.x(), data.n());
        for (int t = 0; t < g.length; t++) {
            assertEquals(g[t], r[t], 1e-9 * (1 + Math.abs(g[t])));
            assertEquals(g[t], gp[t], 1e-12 * (1 + Math.abs(g[t])), "GReLU prediction regenerates the path's gates");
            assertEquals(r[t], rp[t], 1e-12 * (1 + Math.abs(r[t])), "ReLU prediction with a linear last layer");
        }
    }

    @Test
    void trainingLossIsContinuousAtTheSwitchAndTrainingGoesOn() {
        DataSource data = new WithHeldOut(new AckleyData(2), 0.25);
        int convertAt = 7;
        TrialSpec switched = new TrialSpec(ModelKind.GRELU, null, 48, 8, 10, 2e-4, 1, data.identity(), 60, 1e-12,
                InstrumentSettings.OFF, ModelParams.deepConverted(2, 1, convertAt));
        TrialSpec plain = new TrialSpec(ModelKind.GRELU, null, 48, 8, 10, 2e-4, 1, data.identity(), 60, 1e-12,
                InstrumentSettings.OFF, ModelParams.deep(2, 1));
        TrialRunner runner = new TrialRunner(BLAS);
        TrialResult r = runner.run(switched, data);
        TrialResult p = runner.run(plain, data);
        assertNotEquals(Outcome.FAILED, r.status(), r.message());
        assertNotEquals(switched.id(), plain.id());
        double before = r.metric(TrialMetric.SWITCH_LOSS_BEFORE);
        double after = r.metric(TrialMetric.SWITCH_LOSS_AFTER);
        assertTrue(before > 0, "switched: " + before);
        assertEquals(before, after, 1e-9 * before, "continuous to rounding at the switch");
        int at = Arrays.binarySearch(r.curveSteps(), convertAt);
        assertEquals(after, r.curveLosses()[at], 0.0, "the curve holds the ReLU net's loss from the switch on");
        // up to the switch both runs are the same GReLU run
        int before6 = Arrays.binarySearch(p.curveSteps(), convertAt);
        assertEquals(p.curveLosses()[before6], before, 0.0);
        assertEquals(p.curveLosses()[before6 - 1], r.curveLosses()[at - 1], 0.0);
        // then GD trains the ReLU net: the loss keeps falling, and differs from the GReLU run's
        assertTrue(r.lossFinal() < after, after + " -> " + r.lossFinal());
        assertNotEquals(p.lossFinal(), r.lossFinal());
        assertTrue(Double.isFinite(r.metric(TrialMetric.SWITCH_TEST_MSE)));
        assertTrue(Double.isFinite(r.metric(TrialMetric.SWITCH_TEST_MSE_AFTER)));
        assertNotEquals(r.metric(TrialMetric.SWITCH_TEST_MSE), r.metric(TrialMetric.SWITCH_TEST_MSE_AFTER),
                "the two nets agree on the training inputs only");
        assertTrue(Double.isFinite(r.metric(TrialMetric.TEST_MSE)));
        assertTrue(Double.isNaN(r.metric(TrialMetric.GRELU_RELU_MAX_ABS_DIFF)), "no GReLU left to convert at the end");
        assertTrue(Double.isNaN(p.metric(TrialMetric.SWITCH_LOSS_BEFORE)), "no switch");
    }
}
