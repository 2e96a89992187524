package org.overparam.sweep.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/** Model-specific grid keys (theory.md §3–5) and the new data kinds, expanded into trials. */
class ModelGridTest {
    @TempDir
    Path dir;

    private SweepPlan plan(String text) throws ConfigException {
        return GridExpander.plan(ConfigLoader.parse(text, dir), false);
    }

    private static String config(String model, String data, String grid) {
        return "name: g\nmodel: " + model + "\ndata: " + data + "\ngrid: {" + grid + "}\nseeds: 2\ntrain: {steps: 10, tolerance: 1.0e-6}\n";
    }

    @Test
    void keysApplyOnlyToTheModelsThatUseThem() throws Exception {
        SweepPlan p = plan(config("[wn, grelu, deep-relu, smooth, bn]", "{kind: teacher, target: sign}",
                "alpha: [1, 2], m: [8, 16], n: [6], d: [4], eta: [0.1], L: [2, 3], activation: [gelu, tanh],"
                        + " optimizer: [gd, sgd], epsilon: [1.0e-5, 0.1]"));
        Map<ModelKind, List<TrialSpec>> byModel = p.trials().stream().collect(Collectors.groupingBy(TrialSpec::model));
        assertEquals(2 * 2 * 2, byModel.get(ModelKind.WN).size(), "alpha x m x seeds");
        assertEquals(2 * 2 * 2, byModel.get(ModelKind.GRELU).size(), "L x m x seeds");
        assertEquals(2 * 2 * 2, byModel.get(ModelKind.DEEP_RELU).size());
        assertEquals(2 * 2 * 2 * 2, byModel.get(ModelKind.SMOOTH).size(), "activation x optimizer x m x seeds");
        assertEquals(4 * 2 * 2, byModel.get(ModelKind.BN).size(), "optimizer x epsilon x m x seeds");
        assertEquals(GridExpander.countTrials(p.config()), p.trials().size());
        for (TrialSpec t : byModel.get(ModelKind.WN)) {
            assertEquals(ModelParams.NONE, t.params());
        }
        for (TrialSpec t : byModel.get(ModelKind.GRELU)) {
            assertEquals(1, t.params().outputs(), "d_y from the data");
            assertNull(t.alpha());
        }
        for (TrialSpec t : byModel.get(ModelKind.SMOOTH)) {
            assertEquals(Math.sqrt(2.0 / 4), t.params().omega1(), 1e-15, "He init by default");
            assertEquals(Math.sqrt(2.0 / t.m()), t.params().omega2(), 1e-15);
        }
        assertEquals(p.trials().size(), p.trials().stream().map(TrialSpec::id).distinct().count());
    }

    @Test
    void defaultsOfBnAreGdAndEpsilonOneEMinusFive() throws Exception {
        SweepPlan p = plan(config("bn", "{kind: sphere, target: sign}", "m: [8], n: [6], d: [4], eta: [0.1]"));
        for (TrialSpec t : p.trials()) {
            assertEquals(ModelParams.bn(Optimizer.GD, 1e-5), t.params());
        }
    }

    @Test
    void smoothMiniBatchSgdCrossesEachBatchSizeAndKeepsGdIds() throws Exception {
        String grid = "m: [8], n: [6], d: [4], eta: [0.1]";
        SweepPlan gdOnly = plan(config("smooth", "{kind: teacher}", grid));
        SweepPlan both = plan(config("smooth", "{kind: teacher}", grid + ", optimizer: [gd, {kind: sgd, batch: [2, 4]}]"));
        SweepPlan single = plan(config("smooth", "{kind: teacher}", grid + ", optimizer: {kind: sgd, batch: 128}"));
        SweepPlan plain = plan(config("smooth", "{kind: teacher}", grid + ", optimizer: [sgd]"));
        assertEquals(2, gdOnly.trials().size());
        assertEquals(2 * 3, both.trials().size(), "gd, sgd batch 2, sgd batch 4, x seeds");
        assertEquals(GridExpander.countTrials(both.config()), both.trials().size());
        List<Integer> batches = both.trials().stream().map(t -> t.params().batch()).distinct().toList();
        assertEquals(3, batches.size());
        assertTrue(batches.contains(null) && batches.contains(2) && batches.contains(4), batches.toString());
        for (TrialSpec t : both.trials()) {
            assertEquals(t.params().batch() == null ? null : Optimizer.SGD, t.params().optimizer());
        }
        List<String> gdIds = gdOnly.trials().stream().map(TrialSpec::id).toList();
        assertTrue(both.trials().stream().map(TrialSpec::id).toList().containsAll(gdIds), "GD trials keep their ids");
        assertEquals(List.of(128, 128), single.trials().stream().map(t -> t.params().batch()).toList());
        assertEquals(List.of(1, 1), plain.trials().stream().map(t -> t.params().batch()).toList(), "sgd alone: one example a step");
    }

    @Test
    void greluSwitchStepsApplyToGreluOnly() throws Exception {
        SweepPlan p = plan(config("[grelu, deep-relu]", "{kind: ackley}", "m: [8], n: [6], d: [4], eta: [0.1], L: [2], convert_at: [3, 5]"));
        Map<ModelKind, List<TrialSpec>> byModel = p.trials().stream().collect(Collectors.groupingBy(TrialSpec::model));
        assertEquals(2 * 2, byModel.get(ModelKind.GRELU).size(), "convert_at x seeds");
        assertEquals(2, byModel.get(ModelKind.DEEP_RELU).size());
        assertEquals(GridExpander.countTrials(p.config()), p.trials().size());
        for (TrialSpec t : byModel.get(ModelKind.GRELU)) {
            assertTrue(t.params().convertAt() == 3 || t.params().convertAt() == 5);
        }
        for (TrialSpec t : byModel.get(ModelKind.DEEP_RELU)) {
            assertNull(t.params().convertAt());
        }
    }

    @Test
    void omegaRatioAtFixedProduct() throws Exception {
        SweepPlan he = plan(config("smooth", "{kind: teacher}", "m: [10, 40], n: [6], d: [5], eta: [0.1], omega_ratio: [0.1, 1, 10]"));
        assertEquals(3 * 2 * 2, he.trials().size());
        for (TrialSpec t : he.trials()) {
            double w1 = t.params().omega1();
            double w2 = t.params().omega2();
            assertEquals(2.0 / Math.sqrt(5.0 * t.m()), w1 * w2, 1e-15, "He's product 2/sqrt(d m)");
            double r = w2 / w1;
            assertTrue(Math.abs(r - 0.1) < 1e-12 || Math.abs(r - 1) < 1e-12 || Math.abs(r - 10) < 1e-12, "ratio " + r);
        }
        SweepPlan fixed = plan(config("smooth", "{kind: teacher}",
                "m: [10], n: [6], d: [5], eta: [0.1], omega_ratio: [4], omega_product: [0.01, 0.04], activation: [softplus]"));
        assertEquals(2 * 2, fixed.trials().size());
        for (TrialSpec t : fixed.trials()) {
            double prod = t.params().omega1() * t.params().omega2();
            assertTrue(Math.abs(prod - 0.01) < 1e-15 || Math.abs(prod - 0.04) < 1e-15);
            assertEquals(4.0, t.params().omega2() / t.params().omega1(), 1e-12);
            assertEquals(Activation.SOFTPLUS, t.params().activation());
        }
        SweepPlan pairs = plan(config("smooth", "{kind: teacher}", "m: [10], n: [6], d: [5], eta: [0.1], omega1: [1, 2], omega2: [3, 4, 5], d_y: [1, 3]"));
        assertEquals(2 * 3 * 2 * 2, pairs.trials().size());
    }

    @Test
    void dyadicDataTakeNFromD() throws Exception {
        SweepPlan p = plan(config("bn", "{kind: dyadic}", "m: [8], d: [3, 7], eta: [0.1], optimizer: [gd, sgd]"));
        assertEquals(2 * 2 * 2, p.trials().size());
        for (TrialSpec t : p.trials()) {
            assertEquals(2 * t.d(), t.n());
            assertEquals("dyadic", t.data());
        }
        Dataset data = p.data().load(14, 7);
        assertEquals(14, data.n());
    }

    @Test
    void teacherHeldOutAndMultipleOutputs() throws Exception {
        SweepPlan p = plan(config("grelu", "{kind: teacher, width: 5, test_fraction: 0.5}", "m: [8], n: [6], d: [4], eta: [0.1], L: 2, d_y: [3]"));
        assertEquals("teacher(width=5,target=real,seed=0)+heldout(fraction=0.5)", p.data().identity());
        assertEquals(3, p.trials().get(0).params().outputs());
        assertEquals(3, p.data().load(6, 4, 3).dy());
        assertEquals(6, p.data().heldOut(6, 4, 3).n());
    }

    private static void writeIdx(Path dir, int count, int side) throws IOException {
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")));
             DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            img.writeInt(0x00000803);
            img.writeInt(count);
            img.writeInt(side);
            img.writeInt(side);
            lab.writeInt(0x00000801);
            lab.writeInt(count);
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < side * side; j++) {
                    img.writeByte((i * 31 + j * 7) % 256);
                }
                lab.writeByte(i % 10);
            }
        }
    }

    @Test
    void mnistDigitPairsAndOneHot() throws Exception {
        writeIdx(dir.resolve("."), 100, 3);
        Files.createDirectories(dir.resolve("mnist"));
        writeIdx(dir.resolve("mnist"), 100, 3);
        SweepPlan binary = plan(config("bn", "{kind: mnist, path: mnist, digits: [3, 8], center: true, normalize: ball}",
                "m: [8], n: [10, 15], eta: [0.1]"));
        assertEquals(9, binary.trials().get(0).d(), "d from the file");
        assertEquals(4, ((org.overparam.trainer.data.SplitTable) binary.data()).heldOutRows(), "20 images of 3 or 8, 4 held out");
        assertEquals(15, binary.data().maxExamples(), "the largest n kept of a pool of 16");
        assertNotNull(binary.data().heldOut(10, 9, 1));
        SweepPlan oneHot = plan(config("[grelu, smooth]", "{kind: mnist, path: mnist, test_fraction: 0}",
                "m: [8], n: [10], eta: [0.1], L: [2]"));
        for (TrialSpec t : oneHot.trials()) {
            assertEquals(10, t.params().outputs(), "one-hot over ten digits");
        }
        ConfigException e = assertThrows(ConfigException.class, () -> plan(config("bn", "{kind: mnist, path: mnist, digits: [3, 8]}",
                "m: [8], n: [17], eta: [0.1]")));
        assertEquals("grid.n", e.key());
        e = assertThrows(ConfigException.class, () -> plan(config("relu", "{kind: mnist, path: mnist}", "m: [8], n: [10], eta: [0.1]")));
        assertEquals("data", e.key(), e.getMessage());
    }

    /** IDX files of {@code count} images of random bytes with labels {@code i mod 10}. */
    private static void writeRandomIdx(Path dir, int count, int side) throws IOException {
        java.util.Random r = new java.util.Random(7);
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")));
             DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            img.writeInt(0x00000803);
            img.writeInt(count);
            img.writeInt(side);
            img.writeInt(side);
            lab.writeInt(0x00000801);
            lab.writeInt(count);
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < side * side; j++) {
                    img.writeByte(r.nextInt(256));
                }
                lab.writeByte(i % 10);
            }
        }
    }

    /** A teacher trained on the MNIST files relabels them: the student's labels are the teacher's, training ones the true ones. */
    @Test
    void teacherTrainedOnMnistRelabelsItsBase() throws Exception {
        Files.createDirectories(dir.resolve("mnist"));
        writeRandomIdx(dir.resolve("mnist"), 100, 4);
        String teacher = "{kind: teacher, base: mnist, path: mnist, digits: [0, 1, 2], normalize: none, center: true,"
                + " width: 64, teacher_eta: 0.2, teacher_batch: 8, teacher_epochs: 3000, seed: 1}";
        SweepPlan p = plan(config("smooth", teacher, "m: [8], n: [10, 20], eta: [0.01]"));
        SweepPlan base = plan(config("smooth", "{kind: mnist, path: mnist, digits: [0, 1, 2], normalize: none, center: true, seed: 1}",
                "m: [8], n: [10, 20], eta: [0.01]"));
        org.overparam.trainer.data.SplitTable t = (org.overparam.trainer.data.SplitTable) p.data();
        org.overparam.trainer.data.SplitTable b = (org.overparam.trainer.data.SplitTable) base.data();
        assertTrue(t.identity().startsWith(b.identity() + "+trained_teacher(width=64,"), t.identity());
        assertEquals(16, p.trials().get(0).d());
        for (TrialSpec s : p.trials()) {
            assertEquals(3, s.params().outputs(), "one-hot over the base's three digits");
        }
        assertEquals(b.heldOutRows(), t.heldOutRows());
        // zero training error: the teacher's labels of the training rows are the true ones
        assertEquals(java.util.Arrays.toString(b.trainY()), java.util.Arrays.toString(t.trainY()));
        // deterministic: planning again relabels the held-out set identically
        SweepPlan again = plan(config("smooth", teacher, "m: [8], n: [10, 20], eta: [0.01]"));
        assertEquals(java.util.Arrays.toString(t.heldOutY()),
                java.util.Arrays.toString(((org.overparam.trainer.data.SplitTable) again.data()).heldOutY()));
        assertEquals(p.trials().stream().map(TrialSpec::id).toList(), again.trials().stream().map(TrialSpec::id).toList());
        ConfigException e = assertThrows(ConfigException.class, () -> plan(config("smooth",
                "{kind: teacher, base: mnist, path: mnist, width: 1, teacher_epochs: 1}", "m: [8], n: [10], eta: [0.01]")));
        assertEquals("data.teacher_epochs", e.key(), e.getMessage());
        e = assertThrows(ConfigException.class, () -> plan(config("smooth", "{kind: teacher, base: svhn, path: mnist}",
                "m: [8], n: [10], eta: [0.01]")));
        assertEquals("data.base", e.key(), e.getMessage());
        e = assertThrows(ConfigException.class, () -> plan(config("smooth", "{kind: teacher, base: mnist, path: mnist, target: sign}",
                "m: [8], n: [10], eta: [0.01]")));
        assertEquals("data.target", e.key(), e.getMessage());
        e = assertThrows(ConfigException.class, () -> plan(config("smooth", "{kind: teacher, base: mnist, path: mnist, teacher_eta: 0}",
                "m: [8], n: [10], eta: [0.01]")));
        assertEquals("data.teacher_eta", e.key(), e.getMessage());
    }

    @Test
    void csvWithHeldOutSplit() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(',').append(i % 3).append(',').append(i % 2 == 0 ? 1 : -1).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), csv);
        SweepPlan p = plan(config("bn", "{kind: csv, path: d.csv, label: y, test_fraction: 0.25, seed: 3}", "m: [8], n: [15], eta: [0.1]"));
        assertEquals(15, p.data().maxExamples());
        assertEquals(5, p.data().heldOut(15, 2, 1).n());
        assertTrue(p.data().identity().startsWith("csv(sha256="), p.data().identity());
        assertTrue(p.data().identity().endsWith(",label=y,normalize=unit,center=false,test=0.25,seed=3)"), p.data().identity());
        Dataset train = p.data().load(15, 2);
        for (int i = 0; i < 15; i++) {
            assertEquals(1.0, train.rowNorm(i) == 0 ? 1.0 : train.rowNorm(i), 1e-12);
        }
    }

    /**
     * A width search's trial at a new width is the trial a grid listing that width holds (same id), for every
     * model: bn and grelu keep their parameters, smooth's ω at He's init and at He's product are those of the
     * new width, a fixed ω pair stays.
     */
    @Test
    void atWidthIsTheTrialAGridOfThatWidthHolds() throws Exception {
        String data = "{kind: teacher, target: sign}";
        String common = "n: [6], d: [4], eta: [0.1], ";
        List<String> grids = List.of(
                config("[wn, bn, grelu, smooth]", data, common + "alpha: [1, 2], L: [2], optimizer: [gd, sgd], activation: [gelu, tanh], m: [%s]"),
                config("smooth", data, common + "omega_ratio: [0.5, 2], m: [%s]"),
                config("smooth", data, common + "omega_ratio: [3], omega_product: [0.1, 0.2], m: [%s]"),
                config("smooth", data, common + "omega1: [0.3, 0.7], omega2: [0.2], m: [%s]"));
        for (String grid : grids) {
            SweepPlan at8 = plan(grid.formatted("8"));
            List<String> at23 = plan(grid.formatted("23")).trials().stream().map(TrialSpec::id).toList();
            List<String> moved = at8.trials().stream().map(t -> GridExpander.atWidth(at8, t, 23)).map(TrialSpec::id).toList();
            assertEquals(at23, moved, grid);
        }
        SweepPlan he = plan(config("smooth", data, common + "m: [8]"));
        TrialSpec wide = GridExpander.atWidth(he, he.trials().get(0), 50);
        assertEquals(Math.sqrt(2.0 / 50), wide.params().omega2(), 1e-15, "He's init at the new width");
        assertEquals(Math.sqrt(2.0 / 4), wide.params().omega1(), 1e-15);

        SweepPlan other = plan(config("smooth", data, common + "activation: [tanh], m: [8]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GridExpander.atWidth(he, other.trials().get(0), 16));
        assertTrue(e.getMessage().contains("activation=tanh") && e.getMessage().contains("not in the grid"), e.getMessage());
    }
}
