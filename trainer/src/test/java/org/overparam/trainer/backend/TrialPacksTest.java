package org.overparam.trainer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

class TrialPacksTest {
    private static TrialSpec spec(ModelKind model, int m, int n, int d, long seed, double eta) {
        return new TrialSpec(model, TrialModels.of(model).usesAlpha() ? 1.0 : null, m, n, d, eta, seed, "sphere", 100, 1e-8);
    }

    @Test
    void packsHoldOneModelAndShapeAndKeepOrder() {
        List<TrialSpec> trials = new ArrayList<>();
        trials.add(spec(ModelKind.WN, 64, 20, 50, 0, 0.5));
        trials.add(spec(ModelKind.RELU, 64, 20, 50, 0, 0.5));
        trials.add(spec(ModelKind.WN, 128, 20, 50, 0, 0.5));
        trials.add(spec(ModelKind.WN, 64, 20, 50, 1, 0.1)); // same shape as the first, other η and seed
        trials.add(spec(ModelKind.WN, 64, 40, 50, 0, 0.5));
        trials.add(spec(ModelKind.WN, 64, 20, 50, 2, 0.5));
        List<List<TrialSpec>> packs = TrialPacks.group(trials, 512);
        assertEquals(List.of(
                List.of(trials.get(0), trials.get(3), trials.get(5)),
                List.of(trials.get(1)),
                List.of(trials.get(2)),
                List.of(trials.get(4))), packs);
    }

    @Test
    void largeGroupsAreCutAtMaxPack() {
        List<TrialSpec> trials = new ArrayList<>();
        for (int s = 0; s < 7; s++) {
            trials.add(spec(ModelKind.WN, 64, 20, 50, s, 0.5));
        }
        List<List<TrialSpec>> packs = TrialPacks.group(trials, 3);
        assertEquals(List.of(3, 3, 1), packs.stream().map(List::size).toList());
        assertEquals(trials, packs.stream().flatMap(List::stream).toList());
        assertThrows(IllegalArgumentException.class, () -> TrialPacks.group(trials, 0));
    }
}
