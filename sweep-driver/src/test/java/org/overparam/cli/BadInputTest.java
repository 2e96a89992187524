package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the command line itself ({@code overparam run CONFIG --out DIR ...}): every
 * case exits with 2, prints exactly one line on stderr naming the key (or option, or the YAML
 * position), nothing on stdout, and creates no output folder. The configs cover syntax, unknown
 * keys, wrong types, out-of-range values, impossible combinations and the size limit; the
 * loader-level table with more cases is {@code ConfigErrorsTest}.
 */
class BadInputTest {
    /** A valid sphere config; cases edit one line of it. */
    private static final String SPHERE = """
            name: cli
            model: wn
            data: {kind: sphere, target: sign}
            grid:
              alpha: [1.0]
              m: [8]
              n: [4]
              d: [3]
              eta: [0.5]
            seeds: 2
            train: {steps: 10, tolerance: 1.0e-6}
            """;
    /** A valid config on {@link #CSV}, written next to the config as data.csv. */
    private static final String CSV_CONFIG = """
            name: cli-csv
            model: relu
            data: {kind: csv, path: data.csv, label: y}
            grid:
              m: [8]
              n: [4]
              eta: [0.5]
            seeds: 2
            """;
    private static final String CSV = "x1,x2,x3,y\n1,2,3,1\n0,1,0,-1\n2,2,1,1\n1,0,0,-1\n3,1,2,1\n";

    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.stdout();
    private final ByteArrayOutputStream err = console.stderr();

    /** {@code base} with {@code from} replaced by {@code to}; {@code from} must occur, so no case is silently valid. */
    private static String edit(String base, String from, String to) {
        if (!base.contains(from)) {
            throw new IllegalArgumentException("the base config has no '" + from + "'");
        }
        return base.replace(from, to);
    }

    private static String sphere(String from, String to) {
        return edit(SPHERE, from, to);
    }

    private static String csv(String from, String to) {
        return edit(CSV_CONFIG, from, to);
    }

    /** The base config with an adaptive search instead of {@code grid.m}, then edited. */
    private static String adaptive(String from, String to) {
        return edit(sphere("  m: [8]\n", "") + "search: {m: adaptive, lo: 4, hi: 64, target: 0.2, max_trials: 64, batch: 16, budget_check: 4}\n",
                from, to);
    }

    /** A case: the config text, extra command-line options, and what its one error line must name. */
    private static Arguments bad(String what, String yaml, String expected, String... options) {
        return Arguments.of(what, yaml, List.of(options), expected);
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // YAML syntax
                bad("unclosed flow sequence", sphere("m: [8]", "m: [8"), "not valid YAML at line"),
                bad("tab indentation", sphere("  m: [8]", "\tm: [8]"), "not valid YAML at line"),
                bad("duplicate key", SPHERE + "seeds: 3\n", "duplicate key seeds"),
                bad("a list, not a mapping", "- name\n- cli\n", "mapping"),
                bad("empty file", "", "the config is empty"),
                // unknown keys
                bad("unknown top-level key", SPHERE + "colour: red\n", "colour"),
                bad("misspelt grid axis", sphere("eta:", "etta:"), "grid.etta"),
                bad("misspelt train key", sphere("tolerance:", "tolerence:"), "train.tolerence"),
                bad("unknown data key", sphere("target: sign", "target: sign, noise: 0.1"), "data.noise"),
                // wrong types
                bad("name is a list", sphere("name: cli", "name: [a, b]"), "name"),
                bad("width is a word", sphere("m: [8]", "m: lots"), "grid.m"),
                bad("fractional width", sphere("m: [8]", "m: [8.5]"), "grid.m[0]"),
                bad("step size is a word", sphere("eta: [0.5]", "eta: [fast]"), "grid.eta[0]"),
                bad("seed count is a word", sphere("seeds: 2", "seeds: three"), "seeds"),
                bad("fractional step budget", sphere("steps: 10", "steps: 1.5"), "train.steps"),
                // out-of-range values
                bad("zero step size", sphere("eta: [0.5]", "eta: [0]"), "grid.eta[0]"),
                bad("negative alpha", sphere("alpha: [1.0]", "alpha: [-1]"), "grid.alpha[0]"),
                bad("one example", sphere("n: [4]", "n: [1]"), "grid.n[0]"),
                bad("tolerance above 1", sphere("tolerance: 1.0e-6", "tolerance: 1.5"), "train.tolerance"),
                bad("no seeds", sphere("seeds: 2", "seeds: 0"), "seeds"),
                bad("zero steps", sphere("steps: 10", "steps: 0"), "train.steps"),
                bad("unknown model", sphere("model: wn", "model: cnn"), "model"),
                // impossible combinations
                bad("relu with alpha", sphere("model: wn", "model: relu"), "grid.alpha"),
                bad("wn without alpha", sphere("  alpha: [1.0]\n", ""), "grid.alpha"),
                bad("csv with grid.d", csv("  n: [4]\n", "  n: [4]\n  d: [3]\n"), "grid.d"),
                bad("csv with more n than rows", csv("n: [4]", "n: [4, 9]"), "grid.n"),
                bad("csv with a sphere target", csv("label: y}", "label: y, target: sign}"), "data.target"),
                bad("csv without label", csv(", label: y}", "}"), "data.label"),
                bad("cuda with a model its kernels do not train", sphere("model: wn", "model: [wn, bn]") + "backend: cuda\n",
                        "backend: cuda trains relu and wn only, not bn"),
                // train.loss and train.stuck_horizon
                bad("unknown loss", sphere("tolerance: 1.0e-6}", "tolerance: 1.0e-6, loss: hinge}"), "train.loss: unknown loss 'hinge'"),
                bad("squared hinge on real targets", sphere("target: sign", "target: gaussian").replace("tolerance: 1.0e-6}",
                        "tolerance: 1.0e-6, loss: squared_hinge}"), "train.loss: squared_hinge needs labels ±1"),
                bad("squared hinge for bn", sphere("model: wn", "model: [wn, bn]").replace("tolerance: 1.0e-6}",
                        "tolerance: 1.0e-6, loss: squared_hinge}"), "train.loss: squared_hinge is for models relu, wn, grelu, deep-relu, not bn"),
                bad("squared hinge on cuda", sphere("tolerance: 1.0e-6}", "tolerance: 1.0e-6, loss: squared_hinge}") + "backend: cuda\n",
                        "train.loss: squared_hinge trains on the CPU only"),
                bad("negative stuck horizon", sphere("tolerance: 1.0e-6}", "tolerance: 1.0e-6, stuck_horizon: -1}"),
                        "train.stuck_horizon: must be in 0..1000000"),
                bad("fractional stuck horizon", sphere("tolerance: 1.0e-6}", "tolerance: 1.0e-6, stuck_horizon: 1.5}"),
                        "train.stuck_horizon"),
                // the adaptive search's keys
                bad("unknown search method", adaptive("m: adaptive", "m: quest"), "search.m"),
                bad("bisect key in an adaptive search", adaptive("target: 0.2", "resolution: 1.19"), "search.resolution"),
                bad("misspelt adaptive key", adaptive("max_trials: 64", "max_trial: 64"), "search.max_trial"),
                bad("zero target", adaptive("target: 0.2", "target: 0"), "search.target"),
                bad("target is a word", adaptive("target: 0.2", "target: tight"), "search.target"),
                bad("max_trials below two batches", adaptive("max_trials: 64", "max_trials: 20"), "search.max_trials"),
                bad("zero batch", adaptive("batch: 16", "batch: 0"), "search.batch"),
                bad("budget check factor 1", adaptive("budget_check: 4", "budget_check: 1"), "search.budget_check"),
                bad("negative ladder", adaptive("budget_check: 4", "budget_check: 4, ladder: -1"), "search.ladder"),
                bad("ladder beyond ten doublings", adaptive("budget_check: 4", "budget_check: 4, ladder: 11"), "search.ladder"),
                bad("hi below lo", adaptive("hi: 64", "hi: 2"), "search.hi"),
                bad("adaptive search and grid.m", adaptive("  n: [4]\n", "  n: [4]\n  m: [8]\n"), "grid.m"),
                bad("eta by model naming a model not swept", sphere("eta: [0.5]", "eta: {wn: 0.5, relu: 0.1}"), "grid.eta.relu"),
                bad("eta by model missing a model", sphere("model: wn", "model: [wn, relu]").replace("eta: [0.5]", "eta: {wn: 0.5}"),
                        "grid.eta"),
                // the size limit
                bad("grid over the size limit without --force", overLimit(), "--force"),
                // options
                bad("zero batch size", SPHERE, "--batch-size", "--batch-size", "0"),
                bad("batch size is a word", SPHERE, "--batch-size", "--batch-size", "lots"),
                bad("zero partitions per core", SPHERE, "--partitions-per-core", "--partitions-per-core", "0"),
                bad("resume and overwrite", SPHERE, "--resume", "--resume", "--overwrite"),
                bad("unknown option", SPHERE, "--no-such-option", "--no-such-option"));
    }

    /** 2 α · 8 m · 6 n · 5 d · 3 η · 80 seeds = 115,200 trials, over the limit of 100,000. */
    static String overLimit() {
        return sphere("""
                  alpha: [1.0]
                  m: [8]
                  n: [4]
                  d: [3]
                  eta: [0.5]
                seeds: 2
                """, """
                  alpha: [1.0, 2.0]
                  m: [1, 2, 3, 4, 5, 6, 7, 8]
                  n: [2, 3, 4, 5, 6, 7]
                  d: [1, 2, 3, 4, 5]
                  eta: [0.1, 0.2, 0.3]
                seeds: 80
                """);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badInput")
    void badInputExitsWithTwoAndOneLineNamingTheKeyAndWritesNothing(String what, String yaml, List<String> options,
                                                                     String expected) throws Exception {
        Path config = tmp.resolve("sweep.yaml");
        Files.writeString(config, yaml);
        Files.writeString(tmp.resolve("data.csv"), CSV);
        Path outDir = tmp.resolve("out");
        if (options.isEmpty()) {
            // Without Spark first: a config case that turned valid must fail here, not launch a sweep.
            assertEquals(2, OverparamCli.execute("validate", config.toString()), what + ": validate must refuse it");
            err.reset();
        }
        List<String> args = new ArrayList<>(List.of("run", config.toString(), "--out", outDir.toString()));
        args.addAll(options);

        int code = OverparamCli.execute(args.toArray(String[]::new));

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, what + ": " + stderr);
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), what + ": exactly one line on stderr, got:\n" + stderr);
        assertTrue(lines.get(0).startsWith("overparam: "), lines.get(0));
        assertTrue(lines.get(0).contains(expected), what + ": the line must name '" + expected + "': " + lines.get(0));
        assertEquals("", out.toString(StandardCharsets.UTF_8), what + ": nothing on stdout");
        assertTrue(Files.notExists(outDir), what + ": no output folder");
    }

    @Test
    void theTableCoversAtLeastTwentyConfigs() {
        long configs = badInput().filter(a -> ((List<?>) a.get()[2]).isEmpty()).count();
        assertTrue(configs >= 20, "malformed configs in the table: " + configs);
    }

    @Test
    void aMissingConfigFileIsOneLineToo() {
        Path outDir = tmp.resolve("out");
        assertEquals(2, OverparamCli.execute("run", tmp.resolve("nope.yaml").toString(), "--out", outDir.toString()));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("nope.yaml does not exist"), lines.get(0));
        assertTrue(Files.notExists(outDir));
    }

    @Test
    void theSizeLimitYieldsToForce() throws Exception {
        Path config = tmp.resolve("big.yaml");
        Files.writeString(config, overLimit());
        assertEquals(2, OverparamCli.execute("validate", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("115200 trials"), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, OverparamCli.execute("validate", config.toString(), "--force"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("trials: 115200"), out.toString(StandardCharsets.UTF_8));
    }
}
