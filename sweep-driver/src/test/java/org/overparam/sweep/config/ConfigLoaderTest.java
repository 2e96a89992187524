package org.overparam.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.trial.ModelKind;
import org.yaml.snakeyaml.Yaml;

/** Parsing of valid configs: the shipped quickstart and every accepted form of a grid axis. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    /** conf/sweeps/quickstart.yaml, found from the module folder (surefire runs in sweep-driver/). */
    static Path quickstart() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("conf/sweeps/quickstart.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("conf/sweeps/quickstart.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** A valid sphere config with the given grid mapping body. */
    private static String sphere(String model, String grid) {
        return "name: t\nmodel: " + model + "\ndata: {kind: sphere}\ngrid: {" + grid + "}\nseeds: 1\n";
    }

    private SweepConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, dir);
    }

    /** Every example sweep in conf/sweeps/ and the pilots of docs/validation.md in conf/sweeps/pilots/. */
    static java.util.stream.Stream<Path> exampleSweeps() throws java.io.IOException {
        Path sweeps = quickstart().getParent();
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (Path dir : List.of(sweeps, sweeps.resolve("pilots"))) {
            try (java.util.stream.Stream<Path> listed = Files.list(dir)) {
                listed.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("exampleSweeps")
    void everyExampleSweepValidatesAndExpands(Path file) throws Exception {
        SweepConfig c = ConfigLoader.load(file);
        assertEquals(file.getFileName().toString().replace(".yaml", ""), c.name(), "name matches the file");
        org.overparam.sweep.grid.SweepPlan plan = org.overparam.sweep.grid.GridExpander.plan(c, false);
        // An adaptive search's plan holds its templates; its trials are bounded by max_trials and the budget check.
        long trials = !(c.widths() instanceof AdaptiveSettings a) ? plan.trials().size()
                : plan.trials().stream().map(org.overparam.sweep.threshold.FitGroup::of).distinct().count()
                        * (a.maxTrials() + (a.budgetCheck() > 0 ? AdaptiveSettings.BUDGET_SAMPLE : 0));
        // The cluster versions (*-large.yaml) validate and expand too, but are not sized for a workstation.
        boolean cluster = file.getFileName().toString().endsWith("-large.yaml");
        org.junit.jupiter.api.Assertions.assertTrue(trials > 0 && (cluster || trials <= 2000),
                file + ": " + trials + " trials (examples run on a workstation)");
    }

    /** The paper reproductions that need no files (conf/sweeps/papers/, docs/reproductions.md) plan as the examples do. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"p001-prop1.1-dyadic.yaml", "p002-figure2.yaml"})
    void paperSweepsWithoutFilesValidateAndExpand(String name) throws Exception {
        everyExampleSweepValidatesAndExpands(quickstart().getParent().resolve("papers").resolve(name));
    }

    /** A config whose MNIST folder is missing names data.path and the script that writes it. */
    @Test
    void aMissingMnistFolderPointsAtGetMnist() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse("name: t\nmodel: bn\ndata: {kind: mnist, path: no-such-folder, digits: [3, 8]}\n"
                        + "grid: {m: [8], n: [4], eta: [0.1]}\n"));
        assertEquals("data.path", e.key());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("scripts/get-mnist.sh"), e.getMessage());
    }

    @Test
    void quickstartIsTheDocumentedBudgetLadderSearch() throws Exception {
        Path file = quickstart();
        SweepConfig c = ConfigLoader.load(file);
        assertEquals("quickstart", c.name());
        assertEquals(List.of(ModelKind.RELU), c.models());
        assertEquals(new DataConfig.Sphere(SphereTarget.RANDOM, 0L), c.data());
        assertEquals(List.of(16, 23, 32, 45, 64), c.grid().n());
        assertEquals(List.of(8), c.grid().d());
        assertEquals(new AdaptiveSettings(2, 128, 0.25, 600, 16, 0, 3), c.widths(), "adaptive to p ± 0.25, three ladder doublings");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), c.seeds());
        assertEquals(List.of(32.0), c.grid().eta());
        assertEquals(8000, c.train().steps());
        assertEquals(1e-3, c.train().tolerance());
        assertEquals(List.of(org.overparam.trainer.nets.Loss.SQUARED_HINGE), c.train().losses());
        assertEquals(0, c.train().stuckHorizon(), "undecided trials are censored for the ladder, never stopped as stuck");
    }

    @Test
    void gridQuickstartParsesToTheDocumentedSweep() throws Exception {
        Path file = quickstart().resolveSibling("quickstart-grid.yaml");
        SweepConfig c = ConfigLoader.load(file);
        assertEquals("quickstart-grid", c.name());
        assertEquals(List.of(ModelKind.WN), c.models());
        assertEquals(new DataConfig.Sphere(SphereTarget.GAUSSIAN, 0L), c.data());
        assertEquals(List.of(1.0), c.grid().alpha());
        assertEquals(List.of(4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128), c.grid().m());
        assertEquals(List.of(10, 20, 40, 80), c.grid().n());
        assertEquals(List.of(6), c.grid().d());
        assertEquals(List.of(0.5), c.grid().eta());
        assertEquals(List.of(0L, 1L, 2L, 3L), c.seeds());
        assertEquals(8000, c.train().steps());
        assertEquals(1e-4, c.train().tolerance());
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), c.source());
    }

    @Test
    void scalarAxisIsAOneValueAxis() throws Exception {
        Grid g = parse(sphere("wn", "alpha: 2, m: 16, n: 10, d: 5, eta: 0.25")).grid();
        assertEquals(List.of(2.0), g.alpha());
        assertEquals(List.of(16), g.m());
        assertEquals(List.of(10), g.n());
        assertEquals(List.of(5), g.d());
        assertEquals(List.of(0.25), g.eta());
    }

    @Test
    void listAxesAreSortedAndDeduplicated() throws Exception {
        Grid g = parse(sphere("wn", "alpha: [2, 0.5, 1, 0.5, 2.0], m: [256, 32, 64, 32], n: [40, 20, 40],"
                + " d: [7, 3], eta: [1.0, 0.125, 1]")).grid();
        assertEquals(List.of(0.5, 1.0, 2.0), g.alpha());
        assertEquals(List.of(32, 64, 256), g.m());
        assertEquals(List.of(20, 40), g.n());
        assertEquals(List.of(3, 7), g.d());
        assertEquals(List.of(0.125, 1.0), g.eta());
    }

    @Test
    void log2FormGivesThePowersOfTwoInclusive() throws Exception {
        Grid g = parse(sphere("wn", "alpha: {log2: [0, 2]}, m: {log2: [3, 6]}, n: {log2: [1, 1]}, d: 4, eta: 1")).grid();
        assertEquals(List.of(1.0, 2.0, 4.0), g.alpha());
        assertEquals(List.of(8, 16, 32, 64), g.m());
        assertEquals(List.of(2), g.n());
    }

    @Test
    void logRangeOnAnIntegerAxisHitsPowersExactly() throws Exception {
        // 32 * 2^k for k = 0..5: a log range from 32 to 1024 in 6 steps.
        Grid g = parse(sphere("wn", "alpha: 1, m: {from: 32, to: 1024, steps: 6, scale: log}, n: 4, d: 4, eta: 1")).grid();
        assertEquals(List.of(32, 64, 128, 256, 512, 1024), g.m());
    }

    @Test
    void logRangeOnAnIntegerAxisRoundsAndDeduplicates() throws Exception {
        // 4^(i/9), i = 0..9: 1, 1.17, 1.36, 1.59, 1.85, 2.16, 2.52, 2.94, 3.43, 4 -> rounded {1, 2, 3, 4}.
        Grid g = parse(sphere("wn", "alpha: 1, m: {from: 1, to: 4, steps: 10, scale: log}, n: 4, d: 4, eta: 1")).grid();
        assertEquals(List.of(1, 2, 3, 4), g.m());
    }

    @Test
    void logRangeOnAnIntegerAxisKeepsBothEndpoints() throws Exception {
        // ratio (97/3)^(1/6) = 1.78495: 3, 5.35, 9.56, 17.06, 30.45, 54.36, 97.
        Grid g = parse(sphere("wn", "alpha: 1, m: {from: 3, to: 97, steps: 7, scale: log}, n: 4, d: 4, eta: 1")).grid();
        assertEquals(List.of(3, 5, 10, 17, 30, 54, 97), g.m());
    }

    @Test
    void logRangeOnARealAxisHasExactEndpoints() throws Exception {
        Grid g = parse(sphere("wn", "alpha: {from: 0.1, to: 10, steps: 3, scale: log}, m: 8, n: 4, d: 4, eta: 1")).grid();
        assertEquals(3, g.alpha().size());
        assertEquals(0.1, g.alpha().get(0)); // exact: the value the config wrote (it becomes part of trial ids)
        assertEquals(1.0, g.alpha().get(1), 1e-12);
        assertEquals(10.0, g.alpha().get(2));
    }

    @Test
    void linearRangeIsEvenlySpacedAndLinearIsTheDefaultScale() throws Exception {
        Grid explicit = parse(sphere("wn", "alpha: 1, m: 8, n: {from: 10, to: 20, steps: 3}, d: 4,"
                + " eta: {from: 0.25, to: 1.0, steps: 4, scale: linear}")).grid();
        Grid implicit = parse(sphere("wn", "alpha: 1, m: 8, n: 10, d: 4, eta: {from: 0.25, to: 1.0, steps: 4}")).grid();
        assertEquals(List.of(0.25, 0.5, 0.75, 1.0), explicit.eta());
        assertEquals(List.of(0.25, 0.5, 0.75, 1.0), implicit.eta());
        assertEquals(List.of(10, 15, 20), explicit.n());
    }

    @Test
    void numbersWrittenAsYamlTextAreAcceptedAsNumbers() throws Exception {
        // Quoted, these are strings to YAML: the loader must still read them as numbers.
        Object raw = new Yaml().load("x: \"1e-8\"");
        assertInstanceOf(String.class, ((java.util.Map<?, ?>) raw).get("x"));
        SweepConfig c = parse(sphere("wn", "alpha: '1e-1', m: '8', n: 4, d: 4, eta: [\"1e-2\", 2e-2]")
                + "train: {steps: '50', tolerance: \"1e-8\"}\n");
        assertEquals(1e-8, c.train().tolerance());
        assertEquals(50, c.train().steps());
        assertEquals(List.of(0.1), c.grid().alpha());
        assertEquals(List.of(8), c.grid().m());
        assertEquals(List.of(0.01, 0.02), c.grid().eta());
        // Unquoted, without a dot in the mantissa.
        assertEquals(1e-8, parse(sphere("wn", "alpha: 1, m: 8, n: 4, d: 4, eta: 1") + "train: {tolerance: 1e-8}\n")
                .train().tolerance());
    }

    @Test
    void modelListKeepsConfigOrderWithoutDuplicates() throws Exception {
        SweepConfig both = parse(sphere("[relu, wn]", "alpha: [1, 2], m: 8, n: 4, d: 4, eta: 1"));
        assertEquals(List.of(ModelKind.RELU, ModelKind.WN), both.models());
        assertEquals(List.of(1.0, 2.0), both.grid().alpha());
        SweepConfig dup = parse(sphere("[wn, relu, wn]", "alpha: 1, m: 8, n: 4, d: 4, eta: 1"));
        assertEquals(List.of(ModelKind.WN, ModelKind.RELU), dup.models());
    }

    @Test
    void reluOnlyConfigHasNoAlphaAxisAndRejectsOne() throws Exception {
        SweepConfig relu = parse(sphere("relu", "m: 8, n: 4, d: 4, eta: 1"));
        assertEquals(List.of(ModelKind.RELU), relu.models());
        assertTrue(relu.grid().alpha().isEmpty());
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(sphere("relu", "alpha: [1], m: 8, n: 4, d: 4, eta: 1")));
        assertEquals("grid.alpha", e.key());
    }

    @Test
    void seedsAsCountOrAsSortedDistinctList() throws Exception {
        String grid = "alpha: 1, m: 8, n: 4, d: 4, eta: 1";
        assertEquals(List.of(0L, 1L, 2L, 3L), parse(sphere("wn", grid).replace("seeds: 1", "seeds: 4")).seeds());
        assertEquals(List.of(1L, 3L, 5L), parse(sphere("wn", grid).replace("seeds: 1", "seeds: [5, 1, 5, 3]")).seeds());
        assertEquals(List.of(7L), parse(sphere("wn", grid).replace("seeds: 1", "seeds: [7]")).seeds());
    }

    @Test
    void defaultsForOmittedTrainAndSphereOptions() throws Exception {
        SweepConfig c = parse(sphere("wn", "alpha: 1, m: 8, n: 4, d: 4, eta: 1"));
        assertEquals(new TrainSettings(2000, 1e-8), c.train());
        assertEquals(new DataConfig.Sphere(SphereTarget.SIGN, 0L), c.data());
        SweepConfig g = parse(sphere("wn", "alpha: 1, m: 8, n: 4, d: 4, eta: 1")
                .replace("{kind: sphere}", "{kind: sphere, target: gaussian, seed: 7}") + "train: {steps: 300}\n");
        assertEquals(new DataConfig.Sphere(SphereTarget.GAUSSIAN, 7L), g.data());
        assertEquals(new TrainSettings(300, 1e-8), g.train());
    }

    @Test
    void csvDataResolvesAgainstTheConfigFolderAndLeavesDToTheFile() throws IOException, ConfigException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/points.csv"), "a,b,y\n1,0,1\n0,1,-1\n");
        Path config = dir.resolve("sweep.yaml");
        Files.writeString(config, "name: csv-run\nmodel: relu\ndata: {kind: csv, path: data/points.csv, label: y}\n"
                + "grid: {m: 8, n: 2, eta: 0.5}\nseeds: 1\n");
        SweepConfig c = ConfigLoader.load(config);
        assertEquals(new DataConfig.Csv(dir.resolve("data/points.csv").toAbsolutePath().normalize(), "y",
                Normalization.UNIT), c.data());
        assertEquals("csv", c.data().kind());
        assertTrue(c.grid().d().isEmpty());
        SweepConfig none = ConfigLoader.parse("name: c\nmodel: relu\ndata: {kind: csv, path: data/points.csv, label: y,"
                + " normalize: none}\ngrid: {m: 8, n: 2, eta: 0.5}\nseeds: 1\n", dir);
        assertEquals(Normalization.NONE, ((DataConfig.Csv) none.data()).normalize());
    }

    @Test
    void searchReplacesTheWidthAxisByItsCoarseGridAndEntersTheFingerprint() throws Exception {
        String text = sphere("wn", "alpha: 1, n: 4, d: 4, eta: 1") + "search: {m: bisect, lo: 4, hi: 100}\n";
        SweepConfig c = parse(text);
        assertEquals(new BisectSettings(4, 100, 1.19, 4), c.widths(), "resolution defaults to 1.19, the ladder to 4 doublings");
        assertEquals(List.of(4, 8, 16, 32, 64, 100), c.grid().m());
        assertEquals(ThresholdSettings.DEFAULT, c.thresholds());
        var plan = org.overparam.sweep.grid.GridExpander.plan(c, false);
        var finer = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("hi: 100}", "hi: 100, resolution: 1.05}")), false);
        var listed = org.overparam.sweep.grid.GridExpander.plan(parse(sphere("wn", "alpha: 1, m: [4, 8, 16, 32, 64, 100], n: 4, d: 4, eta: 1")), false);
        assertEquals(listed.trials(), plan.trials(), "stage 1 is the grid of the coarse widths");
        assertTrue(!plan.fingerprint().equals(finer.fingerprint()) && !plan.fingerprint().equals(listed.fingerprint()),
                "another resolution, or no search, is another sweep for --resume");
        assertEquals(new ListedWidths(listed.config().grid().m()), listed.config().widths());
    }

    @Test
    void adaptiveSearchHasDefaultsPlansTemplatesAtLoAndEntersTheFingerprint() throws Exception {
        String text = sphere("wn", "alpha: 1, n: [4, 8], d: 4, eta: 1") + "seeds: 3\n".replace("seeds: 3\n", "")
                + "search: {m: adaptive, lo: 4, hi: 100}\n";
        SweepConfig c = parse(text);
                assertEquals(new AdaptiveSettings(4, 100, 0.1, 400, 16, 4, 4), c.widths(), "the documented defaults");
        assertEquals(List.of(4), c.grid().m(), "the plan holds each group's trials at lo");
        var plan = org.overparam.sweep.grid.GridExpander.plan(c, false);
        assertEquals(2, plan.trials().size(), "one template per n and seed");
        var tighter = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("hi: 100}", "hi: 100, target: 0.05}")), false);
        var bisect = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("adaptive", "bisect")), false);
        assertTrue(!plan.fingerprint().equals(tighter.fingerprint()), "another target is another sweep for --resume");
        assertTrue(!plan.fingerprint().equals(bisect.fingerprint()));
        assertEquals(new AdaptiveSettings(4, 100, 0.1, 400, 16, 4, 4), ConfigLoader.adaptiveSettings(text));
        assertEquals(null, ConfigLoader.adaptiveSettings(text.replace("adaptive", "bisect")));
        assertEquals(new AdaptiveSettings(4, 100, 0.2, 48, 8, 0, 2),
                parse(text.replace("hi: 100}", "hi: 100, target: 0.2, max_trials: 48, batch: 8, budget_check: 0, ladder: 2}")).widths());
        var noLadder = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("hi: 100}", "hi: 100, ladder: 0}")), false);
        assertTrue(!plan.fingerprint().equals(noLadder.fingerprint()), "another ladder is another sweep for --resume");
    }

    @Test
    void ladderDoublingsByModelNameEveryModelOfTheSweepAndEnterTheFingerprint() throws Exception {
        String text = "name: t\nmodel: [relu, wn]\ndata: {kind: sphere}\ngrid: {alpha: 1, n: [4, 8], d: 4, eta: 1}\nseeds: 2\n"
                + "search: {m: adaptive, lo: 2, hi: 64, ladder: {relu: 4, wn: 1}}\n";
        AdaptiveSettings a = (AdaptiveSettings) parse(text).widths();
        assertEquals(4, a.ladder(), "the most doublings of any model");
        assertEquals(4, a.ladderFor("relu"));
        assertEquals(1, a.ladderFor("wn"));
        assertEquals(a, ConfigLoader.adaptiveSettings(text), "read back from a sweep's yaml");
        var plan = org.overparam.sweep.grid.GridExpander.plan(parse(text), false);
        var same = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("{relu: 4, wn: 1}", "{wn: 1, relu: 4}")), false);
        var other = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("wn: 1}", "wn: 2}")), false);
        var one = org.overparam.sweep.grid.GridExpander.plan(parse(text.replace("{relu: 4, wn: 1}", "4")), false);
        assertEquals(plan.fingerprint(), same.fingerprint(), "the keys' order is no other sweep");
        assertTrue(!plan.fingerprint().equals(other.fingerprint()), "another model's doublings are another sweep for --resume");
        assertTrue(!plan.fingerprint().equals(one.fingerprint()), "doublings by model are not one number for all");
        assertEquals(4, ((AdaptiveSettings) one.config().widths()).ladderFor("wn"), "one number holds for every model");

        ConfigException notInSweep = assertThrows(ConfigException.class, () -> parse(text.replace("wn: 1}", "wn: 1, bn: 2}")));
        assertEquals("search.ladder.bn", notInSweep.key());
        assertTrue(notInSweep.getMessage().contains("relu, wn"), notInSweep.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> parse(text.replace("wn: 1}", "wn: 1, rnn: 2}")));
        assertEquals("search.ladder.rnn", unknown.key());
        ConfigException missing = assertThrows(ConfigException.class, () -> parse(text.replace("relu: 4, ", "")));
        assertEquals("search.ladder", missing.key());
        assertTrue(missing.getMessage().contains("none for relu"), missing.getMessage());
        ConfigException range = assertThrows(ConfigException.class, () -> parse(text.replace("wn: 1}", "wn: 11}")));
        assertEquals("search.ladder.wn", range.key());
        assertTrue(range.getMessage().contains("got 11"), range.getMessage());
        ConfigException bisect = assertThrows(ConfigException.class, () -> parse(text.replace("m: adaptive", "m: bisect")));
        assertEquals("search.ladder", bisect.key());
        assertTrue(bisect.getMessage().contains("m: adaptive"), bisect.getMessage());
    }

    @Test
    void stepSizesByModelApplyToTheirModelOnly() throws Exception {
        SweepConfig c = parse("name: t\nmodel: [relu, wn]\ndata: {kind: sphere}\ngrid: {alpha: 1, m: 8, n: 4, d: 4,"
                + " eta: {relu: [0.1, 0.2], wn: 0.5}}\nseeds: 1\n");
        assertEquals(List.of(0.1, 0.2), c.grid().etaFor(org.overparam.trainer.trial.ModelKind.RELU));
        assertEquals(List.of(0.5), c.grid().etaFor(org.overparam.trainer.trial.ModelKind.WN));
        var plan = org.overparam.sweep.grid.GridExpander.plan(c, false);
        assertEquals(3, plan.trials().size());
        assertEquals(3, org.overparam.sweep.grid.GridExpander.countTrials(c));
        assertTrue(plan.trials().stream().allMatch(t -> t.eta() == (t.model() == org.overparam.trainer.trial.ModelKind.WN ? 0.5 : t.eta())
                && (t.model() == org.overparam.trainer.trial.ModelKind.WN || t.eta() < 0.3)));
    }

    @Test
    void thresholdSettingsParseAndAreReadBackFromASweepYaml() throws Exception {
        String text = sphere("wn", "alpha: 1, m: 8, n: 4, d: 4, eta: 1") + "thresholds: {delta: 0.25, bootstrap: 0}\n";
        assertEquals(new ThresholdSettings(0.25, 0), parse(text).thresholds());
        assertEquals(new ThresholdSettings(0.25, 0), ConfigLoader.thresholdSettings(text));
        assertEquals(ThresholdSettings.DEFAULT, ConfigLoader.thresholdSettings(sphere("wn", "m: 8")));
        assertEquals(new ThresholdSettings(0.1, 50), parse(text.replace("{delta: 0.25, bootstrap: 0}", "{bootstrap: 50}")).thresholds());
    }

    @Test
    void shippedThresholdsSweepIsABisectSearch() throws Exception {
        SweepConfig c = ConfigLoader.load(quickstart().resolveSibling("thresholds.yaml"));
        assertEquals(List.of(10, 20, 40, 80), c.grid().n());
        assertEquals(List.of(0.5, 1.0, 2.0), c.grid().alpha());
        assertEquals(new BisectSettings(4, 512, 1.19, 4), c.widths());
        assertEquals(3 * 4 * 8 * c.seeds().size(), org.overparam.sweep.grid.GridExpander.plan(c, false).trials().size());
    }

    @Test
    void missingConfigFileIsADocumentLevelError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("absent.yaml")));
        assertEquals("", e.key());
        assertTrue(e.getMessage().contains("absent.yaml"), e.getMessage());
    }
}
