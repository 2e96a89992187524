package org.overparam.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.sweep.grid.GridExpander;

/**
 * Every malformed config is refused with a {@link ConfigException} naming the offending key in a
 * one-line message, whether the problem is found while parsing or while planning (file data, size).
 */
class ConfigErrorsTest {

    /** CSV written as data.csv into the config folder by the cases that need it: 3 features, label y, 5 rows. */
    private static final String CSV = "x1,x2,x3,y\n1,2,3,1\n0,1,0,-1\n2,2,1,1\n1,0,0,-1\n3,1,2,1\n";

    /** A valid sphere config, one top-level key per entry, so that a case can replace or drop one. */
    private static Map<String, String> base() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", "t");
        m.put("model", "wn");
        m.put("data", "{kind: sphere, target: sign}");
        m.put("grid", "{alpha: [1], m: [8], n: [4], d: [3], eta: [0.5]}");
        m.put("seeds", "2");
        m.put("train", "{steps: 10, tolerance: 1.0e-6}");
        return m;
    }

    private static String yaml(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** The base config with {@code key} set to {@code value} (dropped when null). */
    private static String with(String key, String value) {
        Map<String, String> m = base();
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return yaml(m);
    }

    /** The base config with the grid mapping body replaced. */
    private static String grid(String body) {
        return with("grid", "{" + body + "}");
    }

    /** A csv config reading data.csv from the config folder with the given data extras and grid body. */
    private static String csv(String dataBody, String gridBody) {
        Map<String, String> m = base();
        m.put("model", "relu");
        m.put("data", "{kind: csv" + dataBody + "}");
        m.put("grid", "{" + gridBody + "}");
        return yaml(m);
    }

    /** The base config with another model (or list) and grid body. */
    private static String model(String model, String gridBody) {
        Map<String, String> m = base();
        m.put("model", model);
        m.put("grid", "{" + gridBody + "}");
        return yaml(m);
    }

    /** The base config with another model, data and grid body. */
    private static String modelData(String model, String data, String gridBody) {
        Map<String, String> m = base();
        m.put("model", model);
        m.put("data", data);
        m.put("grid", "{" + gridBody + "}");
        return yaml(m);
    }

    /** The base config with its widths searched ({@code search: {body}}) instead of listed. */
    private static String search(String body) {
        return with("search", "{" + body + "}").replace("m: [8], ", "");
    }

    private static Arguments bad(String yaml, String key) {
        return Arguments.of(yaml, key, null);
    }

    private static Arguments badWithCsv(String yaml, String key) {
        return Arguments.of(yaml, key, CSV);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                // document level
                bad("name: [t\nmodel: wn\n", ""),                               // YAML syntax error
                bad("", ""),                                                    // empty document
                bad("# nothing but a comment\n", ""),                           // empty document
                bad("- name\n- t\n", ""),                                       // not a mapping
                bad("name: t\nname: u\nmodel: wn\n", ""),                       // duplicate key
                bad(with("name", "!!java.io.File /etc"), ""),                   // unsafe tag
                // unknown and misspelt keys
                bad(yaml(base()) + "colour: red\n", "colour"),
                bad(with("seeds", null) + "seed: 2\n", "seed"),
                bad(with("data", "{kind: sphere, target: sign, noise: 0.1}"), "data.noise"),
                bad(grid("alpha: [1], m: [8], n: [4], d: [3], eta: [0.5], width: [8]"), "grid.width"),
                bad(grid("alpha: [1], m: [8], n: [4], d: [3], etta: [0.5]"), "grid.etta"),
                bad(with("train", "{steps: 10, tolerence: 1.0e-6}"), "train.tolerence"),
                bad(grid("alpha: [1], m: {from: 8, to: 16, step: 2}, n: [4], d: [3], eta: [0.5]"), "grid.m.step"),
                // missing required keys
                bad(with("name", null), "name"),
                bad(with("grid", null), "grid"),
                bad(grid("alpha: [1], n: [4], d: [3], eta: [0.5]"), "grid.m"),
                bad(grid("m: [8], n: [4], d: [3], eta: [0.5]"), "grid.alpha"),          // wn needs alpha
                bad(grid("alpha: [1], m: {from: 8, to: 16}, n: [4], d: [3], eta: [0.5]"), "grid.m.steps"),
                bad(with("data", "{target: sign}"), "data.kind"),
                bad(with("model", "relu").replace("{kind: sphere, target: sign}", "{kind: csv, label: y}")
                        .replace("alpha: [1], ", ""), "data.path"),
                bad(with("name", ""), "name"),                                   // present but null
                // wrong types
                bad(with("name", "[a, b]"), "name"),
                bad(with("name", "a/b"), "name"),
                bad(with("name", "\"two\\nlines\""), "name"),                   // value spanning lines
                bad(with("data", "sphere"), "data"),
                bad(grid("alpha: [1], m: lots, n: [4], d: [3], eta: [0.5]"), "grid.m"),
                bad(grid("alpha: [1], m: [8, lots], n: [4], d: [3], eta: [0.5]"), "grid.m[1]"),
                bad(grid("alpha: [1], m: [true], n: [4], d: [3], eta: [0.5]"), "grid.m[0]"),
                bad(grid("alpha: [1], m: [8.5], n: [4], d: [3], eta: [0.5]"), "grid.m[0]"),
                bad(with("seeds", "three"), "seeds"),
                bad(with("train", "{steps: 1.5}"), "train.steps"),
                bad(with("train", "[10]"), "train"),
                // empty or out-of-range axes
                bad(grid("alpha: [1], m: [], n: [4], d: [3], eta: [0.5]"), "grid.m"),
                bad(grid("alpha: [1], m: 0, n: [4], d: [3], eta: [0.5]"), "grid.m"),
                bad(grid("alpha: [1], m: [8, 0], n: [4], d: [3], eta: [0.5]"), "grid.m[1]"),
                bad(grid("alpha: [1], m: [8], n: 1, d: [3], eta: [0.5]"), "grid.n"),
                bad(grid("alpha: 0, m: [8], n: [4], d: [3], eta: [0.5]"), "grid.alpha"),
                bad(grid("alpha: -1, m: [8], n: [4], d: [3], eta: [0.5]"), "grid.alpha"),
                bad(grid("alpha: [1, .nan], m: [8], n: [4], d: [3], eta: [0.5]"), "grid.alpha[1]"),
                bad(grid("alpha: [1], m: [8], n: [4], d: [3], eta: 0"), "grid.eta"),
                bad(grid("alpha: [1], m: [8], n: [4], d: [3], eta: .inf"), "grid.eta"),
                bad(grid("alpha: [1], m: [8], n: [4], d: 0, eta: [0.5]"), "grid.d"),
                bad(grid("alpha: [1], m: {log2: [6, 3]}, n: [4], d: [3], eta: [0.5]"), "grid.m.log2"),
                bad(grid("alpha: [1], m: {log2: [3]}, n: [4], d: [3], eta: [0.5]"), "grid.m.log2"),
                bad(grid("alpha: [1], m: {from: 8, to: 64, steps: 4, scale: cubic}, n: [4], d: [3], eta: [0.5]"),
                        "grid.m.scale"),
                bad(grid("alpha: [1], m: {from: 64, to: 8, steps: 4}, n: [4], d: [3], eta: [0.5]"), "grid.m"),
                bad(grid("alpha: [1], m: [8], n: [4], d: [3], eta: {from: 0, to: 1, steps: 3, scale: log}"),
                        "grid.eta.from"),
                // models, data, seeds, train
                bad(with("model", "cnn"), "model"),
                bad(with("model", "[wn, cnn]"), "model[1]"),
                bad(with("model", "[]"), "model"),
                bad(with("model", "\"w\\nn\""), "model"),
                bad(with("model", "relu"), "grid.alpha"),                        // relu has no alpha
                bad(with("data", "{kind: imagenet}"), "data.kind"),
                bad(with("data", "{kind: sphere, target: cosine}"), "data.target"),
                bad(with("seeds", "0"), "seeds"),
                bad(with("seeds", "[]"), "seeds"),
                bad(with("seeds", "[3, -1]"), "seeds[1]"),
                bad(with("train", "{tolerance: 0}"), "train.tolerance"),
                bad(with("train", "{tolerance: 1.5}"), "train.tolerance"),
                bad(with("train", "{steps: 0}"), "train.steps"),
                // file data
                bad(csv(", path: missing.csv, label: y", "m: [8], n: [4], eta: [0.5]"), "data.path"),
                badWithCsv(csv(", path: data.csv", "m: [8], n: [4], eta: [0.5]"), "data.label"),
                badWithCsv(csv(", path: data.csv, label: z", "m: [8], n: [4], eta: [0.5]"), "data.label"),
                badWithCsv(csv(", path: data.csv, label: y", "m: [8], n: [4], d: [3], eta: [0.5]"), "grid.d"),
                badWithCsv(csv(", path: data.csv, label: y, normalize: zscore", "m: [8], n: [4], eta: [0.5]"),
                        "data.normalize"),
                badWithCsv(csv(", path: data.csv, label: y", "m: [8], n: [4, 6], eta: [0.5]"), "grid.n"),
                // model-specific keys (theory.md §3–5): used by no model of the sweep, missing, malformed
                bad(model("relu", "m: [8], n: [4], d: [3], eta: [0.5], L: [2]"), "grid.L"),
                bad(model("[wn, bn]", "alpha: [1], m: [8], n: [4], d: [3], eta: [0.5], activation: [gelu]"), "grid.activation"),
                bad(model("grelu", "m: [8], n: [4], d: [3], eta: [0.5], L: [2], optimizer: [sgd]"), "grid.optimizer"),
                bad(model("deep-relu", "m: [8], n: [4], d: [3], eta: [0.5], L: [2], convert_at: [5]"), "grid.convert_at"),
                bad(model("grelu", "m: [8], n: [4], d: [3], eta: [0.5], L: [2], convert_at: [0]"), "grid.convert_at[0]"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: {kind: gd, batch: 4}"), "grid.optimizer.batch"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: {kind: sgd, batch: 0}"), "grid.optimizer.batch"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: {kind: adam}"), "grid.optimizer.kind"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: {batch: 4}"), "grid.optimizer.kind"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: {kind: sgd, size: 4}"), "grid.optimizer.size"),
                bad(model("bn", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: {kind: sgd, batch: 4}"), "grid.optimizer.batch"),
                bad(model("grelu", "m: [8], n: [4], d: [3], eta: [0.5]"), "grid.L"),
                bad(model("deep-relu", "m: [8], n: [4], d: [3], eta: [0.5], L: [0]"), "grid.L[0]"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], activation: [gelu, relu]"), "grid.activation[1]"),
                bad(model("bn", "m: [8], n: [4], d: [3], eta: [0.5], optimizer: adam"), "grid.optimizer"),
                bad(model("bn", "m: [8], n: [4], d: [3], eta: [0.5], epsilon: [-1]"), "grid.epsilon[0]"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], omega1: [0.1]"), "grid.omega2"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], omega1: [1], omega2: [1], omega_ratio: [2]"),
                        "grid.omega_ratio"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], omega_product: [0.1]"), "grid.omega_ratio"),
                bad(model("smooth", "m: [8], n: [4], d: [3], eta: [0.5], omega_ratio: [0]"), "grid.omega_ratio[0]"),
                // models against data
                bad(modelData("bn", "{kind: ackley}", "m: [8], n: [4], d: [3], eta: [0.5]"), "data"),
                bad(modelData("bn", "{kind: sphere, target: gaussian}", "m: [8], n: [4], d: [3], eta: [0.5]"), "data"),
                bad(modelData("grelu", "{kind: ackley}", "m: [8], n: [4], d: [3], eta: [0.5], L: 2, d_y: [2]"), "grid.d_y"),
                bad(modelData("bn", "{kind: dyadic}", "m: [8], n: [4], d: [3], eta: [0.5]"), "grid.n"),
                bad(modelData("bn", "{kind: teacher, target: cosine}", "m: [8], n: [4], d: [3], eta: [0.5]"), "data.target"),
                bad(modelData("relu", "{kind: mnist}", "m: [8], n: [4], eta: [0.5]"), "data.path"),
                bad(modelData("relu", "{kind: mnist, path: no-such-folder}", "m: [8], n: [4], eta: [0.5]"), "data.path"),
                bad(modelData("relu", "{kind: cifar10, path: .}", "m: [8], n: [4], eta: [0.5]"), "data.path"),
                bad(modelData("relu", "{kind: teacher, test_fraction: 1.5}", "m: [8], n: [4], d: [3], eta: [0.5]"),
                        "data.test_fraction"),
                // width search and thresholds
                bad(yaml(base()) + "search: {m: bisect, lo: 2, hi: 64}\n", "grid.m"),     // both grid.m and a search
                bad(search("m: linear, lo: 2, hi: 64"), "search.m"),
                bad(search("lo: 2, hi: 64"), "search.m"),
                bad(search("m: bisect, hi: 64"), "search.lo"),
                bad(search("m: bisect, lo: 0, hi: 64"), "search.lo"),
                bad(search("m: bisect, lo: 2.5, hi: 64"), "search.lo"),
                bad(search("m: bisect, lo: 64, hi: 64"), "search.hi"),
                bad(search("m: bisect, lo: 2, hi: 99999999999"), "search.hi"),
                bad(search("m: bisect, lo: 2, hi: 64, resolution: 1"), "search.resolution"),
                bad(search("m: bisect, lo: 2, hi: 64, resolution: fine"), "search.resolution"),
                bad(search("m: bisect, lo: 2, hi: 64, step: 2"), "search.step"),
                bad(with("search", "bisect").replace("m: [8], ", ""), "search"),
                bad(with("thresholds", "{delta: 0}"), "thresholds.delta"),
                bad(with("thresholds", "{delta: 1}"), "thresholds.delta"),
                bad(with("thresholds", "{bootstrap: -1}"), "thresholds.bootstrap"),
                bad(with("thresholds", "{bootstrap: 2.5}"), "thresholds.bootstrap"),
                bad(with("thresholds", "{level: 0.9}"), "thresholds.level"),
                // size: 7 alpha x 8 m x 6 n x 5 d x 3 eta x 20 seeds = 100,800 trials > 100,000
                bad(overLimit(), "grid"));
    }

    /** A config expanding to 7·8·6·5·3·20 = 100,800 trials, just over {@link GridExpander#MAX_TRIALS}. */
    static String overLimit() {
        Map<String, String> m = base();
        m.put("grid", "{alpha: [1, 2, 3, 4, 5, 6, 7], m: [1, 2, 3, 4, 5, 6, 7, 8], n: [2, 3, 4, 5, 6, 7],"
                + " d: [1, 2, 3, 4, 5], eta: [0.1, 0.2, 0.3]}");
        m.put("seeds", "20");
        return yaml(m);
    }

    @ParameterizedTest(name = "[{index}] key ''{1}''")
    @MethodSource("malformed")
    void malformedConfigIsRefusedNamingTheKey(String yaml, String expectedKey, String csv, @TempDir Path dir)
            throws Exception {
        if (csv != null) {
            Files.writeString(dir.resolve("data.csv"), csv);
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> GridExpander.plan(ConfigLoader.parse(yaml, dir), false));
        assertEquals(expectedKey, e.key(), e.getMessage());
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "message spans lines: " + message);
        assertTrue(message.contains(expectedKey), message);
        assertTrue(message.length() > expectedKey.length() + 2, "message says nothing: " + message);
    }

    @Test
    void tableCoversAtLeastTwentyFiveConfigs() {
        assertTrue(malformed().count() >= 25);
    }
}
