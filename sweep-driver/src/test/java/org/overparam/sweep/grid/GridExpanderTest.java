package org.overparam.sweep.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** Expansion of a config into trials: counts, fields, order, ids, fingerprints and file data. */
class GridExpanderTest {

    @TempDir
    Path dir;

    private SweepConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, dir);
    }

    private SweepPlan plan(String text) throws ConfigException {
        return GridExpander.plan(parse(text), false);
    }

    private static String sphere(String model, String grid, String seeds) {
        return "name: g\nmodel: " + model + "\ndata: {kind: sphere}\ngrid: {" + grid + "}\nseeds: " + seeds
                + "\ntrain: {steps: 100, tolerance: 1.0e-6}\n";
    }

    /** The fields of a trial that the grid sets, for comparing against a hand-made list. */
    private record Point(ModelKind model, Double alpha, int m, int n, int d, double eta, long seed) {
        static Point of(TrialSpec t) {
            return new Point(t.model(), t.alpha(), t.m(), t.n(), t.d(), t.eta(), t.seed());
        }
    }

    @Test
    void gridQuickstartExpandsTo176Trials() throws Exception {
        Path file = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && file == null; p = p.getParent()) {
            Path c = p.resolve("conf/sweeps/quickstart-grid.yaml");
            file = Files.isRegularFile(c) ? c : null;
        }
        SweepConfig config = ConfigLoader.load(file);
        // 1 alpha x 11 m x 4 n x 1 d x 1 eta x 4 seeds
        assertEquals(176, GridExpander.countTrials(config));
        SweepPlan plan = GridExpander.plan(config, false);
        assertEquals(176, plan.trials().size());
        assertEquals(new SphereData(SphereTarget.GAUSSIAN, 0L), plan.data());
    }

    @Test
    void countIsTheProductOfAxesAndReluHasNoAlphaFactor() throws Exception {
        // relu: 2 m x 2 n x 2 d x 1 eta x 2 seeds = 16; wn: 3 alpha x 16 = 48; total 64.
        SweepPlan plan = plan(sphere("[relu, wn]", "alpha: [0.5, 1, 2], m: [8, 16], n: [4, 6], d: [2, 3], eta: 0.1", "2"));
        assertEquals(64, GridExpander.countTrials(plan.config()));
        assertEquals(64, plan.trials().size());
        assertEquals(16, plan.trials().stream().filter(t -> t.model() == ModelKind.RELU).count());
        assertEquals(48, plan.trials().stream().filter(t -> t.model() == ModelKind.WN).count());
        assertTrue(plan.trials().stream().filter(t -> t.model() == ModelKind.RELU).allMatch(t -> t.alpha() == null));
        assertTrue(plan.trials().stream().filter(t -> t.model() == ModelKind.WN).allMatch(t -> t.alpha() != null));

        SweepConfig reluOnly = parse(sphere("relu", "m: [8, 16, 32], n: [4, 6], d: 2, eta: [0.1, 0.2]", "5"));
        assertEquals(3 * 2 * 2 * 5, GridExpander.countTrials(reluOnly)); // 60
    }

    @Test
    void trialsCarryTheGridValuesInNestingOrder() throws Exception {
        SweepPlan plan = plan(sphere("[wn, relu]", "alpha: [2, 1], m: [16, 8], n: [6, 4], d: [3, 5], eta: 0.5", "[7, 3]"));
        // model x alpha x n x d x eta x m x seed, each axis ascending, models in config order.
        List<Point> expected = new ArrayList<>();
        for (ModelKind model : List.of(ModelKind.WN, ModelKind.RELU)) {
            List<Double> alphas = model == ModelKind.WN ? List.of(1.0, 2.0) : Collections.singletonList(null);
            for (Double alpha : alphas) {
                for (int n : List.of(4, 6)) {
                    for (int d : List.of(3, 5)) {
                        for (int m : List.of(8, 16)) {
                            for (long seed : List.of(3L, 7L)) {
                                expected.add(new Point(model, alpha, m, n, d, 0.5, seed));
                            }
                        }
                    }
                }
            }
        }
        assertEquals(expected, plan.trials().stream().map(Point::of).toList());
        for (TrialSpec t : plan.trials()) {
            assertEquals("sphere(target=sign,seed=0)", t.data());
            assertEquals(100, t.steps());
            assertEquals(1.0e-6, t.tolerance());
        }
        TrialSpec first = plan.trials().get(0);
        assertEquals(ModelKind.WN, first.model());
        assertEquals(1.0, first.alpha());
        TrialSpec last = plan.trials().get(plan.trials().size() - 1);
        assertNull(last.alpha());
        assertEquals(16, last.m());
        assertEquals(7L, last.seed());
    }

    @Test
    void trialIdsAreUnique() throws Exception {
        SweepPlan plan = plan(sphere("[relu, wn]", "alpha: [0.5, 1, 2], m: {log2: [3, 6]}, n: [4, 8], d: [2, 3],"
                + " eta: [0.1, 0.2]", "3"));
        int expected = (1 + 3) * 4 * 2 * 2 * 2 * 3; // 384
        assertEquals(expected, plan.trials().size());
        Set<String> ids = new HashSet<>();
        plan.trials().forEach(t -> ids.add(t.id()));
        assertEquals(expected, ids.size());
    }

    @Test
    void fingerprintIgnoresTheOrderOfListValuesAndTheSweepName() throws Exception {
        String a = plan(sphere("wn", "alpha: [1, 2], m: [32, 64], n: [4, 8], d: 3, eta: 0.5", "[0, 1, 2]")).fingerprint();
        String b = plan(sphere("wn", "alpha: [2, 1], m: [64, 32], n: [8, 4], d: 3, eta: 0.5", "[2, 0, 1]")).fingerprint();
        String c = plan(sphere("wn", "alpha: {log2: [0, 1]}, m: {log2: [5, 6]}, n: [8, 4, 8], d: [3], eta: [0.5]", "3")
                .replace("name: g", "name: renamed")).fingerprint();
        assertEquals(a, b);
        assertEquals(a, c);
    }

    @Test
    void fingerprintChangesWhenAnyValueChanges() throws Exception {
        String grid = "alpha: [1, 2], m: [32, 64], n: 4, d: 3, eta: 0.5";
        String base = plan(sphere("wn", grid, "2")).fingerprint();
        Set<String> prints = new HashSet<>(List.of(base));
        prints.add(plan(sphere("wn", grid.replace("m: [32, 64]", "m: [32, 128]"), "2")).fingerprint());
        prints.add(plan(sphere("wn", grid.replace("eta: 0.5", "eta: 0.25"), "2")).fingerprint());
        prints.add(plan(sphere("wn", grid.replace("alpha: [1, 2]", "alpha: [1, 3]"), "2")).fingerprint());
        prints.add(plan(sphere("wn", grid, "3")).fingerprint());
        prints.add(plan(sphere("wn", grid, "2").replace("steps: 100", "steps: 101")).fingerprint());
        prints.add(plan(sphere("wn", grid, "2").replace("{kind: sphere}", "{kind: sphere, seed: 1}")).fingerprint());
        assertEquals(7, prints.size(), "every variant must have its own fingerprint: " + prints);
    }

    @Test
    void fingerprintOfDependsOnTheSetOfTrialsOnly() throws Exception {
        List<TrialSpec> trials = plan(sphere("wn", "alpha: [1, 2], m: [8, 16], n: 4, d: 3, eta: 0.5", "2")).trials();
        List<TrialSpec> reversed = new ArrayList<>(trials);
        Collections.reverse(reversed);
        assertEquals(SweepPlan.fingerprintOf(trials), SweepPlan.fingerprintOf(reversed));
        assertNotEquals(SweepPlan.fingerprintOf(trials), SweepPlan.fingerprintOf(trials.subList(1, trials.size())));
    }

    private static String csvConfig(String file) {
        return "name: c\nmodel: relu\ndata: {kind: csv, path: " + file + ", label: y}\n"
                + "grid: {m: [8, 16], n: [2, 3], eta: 0.5}\nseeds: 2\n";
    }

    private static String sha256Prefix(byte[] bytes, int hexDigits) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, hexDigits);
    }

    @Test
    void csvDataFixesDAndItsIdentityHashesTheContent() throws Exception {
        String content = "f1,f2,y,f3,f4\n1,0,1,0,0\n0,1,-1,0,0\n0,0,1,1,0\n0,0,-1,0,1\n";
        Files.writeString(dir.resolve("a.csv"), content);
        SweepPlan plan = plan(csvConfig("a.csv"));
        // 2 m x 2 n x 1 d (from the file) x 1 eta x 2 seeds
        assertEquals(8, plan.trials().size());
        assertTrue(plan.trials().stream().allMatch(t -> t.d() == 4), "d is the feature count, label excluded");
        String identity = plan.data().identity();
        assertTrue(identity.contains(sha256Prefix(content.getBytes(StandardCharsets.UTF_8), 12)), identity);
        assertTrue(plan.trials().stream().allMatch(t -> t.data().equals(identity)));

        // Same bytes under another name: same data, same trials.
        Files.writeString(dir.resolve("b.csv"), content);
        SweepPlan copy = plan(csvConfig("b.csv"));
        assertEquals(identity, copy.data().identity());
        assertEquals(plan.fingerprint(), copy.fingerprint());

        // One value edited: new identity, new trial ids, new fingerprint.
        Files.writeString(dir.resolve("a.csv"), content.replace("0,1,-1,0,0", "0,1,-1,0,5"));
        SweepPlan edited = plan(csvConfig("a.csv"));
        assertNotEquals(identity, edited.data().identity());
        assertNotEquals(plan.fingerprint(), edited.fingerprint());
        Set<String> before = new HashSet<>();
        plan.trials().forEach(t -> before.add(t.id()));
        assertTrue(edited.trials().stream().noneMatch(t -> before.contains(t.id())));
    }

    /** 7 alpha x 8 m x 6 n x 5 d x 3 eta x 20 seeds = 100,800 trials. */
    private static final String OVER_LIMIT = "name: big\nmodel: wn\ndata: {kind: sphere}\n"
            + "grid: {alpha: [1, 2, 3, 4, 5, 6, 7], m: [1, 2, 3, 4, 5, 6, 7, 8], n: [2, 3, 4, 5, 6, 7],"
            + " d: [1, 2, 3, 4, 5], eta: [0.1, 0.2, 0.3]}\nseeds: 20\n";

    @Test
    void sweepsOverTheLimitNeedForce() throws Exception {
        SweepConfig big = parse(OVER_LIMIT);
        assertEquals(100_800L, GridExpander.countTrials(big));
        assertTrue(GridExpander.countTrials(big) > GridExpander.MAX_TRIALS);
        ConfigException e = assertThrows(ConfigException.class, () -> GridExpander.plan(big, false));
        assertEquals("grid", e.key());
        assertTrue(e.getMessage().contains("100800"), e.getMessage());
        // With force the same config is accepted (100,800 small records: about a second).
        SweepPlan forced = GridExpander.plan(big, true);
        assertEquals(100_800, forced.trials().size());
    }
}
