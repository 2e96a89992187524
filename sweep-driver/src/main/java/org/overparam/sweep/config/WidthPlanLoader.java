package org.overparam.sweep.config;

import java.util.Map;
import java.util.Set;

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
                return adaptive(map, lo, hi);
            }
            double resolution = map.containsKey("resolution") ? map.get("resolution").number() : BisectSettings.DEFAULT_RESOLUTION;
            long ladder = map.containsKey("ladder") ? map.get("ladder").integer() : BisectSettings.DEFAULT_LADDER;
            BisectSettings.checkLadder(ladder);
            return new BisectSettings((int) lo, (int) hi, resolution, (int) ladder);
        } catch (InvalidSetting e) {
            throw e.toConfigException();
        }
    }

    private static AdaptiveSettings adaptive(Map<String, YamlNode> map, long lo, long hi) throws ConfigException {
        double target = map.containsKey("target") ? map.get("target").number() : AdaptiveSettings.DEFAULT_TARGET;
        long batch = map.containsKey("batch") ? map.get("batch").integer() : AdaptiveSettings.DEFAULT_BATCH;
        long maxTrials = map.containsKey("max_trials") ? map.get("max_trials").integer()
                : Math.max(AdaptiveSettings.DEFAULT_MAX_TRIALS, 2 * batch);
        long budgetCheck = map.containsKey("budget_check") ? map.get("budget_check").integer() : AdaptiveSettings.DEFAULT_BUDGET_CHECK;
        long ladder = map.containsKey("ladder") ? map.get("ladder").integer() : AdaptiveSettings.DEFAULT_LADDER;
        return AdaptiveSettings.of(lo, hi, target, maxTrials, batch, budgetCheck, ladder);
    }
}
