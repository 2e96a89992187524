package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.data.TeacherData;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.models.ModelAxes;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;

/** The step rule: parsing, the step it gives, its place in trial ids, and that every trainer takes that step. */
class StepRuleTest {

    @Test
    void parsesRulesAndWritesThemBackCanonically() {
        assertEquals(new StepRule(1, 2), StepRule.parse("n m^2"));
        assertEquals(new StepRule(1, 2), StepRule.parse(" n*m^2 "));
        assertEquals(new StepRule(0, 0.5), StepRule.parse("m^0.5"));
        assertEquals(StepRule.NONE, StepRule.parse("none"));
        assertEquals(StepRule.NONE, StepRule.parse("1"));
        assertEquals("n m^2", new StepRule(1, 2).canonical());
        assertEquals("m^0.5", new StepRule(0, 0.5).canonical());
        assertEquals("", StepRule.NONE.canonical());
        for (String bad : List.of("k", "n n", "m^x", "n^0", "n^9", "n^-1", "n^1^2")) {
            assertThrows(IllegalArgumentException.class, () -> StepRule.parse(bad), bad);
        }
    }

    @Test
    void theStepIsEtaOverTheRulesPowersOfNAndM() {
        assertEquals(3.0, StepRule.NONE.step(3.0, 10, 20));
        assertEquals(3.0 / (10 * 400), new StepRule(1, 2).step(3.0, 10, 20), 1e-18);
        assertEquals(3.0 / Math.sqrt(20), new StepRule(0, 0.5).step(3.0, 10, 20), 1e-15);
    }

    @Test
    void aRuleEntersTheTrialIdOnlyWhenItIsNotThePlainStep() {
        TrialSpec plain = new TrialSpec(ModelKind.RELU, null, 8, 4, 3, 0.5, 1, "d", 10, 1e-3);
        TrialSpec none = new TrialSpec(ModelKind.RELU, null, 8, 4, 3, 0.5, 1, "d", 10, 1e-3, InstrumentSettings.OFF,
                plain.params(), StepRule.NONE);
        TrialSpec ruled = new TrialSpec(ModelKind.RELU, null, 8, 4, 3, 0.5, 1, "d", 10, 1e-3, InstrumentSettings.OFF,
                plain.params(), new StepRule(1, 0));
        assertEquals(plain.id(), none.id(), "ids of sweeps without rules do not change");
        assertNotEquals(plain.id(), ruled.id());
        assertTrue(ruled.canonical().endsWith(";eta_per=n"), ruled.canonical());
        assertEquals(ruled.stepRule(), ruled.withWidth(16, ruled.params()).stepRule());
        assertEquals(ruled.stepRule(), ruled.withSteps(40).stepRule());
    }

    /**
     * For every model, eta = 0.3·n·m under the rule {@code n m} trains exactly as the plain step 0.3: the same
     * losses bit for bit (the step is computed once, 0.3·n·m/(n·m) = 0.3 exactly at these sizes).
     */
    @Test
    void everyModelTrainsWithTheRulesStep() {
        TrialRunner runner = new TrialRunner();
        ModelAxes axes = new ModelAxes(List.of(2), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(org.overparam.trainer.nets.Activation.GELU), List.of(org.overparam.trainer.gd.Optimizer.GD), List.of(1e-5));
        int n = 8;
        int d = 4;
        int m = 4;
        for (var model : TrialModels.all()) {
            DataSource data = model.needsBinaryLabels() ? new WithHeldOut(new SphereData(SphereTarget.SIGN, 2), 0.2)
                    : model.singleOutput() ? new SphereData(SphereTarget.SIGN, 0) : new WithHeldOut(new TeacherData(6, false, 1), 0.2);
            ModelKind kind = model.kind();
            Double alpha = model.usesAlpha() ? 1.0 : null;
            var params = model.params(axes, d, m, 1).get(0);
            double eta = kind == ModelKind.GRELU || kind == ModelKind.DEEP_RELU ? 1e-3 : 0.03;
            TrialSpec plain = new TrialSpec(kind, alpha, m, n, d, eta, 0, data.identity(), 30, 1e-12, InstrumentSettings.OFF,
                    params, StepRule.NONE);
            TrialSpec ruled = new TrialSpec(kind, alpha, m, n, d, eta * n * m, 0, data.identity(), 30, 1e-12, InstrumentSettings.OFF,
                    params, new StepRule(1, 1));
            assertEquals(plain.stepSize(), ruled.stepSize(), model.key());
            TrialResult a = runner.run(plain, data);
            TrialResult b = runner.run(ruled, data);
            assertEquals(a.status(), b.status(), model.key());
            assertArrayEquals(a.curveLosses(), b.curveLosses(), model.key() + ": the same losses");
            TrialResult faster = runner.run(new TrialSpec(kind, alpha, m, n, d, 2 * eta, 0, data.identity(), 30, 1e-12,
                    InstrumentSettings.OFF, params, StepRule.NONE), data);
            assertNotEquals(a.lossFinal(), faster.lossFinal(), model.key() + ": the step matters at all");
        }
    }
}
