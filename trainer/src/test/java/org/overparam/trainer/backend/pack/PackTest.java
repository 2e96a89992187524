package org.overparam.trainer.backend.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** A pack starts every trial from the very parameters (bit for bit) its CPU net starts from. */
class PackTest {
    private static final SphereData SOURCE = new SphereData(SphereTarget.SIGN, 3);

    @Test
    void initialParametersAreTheCpuNets() {
        Dataset data = SOURCE.load(9, 7);
        TrialRunner runner = new TrialRunner();
        for (ModelKind model : List.of(ModelKind.RELU, ModelKind.WN)) {
            List<TrialSpec> specs = List.of(
                    new TrialSpec(model, TrialModels.of(model).usesAlpha() ? 0.7 : null, 13, 9, 7, 0.1, 4L, SOURCE.identity(), 10, 1e-8),
                    new TrialSpec(model, TrialModels.of(model).usesAlpha() ? 3.0 : null, 13, 9, 7, 0.2, 5L, SOURCE.identity(), 10, 1e-8));
            Pack pack = Pack.of(specs, data);
            for (int b = 0; b < specs.size(); b++) {
                TwoLayerReluNet net = runner.build(specs.get(b), data);
                assertArrayEquals(net.parameters(), pack.theta0()[b], 0.0, model + " trial " + b);
                assertArrayEquals(net.outputSigns(), pack.signs()[b], 0.0);
            }
        }
    }

    @Test
    void aPackHasOneShape() {
        Dataset data = SOURCE.load(9, 7);
        List<TrialSpec> mixed = List.of(
                new TrialSpec(ModelKind.WN, 1.0, 13, 9, 7, 0.1, 4L, SOURCE.identity(), 10, 1e-8),
                new TrialSpec(ModelKind.WN, 1.0, 14, 9, 7, 0.1, 4L, SOURCE.identity(), 10, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> Pack.of(mixed, data));
    }

    @Test
    void onlyTheModelsOfTheKernelsArePacked() {
        Dataset data = SOURCE.load(9, 7);
        List<TrialSpec> smooth = List.of(new TrialSpec(ModelKind.SMOOTH, null, 13, 9, 7, 0.1, 4L, SOURCE.identity(), 10, 1e-8,
                org.overparam.trainer.trial.InstrumentSettings.OFF,
                org.overparam.trainer.trial.ModelParams.smooth(org.overparam.trainer.nets.Activation.GELU, 0.5, 0.5, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pack.of(smooth, data));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("smooth"), e.getMessage());
    }
}
