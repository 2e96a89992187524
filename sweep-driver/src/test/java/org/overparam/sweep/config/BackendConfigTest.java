package org.overparam.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.trainer.backend.BackendKind;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.Precision;

/** The {@code backend} key: scalar or map, defaults, and errors that name the key. */
class BackendConfigTest {
    private static final String BASE = """
            name: t
            model: wn
            data: {kind: sphere, target: sign}
            grid: {alpha: [1], m: [8], n: [4], d: [3], eta: [0.5]}
            seeds: 2
            """;

    private static SweepConfig parse(String backendLine) throws ConfigException {
        return ConfigLoader.parse(BASE + (backendLine == null ? "" : backendLine + "\n"), Path.of("."));
    }

    @Test
    void absentMeansTheCpu() throws ConfigException {
        assertEquals(BackendSettings.DEFAULT, parse(null).backend());
        assertEquals(BackendKind.CPU, BackendSettings.DEFAULT.kind());
    }

    @Test
    void aScalarNamesTheKind() throws ConfigException {
        assertEquals(BackendSettings.of(BackendKind.AUTO), parse("backend: auto").backend());
        assertEquals(BackendSettings.of(BackendKind.CUDA), parse("backend: cuda").backend());
        assertEquals(BackendSettings.of(BackendKind.CPU), parse("backend: cpu").backend());
    }

    @Test
    void aMapSetsEverything() throws ConfigException {
        assertEquals(new BackendSettings(BackendKind.CUDA, Precision.FLOAT32, 4, 2048),
                parse("backend: {kind: cuda, precision: float32, tasks_per_gpu: 4, max_pack: 2048}").backend());
        assertEquals(new BackendSettings(BackendKind.AUTO, Precision.FLOAT64, 1, 512), parse("backend: {kind: auto}").backend());
    }

    @Test
    void theBackendLeavesTrialIdsAlone() throws ConfigException {
        assertEquals(GridExpander.plan(parse(null), false).fingerprint(),
                GridExpander.plan(parse("backend: {kind: cuda, max_pack: 7}"), false).fingerprint());
    }

    @Test
    void cudaIsRefusedForASweepWithoutReluOrWn() throws ConfigException {
        String smooth = BASE.replace("model: wn", "model: smooth").replace("alpha: [1], ", "activation: [tanh], ");
        assertTrue(!smooth.equals(BASE) && smooth.contains("activation"), smooth);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(smooth + "backend: cuda\n", Path.of(".")));
        assertEquals("backend", e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("relu and wn only") && e.getMessage().contains("smooth"), e.getMessage());
        // auto accepts it (those trials train on the CPU)
        assertEquals(BackendKind.AUTO, ConfigLoader.parse(smooth + "backend: auto\n", Path.of(".")).backend().kind());
    }

    @Test
    void cudaIsRefusedForAnyModelItsKernelsDoNotTrainAndAutoTakesThem() throws ConfigException {
        String mixed = BASE.replace("model: wn", "model: [wn, smooth]").replace("alpha: [1], ", "alpha: [1], activation: [tanh], ");
        assertTrue(!mixed.equals(BASE) && mixed.contains("activation"), mixed);
        for (String backend : new String[] {"backend: cuda", "backend: {kind: cuda, precision: float32}"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.parse(mixed + backend + "\n", Path.of(".")), backend);
            assertEquals("backend", e.key(), e.getMessage());
            assertEquals("backend: cuda trains relu and wn only, not smooth (model: [wn, smooth]); use backend auto to train smooth"
                    + " on the CPU beside the GPU's trials, or backend cpu", e.getMessage());
        }
        String bn = BASE.replace("model: wn", "model: [relu, wn, bn, grelu]").replace("alpha: [1], ", "alpha: [1], L: [2], ");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(bn + "backend: cuda\n", Path.of(".")));
        assertTrue(e.getMessage().contains("not bn, grelu (model: [relu, wn, bn, grelu])"), e.getMessage());
        // auto and cpu accept both; cuda accepts relu and wn together
        assertEquals(BackendKind.AUTO, ConfigLoader.parse(mixed + "backend: auto\n", Path.of(".")).backend().kind());
        assertEquals(BackendKind.AUTO, ConfigLoader.parse(bn + "backend: auto\n", Path.of(".")).backend().kind());
        assertEquals(BackendKind.CPU, ConfigLoader.parse(bn + "backend: cpu\n", Path.of(".")).backend().kind());
        String both = BASE.replace("model: wn", "model: [relu, wn]");
        assertEquals(BackendKind.CUDA, ConfigLoader.parse(both + "backend: cuda\n", Path.of(".")).backend().kind());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "backend: gpu                                              | backend       | unknown backend 'gpu' (known: auto, cpu, cuda)",
        "backend: {kind: tpu}                                      | backend.kind  | unknown backend 'tpu'",
        "backend: {precision: float64}                             | backend.kind  | required key is missing",
        "backend: {kind: cuda, precision: half}                    | backend.precision | unknown precision 'half' (known: float64, float32)",
        "backend: {kind: auto, precision: float32}                 | backend.precision | float32 needs backend.kind cuda",
        "backend: {kind: cuda, tasks_per_gpu: 0}                   | backend.tasks_per_gpu | must be in 1..64, got 0",
        "backend: {kind: cuda, max_pack: 100000}                   | backend.max_pack | must be in 1..65535, got 100000",
        "backend: {kind: cuda, pack: 8}                            | backend.pack  | ",
    })
    void malformedBackendsNameTheKey(String line, String key, String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(line));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        if (text != null) {
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
    }
}
