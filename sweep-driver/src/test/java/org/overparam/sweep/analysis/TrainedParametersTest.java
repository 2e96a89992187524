package org.overparam.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.nets.BatchNormNet;
import org.overparam.trainer.nets.DeepReluNet;
import org.overparam.trainer.nets.GReluNet;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.SmoothNet;
import org.overparam.trainer.nets.TrainableNet;
import org.overparam.trainer.nets.WeightNormNet;

/** {@link TrainedParameters} against the trainer's own nets: the count is the length of what GD trains. */
class TrainedParametersTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    @ParameterizedTest(name = "{0} L={1} at m={2}, d={3}")
    @CsvSource({"relu,1,7,5", "relu,1,16,8", "wn,1,7,5", "wn,1,12,3", "bn,1,7,5", "bn,1,10,8", "grelu,1,6,5", "grelu,2,6,4",
        "deep-relu,1,9,5", "deep-relu,3,5,6", "smooth,1,7,5", "smooth,1,11,8"})
    void theCountIsTheLengthOfTheTrainedParameters(String model, int depth, int m, int d) {
        Dataset data = new SphereData(SphereTarget.RANDOM, 3).load(12, d);
        TrainableNet net = switch (model) {
            case "relu" -> new ReluNet(data, InitialDraws.draw(1, m, d), BLAS);
            case "wn" -> new WeightNormNet(data, InitialDraws.draw(1, m, d), 0.5, BLAS);
            case "bn" -> new BatchNormNet(data, 1, m, 1e-5, BLAS);
            case "grelu" -> new GReluNet(data, 1, m, depth, BLAS);
            case "deep-relu" -> new DeepReluNet(data, 1, m, depth, BLAS);
            case "smooth" -> new SmoothNet(data, 1, m, Activation.GELU, Math.sqrt(2.0 / d), Math.sqrt(2.0 / m), BLAS);
            default -> throw new IllegalArgumentException(model);
        };
        String variant = model.contains("relu") && !model.equals("relu") ? "L=" + depth + ",d_y=1" : model.equals("smooth") ? "d_y=1,activation=gelu" : "";
        assertEquals(net.parameters().length, TrainedParameters.count(model, variant, d, m), 0.0);
    }

    @Test
    void theDegreeIsHowTheCountGrowsWithTheWidth() {
        for (String model : new String[] {"relu", "wn", "bn", "grelu", "deep-relu", "smooth"}) {
            String variant = model.endsWith("relu") && !model.equals("relu") ? "L=2" : "";
            double ratio = TrainedParameters.count(model, variant, 6, 64) / TrainedParameters.count(model, variant, 6, 32);
            assertEquals(Math.pow(2, TrainedParameters.degree(model)), ratio, 1e-12, model);
        }
        assertTrue(Double.isNaN(TrainedParameters.count("other", "", 4, 8)));
    }
}
