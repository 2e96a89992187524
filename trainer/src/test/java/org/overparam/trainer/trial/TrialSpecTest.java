package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.models.TrialModels;

/** {@link TrialSpec#id()}: stable, 16 hex digits, sensitive to every field; model/α consistency. */
class TrialSpecTest {
    private static final TrialSpec BASE =
            new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, "sphere(target=sign,seed=1)", 100, 1e-6);

    @Test
    void idIsStableAndSixteenHexDigits() {
        TrialSpec copy = new TrialSpec(ModelKind.WN, Double.valueOf(1.0), 64, 10, 20, 0.5, 3L,
                new String("sphere(target=sign,seed=1)"), 100, 1e-6);
        assertEquals(BASE, copy);
        assertEquals(BASE.id(), copy.id());
        assertEquals(BASE.id(), BASE.id());
        assertTrue(BASE.id().matches("[0-9a-f]{16}"), BASE.id());
    }

    @Test
    void idIsTheFirstEightBytesOfSha256OfTheCanonicalText() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(BASE.canonical().getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest).substring(0, 16), BASE.id());
    }

    @Test
    void changingAnySingleFieldChangesTheId() {
        Map<String, TrialSpec> variants = new LinkedHashMap<>();
        variants.put("model", new TrialSpec(ModelKind.RELU, null, 64, 10, 20, 0.5, 3L, BASE.data(), 100, 1e-6));
        variants.put("alpha", new TrialSpec(ModelKind.WN, 2.0, 64, 10, 20, 0.5, 3L, BASE.data(), 100, 1e-6));
        variants.put("alpha-tiny", new TrialSpec(ModelKind.WN, Math.nextUp(1.0), 64, 10, 20, 0.5, 3L, BASE.data(), 100, 1e-6));
        variants.put("m", new TrialSpec(ModelKind.WN, 1.0, 65, 10, 20, 0.5, 3L, BASE.data(), 100, 1e-6));
        variants.put("n", new TrialSpec(ModelKind.WN, 1.0, 64, 11, 20, 0.5, 3L, BASE.data(), 100, 1e-6));
        variants.put("d", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 21, 0.5, 3L, BASE.data(), 100, 1e-6));
        variants.put("eta", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.25, 3L, BASE.data(), 100, 1e-6));
        variants.put("eta-tiny", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, Math.nextUp(0.5), 3L, BASE.data(), 100, 1e-6));
        variants.put("seed", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 4L, BASE.data(), 100, 1e-6));
        variants.put("seed-negative", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, -3L, BASE.data(), 100, 1e-6));
        variants.put("data", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, "sphere(target=sign,seed=2)", 100, 1e-6));
        variants.put("steps", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, BASE.data(), 101, 1e-6));
        variants.put("tolerance", new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, BASE.data(), 100, 1e-7));
        // Swapping two integer fields must not collide either.
        variants.put("n<->d", new TrialSpec(ModelKind.WN, 1.0, 64, 20, 10, 0.5, 3L, BASE.data(), 100, 1e-6));
        Set<String> ids = new HashSet<>();
        ids.add(BASE.id());
        for (Map.Entry<String, TrialSpec> v : variants.entrySet()) {
            assertTrue(ids.add(v.getValue().id()), "changing " + v.getKey() + " must change the id");
        }
        assertEquals(variants.size() + 1, ids.size());
    }

    @Test
    void modelAndAlphaMustAgree() {
        assertThrows(IllegalArgumentException.class,
                () -> TrialModels.check(new TrialSpec(ModelKind.RELU, 1.0, 64, 10, 20, 0.5, 3L, "d", 100, 1e-6)), "relu takes no alpha");
        assertThrows(IllegalArgumentException.class,
                () -> TrialModels.check(new TrialSpec(ModelKind.WN, null, 64, 10, 20, 0.5, 3L, "d", 100, 1e-6)), "wn needs alpha");
        assertThrows(NullPointerException.class,
                () -> new TrialSpec(null, null, 64, 10, 20, 0.5, 3L, "d", 100, 1e-6));
        assertThrows(NullPointerException.class,
                () -> new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, null, 100, 1e-6));
        assertTrue(TrialModels.of(ModelKind.WN).usesAlpha());
        assertTrue(!TrialModels.of(ModelKind.RELU).usesAlpha());
        assertEquals(ModelKind.WN, TrialModels.parse("wn"));
        assertEquals(ModelKind.RELU, TrialModels.parse(ModelKind.RELU.key()));
        assertEquals(null, TrialModels.parse("batchnorm"));
    }

    @Test
    void estimatedCostIsTheFlopCountOfTheBudget() {
        // 4·n·d·m per step (two products of 2·n·d·m flops), at least one step.
        assertEquals(4.0 * 10 * 20 * 64 * 100, TrialModels.estimatedCost(BASE), 0.0);
        TrialSpec zeroSteps = new TrialSpec(ModelKind.WN, 1.0, 64, 10, 20, 0.5, 3L, "d", 0, 1e-6);
        assertEquals(4.0 * 10 * 20 * 64, TrialModels.estimatedCost(zeroSteps), 0.0);
        TrialSpec huge = new TrialSpec(ModelKind.WN, 1.0, 1 << 20, 1 << 14, 1 << 10, 0.5, 3L, "d", 1 << 20, 1e-6);
        assertEquals(Math.scalb(1.0, 2 + 20 + 14 + 10 + 20), TrialModels.estimatedCost(huge), 0.0, "no int overflow");
    }
}
