package org.overparam.trainer.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.data.TeacherData;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Every registered model against what it declares: its axes expand into as many parameter sets as it
 * counts, which it (and only its family) accepts; a trial of it through {@link TrialRunner} measures
 * only its declared metrics and traces exactly its declared curve metrics.
 */
class TrialModelsTest {
    private static final ModelAxes AXES = new ModelAxes(List.of(2, 3), List.of(), List.of(), List.of(),
            List.of(0.5, 2.0), List.of(), List.of(Activation.GELU, Activation.TANH), List.of(Optimizer.GD, Optimizer.SGD),
            List.of(1e-5, 1e-3));

    @Test
    void axesExpandIntoParametersOnlyTheModelsFamilyAccepts() {
        for (TrialModel model : TrialModels.all()) {
            List<ModelParams> params = model.params(AXES, 6, 16, 1);
            assertEquals(model.paramCount(AXES), params.size(), model.key());
            assertEquals(params.size(), new HashSet<>(params).size(), model.key() + ": duplicate parameter sets");
            for (ModelParams p : params) {
                assertTrue(model.accepts(p), model.key() + " refuses its own " + p.canonical());
                for (TrialModel other : TrialModels.all()) {
                    assertEquals(keysBesidesAlpha(model).equals(keysBesidesAlpha(other)), other.accepts(p),
                            other.key() + " on " + model.key() + "'s {" + p.canonical() + "}");
                }
            }
        }
    }

    @Test
    void aTrialOfEachModelMeasuresWhatTheModelDeclares() {
        TrialRunner runner = new TrialRunner();
        for (TrialModel model : TrialModels.all()) {
            DataSource data = model.needsBinaryLabels() ? new WithHeldOut(new SphereData(SphereTarget.SIGN, 2), 0.2)
                    : model.singleOutput() ? new SphereData(SphereTarget.SIGN, 0) : new WithHeldOut(new TeacherData(6, false, 1), 0.2);
            int n = 10;
            int d = 5;
            int m = 12;
            ModelParams params = model.params(AXES, d, m, 1).get(0);
            TrialSpec spec = new TrialSpec(model.kind(), model.usesAlpha() ? 1.0 : null, m, n, d, 1e-3, 3, data.identity(),
                    20, 1e-8, org.overparam.trainer.trial.InstrumentSettings.OFF, params);
            assertTrue(TrialModels.flopsPerStep(spec) > 0, model.key());
            TrialResult r = runner.run(spec, data);
            assertNotEquals(Outcome.FAILED, r.status(), model.key() + ": " + r.message());
            assertFalse(r.metrics().isEmpty(), model.key() + " measured nothing");
            assertTrue(model.trialMetrics().containsAll(r.metrics().keySet()),
                    model.key() + " measured undeclared metrics " + r.metrics().keySet());
            if (!model.trainedByCudaKernels()) {
                // relu and wn measure the kernel metrics only with instruments.kernels; the others measure all theirs
                assertEquals(Set.copyOf(model.trialMetrics()), r.metrics().keySet(), model.key());
            }
            assertEquals(Set.copyOf(model.curveMetrics()), r.curveMetrics().keySet(), model.key());
            for (double[] column : r.curveMetrics().values()) {
                assertEquals(r.curveSteps().length, column.length, model.key());
            }
        }
    }

    /** The keys that make a model's parameter family: all but α and grelu's optional convert_at (a GReLU without a switch has deep-relu's parameters). */
    private static List<GridKey> keysBesidesAlpha(TrialModel model) {
        List<GridKey> keys = new ArrayList<>(model.gridKeys());
        keys.remove(GridKey.ALPHA);
        keys.remove(GridKey.CONVERT_AT);
        return keys;
    }
}
