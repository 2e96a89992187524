package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.Activation;

/** Model parameters in trial ids: absent for relu/wn (ids unchanged), present and distinct for the others. */
class ModelParamsTest {

    @Test
    void reluAndWnIdsDoNotSeeTheParameters() {
        TrialSpec old = new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, "d", 100, 1e-6);
        TrialSpec explicit = new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, "d", 100, 1e-6, InstrumentSettings.OFF,
                ModelParams.NONE);
        assertEquals(old.id(), explicit.id());
        assertTrue(!old.canonical().contains("params"), old.canonical());
    }

    @Test
    void everyParameterEntersTheId() {
        List<TrialSpec> specs = List.of(
                spec(ModelKind.BN, ModelParams.bn(Optimizer.GD, 1e-5)),
                spec(ModelKind.BN, ModelParams.bn(Optimizer.SGD, 1e-5)),
                spec(ModelKind.BN, ModelParams.bn(Optimizer.GD, 1e-3)),
                spec(ModelKind.GRELU, ModelParams.deep(3, 1)),
                spec(ModelKind.DEEP_RELU, ModelParams.deep(3, 1)),
                spec(ModelKind.GRELU, ModelParams.deep(4, 1)),
                spec(ModelKind.GRELU, ModelParams.deep(3, 2)),
                spec(ModelKind.SMOOTH, ModelParams.smooth(Activation.GELU, 0.1, 0.2, 1)),
                spec(ModelKind.SMOOTH, ModelParams.smooth(Activation.TANH, 0.1, 0.2, 1)),
                spec(ModelKind.SMOOTH, ModelParams.smooth(Activation.GELU, 0.2, 0.1, 1)),
                spec(ModelKind.SMOOTH, ModelParams.smooth(Activation.GELU, 0.1, 0.2, 3)),
                spec(ModelKind.SMOOTH, ModelParams.smoothSgd(Activation.GELU, 0.1, 0.2, 3, 1)),
                spec(ModelKind.SMOOTH, ModelParams.smoothSgd(Activation.GELU, 0.1, 0.2, 3, 128)));
        Set<String> ids = new HashSet<>();
        for (TrialSpec s : specs) {
            assertTrue(ids.add(s.id()), s.canonical());
        }
        assertEquals("model=grelu;alpha=-;m=8;n=4;d=3;eta=0.1;seed=0;data=x;steps=10;tolerance=1.0E-6;params=L=3,d_y=1",
                spec(ModelKind.GRELU, ModelParams.deep(3, 1)).canonical());
        assertNotEquals(TrialModels.estimatedCost(spec(ModelKind.GRELU, ModelParams.deep(3, 1))),
                TrialModels.estimatedCost(spec(ModelKind.GRELU, ModelParams.deep(4, 1))));
    }

    @Test
    void parametersMustFitTheModel() {
        assertThrows(IllegalArgumentException.class, () -> TrialModels.check(spec(ModelKind.BN, ModelParams.deep(3, 1))));
        assertThrows(IllegalArgumentException.class, () -> TrialModels.check(spec(ModelKind.SMOOTH, ModelParams.NONE)));
        assertThrows(IllegalArgumentException.class, () -> TrialModels.check(spec(ModelKind.BN,
                new ModelParams(null, null, null, null, null, Optimizer.SGD, 1e-5, 8))), "bn's SGD takes no batch size");
        assertThrows(IllegalArgumentException.class, () -> TrialModels.check(spec(ModelKind.SMOOTH,
                new ModelParams(null, 1, 0.1, 0.2, Activation.GELU, null, null, 8))), "a batch size without sgd");
        assertThrows(IllegalArgumentException.class, () -> TrialModels.check(new TrialSpec(ModelKind.RELU, null, 8, 4, 3, 0.1, 0, "x", 10, 1e-6,
                InstrumentSettings.OFF, ModelParams.deep(2, 1))));
        assertThrows(IllegalArgumentException.class, () -> ModelParams.deep(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelParams.smooth(Activation.GELU, -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelParams.bn(Optimizer.GD, -1e-5));
    }

    private static TrialSpec spec(ModelKind model, ModelParams params) {
        return new TrialSpec(model, null, 8, 4, 3, 0.1, 0, "x", 10, 1e-6, InstrumentSettings.OFF, params);
    }
}
