package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link TrialSpec#id()} and the instruments: default ids unchanged, every instrument setting distinguishes. */
class TrialSpecInstrumentsTest {
    private static final String DATA = "sphere(target=sign,seed=1)";

    private static TrialSpec with(InstrumentSettings settings) {
        return new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, DATA, 100, 1e-6, settings);
    }

    @Test
    void defaultInstrumentsKeepThePreInstrumentId() throws Exception {
        TrialSpec tenArg = new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, DATA, 100, 1e-6);
        TrialSpec off = with(InstrumentSettings.OFF);
        TrialSpec offSpelledOut = with(new InstrumentSettings(false, InstrumentSettings.NONE, 0.1));
        assertEquals(tenArg, off);
        assertEquals(tenArg.id(), off.id());
        assertEquals(tenArg.id(), offSpelledOut.id());
        // The id of a spec without instruments is the hash of the canonical text written before instruments
        // existed (spelled out here, not taken from the code).
        String legacy = "model=wn;alpha=1.0;m=64;n=10;d=20;eta=0.5;seed=3;data=" + DATA + ";steps=100;tolerance=1.0E-6";
        assertEquals(legacy, off.canonical());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(legacy.getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest).substring(0, 16), off.id());
        TrialSpec relu = new TrialSpec(ModelKind.RELU, null, 64, 10, 20, 0.5, 3L, DATA, 100, 1e-6, InstrumentSettings.OFF);
        assertEquals(new TrialSpec(ModelKind.RELU, null, 64, 10, 20, 0.5, 3L, DATA, 100, 1e-6).id(), relu.id());
    }

    @Test
    void everyInstrumentSettingChangesTheId() {
        Map<String, InstrumentSettings> variants = new LinkedHashMap<>();
        variants.put("kernels", new InstrumentSettings(true, InstrumentSettings.NONE, 0.1));
        variants.put("every=log", new InstrumentSettings(false, 0, 0.1));
        variants.put("every=1", new InstrumentSettings(false, 1, 0.1));
        variants.put("every=5", new InstrumentSettings(false, 5, 0.1));
        variants.put("every=50", new InstrumentSettings(false, 50, 0.1));
        variants.put("delta", new InstrumentSettings(false, InstrumentSettings.NONE, 0.05));
        variants.put("delta-tiny", new InstrumentSettings(false, InstrumentSettings.NONE, Math.nextUp(0.1)));
        variants.put("kernels+log", new InstrumentSettings(true, 0, 0.1));
        variants.put("kernels+5", new InstrumentSettings(true, 5, 0.1));
        variants.put("kernels+log+delta", new InstrumentSettings(true, 0, 0.2));
        Set<String> ids = new HashSet<>();
        String base = with(InstrumentSettings.OFF).id();
        ids.add(base);
        for (Map.Entry<String, InstrumentSettings> v : variants.entrySet()) {
            TrialSpec spec = with(v.getValue());
            assertNotEquals(base, spec.id(), v.getKey());
            assertTrue(ids.add(spec.id()), "instruments " + v.getKey() + " must have an id of its own");
            assertTrue(spec.canonical().endsWith(";instruments=" + v.getValue().canonical()), spec.canonical());
            assertEquals(spec.id(), with(new InstrumentSettings(v.getValue().kernels(), v.getValue().every(),
                    v.getValue().delta())).id(), "equal settings, equal ids");
        }
        assertEquals(variants.size() + 1, ids.size());
    }
}
