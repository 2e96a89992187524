package org.overparam.sweep.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@code train.loss} and {@code train.stuck_horizon}: defaults, the refusals that name {@code train.loss}, and their
 * place in trial ids (only when not the default, so every existing id stays).
 */
class TrainDynamicsConfigTest {
    private static final String BASE = """
            name: t
            model: %s
            data: {kind: sphere, target: %s}
            grid: {alpha: [1.0], m: [8], n: [6], d: [10], eta: [0.5]%s}
            seeds: 2
            train: {steps: 300%s}
            """;

    private static SweepConfig parse(String model, String target, String grid, String train) throws ConfigException {
        return ConfigLoader.parse(BASE.formatted(model, target, grid, train), Path.of("."));
    }

    private static List<TrialSpec> trials(String train) throws ConfigException {
        return GridExpander.plan(parse("wn", "sign", "", train), false).trials();
    }

    @Test
    void defaultsAreTheMseAndTheDefaultHorizonAndLeaveIdsAsTheyWere() throws Exception {
        SweepConfig c = parse("wn", "sign", "", "");
        assertEquals(Loss.MSE, c.train().loss());
        assertEquals(StuckRule.DEFAULT_HORIZON, c.train().stuckHorizon());
        List<TrialSpec> plain = trials("");
        assertEquals(plain, trials(", loss: mse, stuck_horizon: " + StuckRule.DEFAULT_HORIZON), "the defaults spelled out");
        for (TrialSpec t : plain) {
            assertTrue(!t.canonical().contains("loss=") && !t.canonical().contains("stuck_horizon="), t.canonical());
            // the id of older versions: the same canonical text without the new fields
            assertEquals(new TrialSpec(t.model(), t.alpha(), t.m(), t.n(), t.d(), t.eta(), t.seed(), t.data(), t.steps(),
                    t.tolerance(), t.instruments(), t.params(), t.stepRule()).id(), t.id());
        }
    }

    @Test
    void aLossOrHorizonOtherThanTheDefaultEntersTheId() throws Exception {
        TrialSpec mse = trials("").get(0);
        TrialSpec hinge = trials(", loss: squared_hinge").get(0);
        TrialSpec off = trials(", stuck_horizon: 0").get(0);
        assertEquals(Loss.SQUARED_HINGE, hinge.loss());
        assertTrue(hinge.canonical().endsWith(";loss=squared_hinge"), hinge.canonical());
        assertTrue(off.canonical().endsWith(";stuck_horizon=0"), off.canonical());
        assertNotEquals(mse.id(), hinge.id());
        assertNotEquals(mse.id(), off.id());
        assertEquals(0, off.stuckHorizon());
    }

    @Test
    void theSquaredHingeNeedsItsModelsLabelsOneOutputAndTheCpu() {
        String hinge = ", loss: squared_hinge";
        ConfigException real = assertThrows(ConfigException.class, () -> parse("wn", "gaussian", "", hinge));
        assertEquals("train.loss", real.key());
        assertTrue(real.getMessage().contains("needs labels ±1 but the sphere data are real-valued"), real.getMessage());
        ConfigException smooth = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                name: t
                model: smooth
                data: {kind: sphere, target: sign}
                grid: {m: [8], n: [6], d: [10], eta: [0.5]}
                seeds: 1
                train: {steps: 300, loss: squared_hinge}
                """, Path.of(".")));
        assertEquals("train.loss", smooth.key());
        assertTrue(smooth.getMessage().contains("is for models relu, wn, grelu, deep-relu, not smooth"), smooth.getMessage());
        assertEquals(Loss.SQUARED_HINGE, assertDoesNotThrow(() -> ConfigLoader.parse("""
                name: t
                model: [grelu, deep-relu, relu]
                data: {kind: sphere, target: sign}
                grid: {m: [8], n: [6], d: [10], eta: [0.5], L: [2], d_y: [1]}
                seeds: 1
                train: {steps: 300, loss: squared_hinge}
                """, Path.of("."))).train().loss(), "grelu and deep-relu with one output");
        ConfigException cuda = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(BASE.formatted("wn", "sign", "", hinge) + "backend: cuda\n", Path.of(".")));
        assertEquals("train.loss", cuda.key());
    }

    @Test
    void badHorizonsNameTheKey() {
        for (String bad : new String[] {"-1", "1.5", "lots", "2000000"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse("wn", "sign", "", ", stuck_horizon: " + bad));
            assertEquals("train.stuck_horizon", e.key(), bad);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> parse("wn", "sign", "", ", loss: hinge"));
        assertEquals("train.loss", e.key());
        assertTrue(e.getMessage().contains("'hinge' (known: mse, squared_hinge)"), e.getMessage());
    }
}
