package org.overparam.sweep.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.backend.TrialPacks;
import org.overparam.trainer.backend.cuda.CudaBackend;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/** Partitions for a device backend: whole packs of one shape per partition, enough packs to fill the slots. */
class PackBalancerTest {
    private static List<TrialSpec> trials(ModelKind model, int m, int n, int count) {
        List<TrialSpec> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            out.add(new TrialSpec(model, TrialModels.of(model).usesAlpha() ? 1.0 : null, m, n, 20, 0.5, s, "sphere", 100, 1e-8));
        }
        return out;
    }

    private static Set<TrialPacks.Shape> shapes(List<TrialSpec> bin) {
        Set<TrialPacks.Shape> out = new HashSet<>();
        bin.forEach(t -> out.add(TrialPacks.Shape.of(t)));
        return out;
    }

    @Test
    void oneSlotGetsEverythingAndSameShapesStayTogether() {
        List<TrialSpec> all = new ArrayList<>(trials(ModelKind.WN, 64, 20, 10));
        all.addAll(trials(ModelKind.RELU, 64, 20, 5));
        List<List<TrialSpec>> bins = CostBalancer.balancePacks(all, 1, 512);
        assertEquals(1, bins.size());
        assertEquals(15, bins.get(0).size());
    }

    @Test
    void packsAreSplitUntilEverySlotHasOne() {
        List<TrialSpec> all = trials(ModelKind.WN, 1024, 64, 512);
        List<List<TrialSpec>> bins = CostBalancer.balancePacks(all, 8, 512);
        assertEquals(8, bins.size());
        for (List<TrialSpec> bin : bins) {
            assertEquals(64, bin.size(), "512 same-shape trials over 8 GPU slots: 8 packs of 64");
        }
        assertEquals(Set.copyOf(all), Set.copyOf(bins.stream().flatMap(List::stream).toList()));
    }

    @Test
    void shapesAreNotMixedWhenThereAreEnoughPacks() {
        List<TrialSpec> all = new ArrayList<>(trials(ModelKind.WN, 64, 20, 6));
        all.addAll(trials(ModelKind.WN, 128, 20, 6));
        all.addAll(trials(ModelKind.RELU, 64, 20, 6));
        List<List<TrialSpec>> bins = CostBalancer.balancePacks(all, 3, 512);
        assertEquals(3, bins.size());
        for (List<TrialSpec> bin : bins) {
            assertEquals(1, shapes(bin).size(), "one pack per slot: " + shapes(bin));
        }
    }

    @Test
    void trialsTheKernelsDoNotTrainGetCpuPartitionsOfTheirOwn() {
        List<TrialSpec> all = new ArrayList<>(trials(ModelKind.WN, 64, 20, 12));
        List<TrialSpec> bn = new ArrayList<>();
        for (int s = 0; s < 9; s++) {
            bn.add(new TrialSpec(ModelKind.BN, null, 32, 20, 20, 0.5, s, "sphere", 100, 1e-8, InstrumentSettings.OFF,
                    ModelParams.bn(Optimizer.GD, 1e-5)));
        }
        all.addAll(bn);
        all.addAll(trials(ModelKind.RELU, 64, 20, 3));
        List<List<TrialSpec>> bins = CostBalancer.balanceForDevice(all, 1, 4, 512, CudaBackend::trains);
        assertEquals(5, bins.size(), "one packed partition for the one GPU slot, four CPU partitions");
        assertEquals(15, bins.get(0).size(), "the GPU partition holds every relu and wn trial");
        assertTrue(bins.get(0).stream().allMatch(CudaBackend::trains), bins.get(0).toString());
        for (List<TrialSpec> bin : bins.subList(1, bins.size())) {
            assertTrue(bin.stream().allMatch(t -> t.model() == ModelKind.BN), "CPU partitions hold bn only");
            assertTrue(bin.size() >= 2 && bin.size() <= 3, "bn cost-balanced over the CPU slots: " + bin.size());
        }
        assertEquals(all.size(), bins.stream().mapToInt(List::size).sum());
        assertEquals(Set.copyOf(all), Set.copyOf(bins.stream().flatMap(List::stream).toList()));
        assertEquals(bins, CostBalancer.balanceForDevice(all, 1, 4, 512, CudaBackend::trains), "deterministic");

        assertEquals(CostBalancer.balancePacks(all.subList(0, 12), 2, 512),
                CostBalancer.balanceForDevice(all.subList(0, 12), 2, 4, 512, CudaBackend::trains), "no CPU trials: just the packs");
        assertEquals(CostBalancer.balance(bn, 4), CostBalancer.balanceForDevice(bn, 2, 4, 512, CudaBackend::trains),
                "no device trials: just the CPU bins");
    }

    @Test
    void maxPackCapsAPackAndEveryTrialLandsOnce() {
        List<TrialSpec> all = trials(ModelKind.WN, 64, 20, 100);
        List<List<TrialSpec>> bins = CostBalancer.balancePacks(all, 2, 30);
        assertEquals(2, bins.size());
        assertEquals(100, bins.stream().mapToInt(List::size).sum());
        assertEquals(Set.copyOf(all), Set.copyOf(bins.stream().flatMap(List::stream).toList()));
        assertTrue(Math.abs(bins.get(0).size() - bins.get(1).size()) <= 30, "balanced to within a pack");
        assertEquals(bins, CostBalancer.balancePacks(all, 2, 30), "deterministic");
        assertThrows(IllegalArgumentException.class, () -> CostBalancer.balancePacks(all, 0, 30));
    }
}
