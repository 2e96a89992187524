package org.overparam.sweep.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.trial.ModelKind;

/**
 * Reads the {@link WidthPlan} of a config: {@code search:} when present ({@code m: bisect} or
 * {@code m: adaptive}), else the listed {@code grid.m}. The values' checks are the plan records' own
 * ({@link InvalidSetting}, turned into {@link ConfigException} here); this class reads keys and defaults.
 */
final class WidthPlanLoader {
    private static final Set<String> BISECT_KEYS = Set.of("m", "lo", "hi", "resolution", "ladder");
    private static final Set<String> ADAPTIVE_KEYS = Set.of("m", "lo", "hi", "target", "max_trials", "batch", "budget_check", "ladder");

    private WidthPlanLoader() {
    }

    /**
     * The search of {@code search:} ({@link BisectSettings} or {@link AdaptiveSettings}); null when the node is
     * absent or null (then {@code grid.m} lists the widths: {@link ListedWidths}).
     */
    static WidthPlan search(YamlNode node) throws ConfigException {
        return search(node, null);
    }

    /**
     * As {@link #search(YamlNode)}, with the sweep's models (their keys) against which {@code ladder}'s keys are
     * checked when it gives doublings by model; null: only that each key names a known model.
     */
    static WidthPlan search(YamlNode node, List<String> models) throws ConfigException {
        if (node == null || node.isNull()) {
            return null;
        }
        Map<String, YamlNode> map = node.map();
        String method = ConfigLoader.required("search", map, "m").string();
        if (!method.equals("bisect") && !method.equals("adaptive")) {
            throw new ConfigException("search.m", "unknown search '" + method + "' (known: bisect, adaptive)");
        }
        boolean adaptive = method.equals("adaptive");
        YamlNode.rejectUnknownKeys("search", map, adaptive ? ADAPTIVE_KEYS : BISECT_KEYS);
        long lo = ConfigLoader.required("search", map, "lo").integer();
        long hi = ConfigLoader.required("search", map, "hi").integer();
        try {
            BisectSettings.checkRange(lo, hi);
            if (adaptive) {
                return adaptive(map, lo, hi, models);
            }
            double resolution = map.containsKey("resolution") ? map.get("resolution").number() : BisectSettings.DEFAULT_RESOLUTION;
            if (map.containsKey("ladder") && map.get("ladder").isMap()) {
                throw new ConfigException("search.ladder", "doublings by model are for m: adaptive; bisect takes one number (0..10)");
            }
            long ladder = map.containsKey("ladder") ? map.get("ladder").integer() : BisectSettings.DEFAULT_LADDER;
            BisectSettings.checkLadder(ladder);
            return new BisectSettings((int) lo, (int) hi, resolution, (int) ladder);
        } catch (InvalidSetting e) {
            throw e.toConfigException();
        }
    }

    private static AdaptiveSettings adaptive(Map<String, YamlNode> map, long lo, long hi, List<String> models) throws ConfigException {
        double target = map.containsKey("target") ? map.get("target").number() : AdaptiveSettings.DEFAULT_TARGET;
        long batch = map.containsKey("batch") ? map.get("batch").integer() : AdaptiveSettings.DEFAULT_BATCH;
        long maxTrials = map.containsKey("max_trials") ? map.get("max_trials").integer()
                : Math.max(AdaptiveSettings.DEFAULT_MAX_TRIALS, 2 * batch);
        long budgetCheck = map.containsKey("budget_check") ? map.get("budget_check").integer() : AdaptiveSettings.DEFAULT_BUDGET_CHECK;
        if (map.containsKey("ladder") && map.get("ladder").isMap()) {
            return AdaptiveSettings.of(lo, hi, target, maxTrials, batch, budgetCheck, ladderByModel(map.get("ladder"), models));
        }
        long ladder = map.containsKey("ladder") ? map.get("ladder").integer() : AdaptiveSettings.DEFAULT_LADDER;
        return AdaptiveSettings.of(lo, hi, target, maxTrials, batch, budgetCheck, ladder);
    }

    /** {@code ladder: {relu: 4, bn: 0}}: doublings for each model of the sweep, every one of them named. */
    private static Map<String, Integer> ladderByModel(YamlNode node, List<String> models) throws ConfigException {
        Map<String, Integer> out = new TreeMap<>();
        for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
            ModelKind kind = TrialModels.parse(e.getKey());
            if (kind == null || (models != null && !models.contains(kind.key()))) {
                throw new ConfigException("search.ladder." + e.getKey(), "not a model of this sweep"
                        + (models == null ? "" : " (" + String.join(", ", models) + ")"));
            }
            long doublings = e.getValue().integer();
            BisectSettings.checkLadder("search.ladder." + e.getKey(), doublings);
            out.put(kind.key(), (int) doublings);
        }
        if (models != null) {
            for (String model : models) {
                if (!out.containsKey(model)) {
                    throw new ConfigException("search.ladder", "gives doublings by model but none for " + model);
                }
            }
        }
        return out;
    }
}
