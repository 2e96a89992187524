package org.overparam.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.grid.GridExpander;

/** {@code train.time_limit}: units, defaults, clear errors, and no part in trial ids. */
class TimeLimitConfigTest {
    private static final String BASE = """
            name: t
            model: wn
            data: {kind: sphere}
            grid: {alpha: [1.0], m: [8], n: [6], d: [10], eta: [0.5]}
            seeds: 2
            train: {steps: 300%s}
            """;

    private static SweepConfig parse(String limit) throws ConfigException {
        return ConfigLoader.parse(BASE.formatted(limit == null ? "" : ", time_limit: " + limit), Path.of("."));
    }

    @Test
    void limitsParseWithTheirUnits() throws Exception {
        assertNull(parse(null).train().timeLimit(), "default: none");
        assertEquals(Duration.ofSeconds(30), parse("30s").train().timeLimit());
        assertEquals(Duration.ofMinutes(10), parse("10m").train().timeLimit());
        assertEquals(Duration.ofHours(2), parse("2h").train().timeLimit());
        assertEquals(Duration.ofMillis(1500), parse("1500ms").train().timeLimit());
        assertEquals(Duration.ofMillis(2500), parse("2.5s").train().timeLimit());
    }

    @Test
    void badLimitsNameTheKeyAndValue() {
        for (String bad : new String[] {"30", "-5s", "ten minutes", "0s", "5d"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(bad));
            assertEquals("train.time_limit", e.key(), bad);
            assertTrue(e.getMessage().contains(bad.trim()), e.getMessage());
        }
    }

    @Test
    void theLimitIsNotPartOfTrialIds() throws Exception {
        assertEquals(GridExpander.plan(parse(null), false).fingerprint(), GridExpander.plan(parse("30s"), false).fingerprint());
        assertEquals(GridExpander.plan(parse(null), false).trials(), GridExpander.plan(parse("1m"), false).trials());
    }
}
