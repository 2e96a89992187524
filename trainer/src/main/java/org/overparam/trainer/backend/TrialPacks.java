package org.overparam.trainer.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Groups trials into packs that a device trains together: one model and shape {@code (n, d, m)} per
 * pack (α, η, seed, step budget and tolerance may differ), at most {@code maxPack} trials each. Packs
 * come in the order their first trial appears; trials keep their order within a pack.
 */
public final class TrialPacks {
    private TrialPacks() {
    }

    /** What trials of one pack share. */
    public record Shape(ModelKind model, int n, int d, int m) {
        public static Shape of(TrialSpec spec) {
            return new Shape(spec.model(), spec.n(), spec.d(), spec.m());
        }
    }

    public static List<List<TrialSpec>> group(List<TrialSpec> trials, int maxPack) {
        if (maxPack < 1) {
            throw new IllegalArgumentException("maxPack must be >= 1, got " + maxPack);
        }
        Map<Shape, List<TrialSpec>> byShape = new LinkedHashMap<>();
        for (TrialSpec t : trials) {
            byShape.computeIfAbsent(Shape.of(t), s -> new ArrayList<>()).add(t);
        }
        List<List<TrialSpec>> packs = new ArrayList<>();
        for (List<TrialSpec> same : byShape.values()) {
            for (int from = 0; from < same.size(); from += maxPack) {
                packs.add(List.copyOf(same.subList(from, Math.min(same.size(), from + maxPack))));
            }
        }
        return packs;
    }
}
