package org.overparam.sweep.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Expands one grid axis. Accepted forms: a number; a list of numbers; {@code {log2: [a, b]}}
 * (the powers {@code 2^a … 2^b}); {@code {from, to, steps, scale: log|linear}} ({@code steps} points
 * from {@code from} to {@code to}, rounded to integers on integer axes). Results are sorted ascending
 * without duplicates.
 */
final class GridAxis {
    private static final Set<String> RANGE_KEYS = Set.of("from", "to", "steps", "scale");

    private GridAxis() {
    }

    /** An axis of positive finite reals ({@code alpha}, {@code eta}). */
    static List<Double> reals(YamlNode node, boolean isAlpha) throws ConfigException {
        TreeSet<Double> out = new TreeSet<>();
        String name = isAlpha ? "alpha" : "eta";
        for (Value v : values(node, false)) {
            if (!(v.x > 0) || Double.isInfinite(v.x)) {
                throw new ConfigException(v.path, name + " must be > 0 and finite, got " + fmt(v.x));
            }
            out.add(v.x);
        }
        return List.copyOf(out);
    }

    /** An axis of reals named {@code name}: {@code > 0} (or {@code ≥ 0} with {@code allowZero}) and finite. */
    static List<Double> reals(YamlNode node, String name, boolean allowZero) throws ConfigException {
        TreeSet<Double> out = new TreeSet<>();
        for (Value v : values(node, false)) {
            if (!(allowZero ? v.x >= 0 : v.x > 0) || Double.isInfinite(v.x)) {
                throw new ConfigException(v.path, name + " must be " + (allowZero ? ">= 0" : "> 0") + " and finite, got " + fmt(v.x));
            }
            out.add(v.x);
        }
        return List.copyOf(out);
    }

    /** An axis of names (a name or a list of names), in the order given, without duplicates. */
    static List<YamlNode> names(YamlNode node) throws ConfigException {
        List<YamlNode> items = node.list();
        if (items.isEmpty()) {
            throw new ConfigException(node.path(), "empty grid axis: give at least one value");
        }
        List<YamlNode> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (YamlNode item : items) {
            String s = item.string();
            if (!seen.contains(s)) {
                seen.add(s);
                out.add(item);
            }
        }
        return out;
    }

    /** An axis of integers {@code ≥ min} ({@code m}, {@code n}, {@code d}). */
    static List<Integer> integers(YamlNode node, int min, String rule) throws ConfigException {
        TreeSet<Integer> out = new TreeSet<>();
        for (Value v : values(node, true)) {
            if (v.x != Math.rint(v.x)) {
                throw new ConfigException(v.path, "expected an integer, got " + fmt(v.x));
            }
            if (v.x < min) {
                throw new ConfigException(v.path, rule + ", got " + fmt(v.x));
            }
            if (v.x > Integer.MAX_VALUE / 2) {
                throw new ConfigException(v.path, "value " + fmt(v.x) + " is too large");
            }
            out.add((int) v.x);
        }
        return List.copyOf(out);
    }

    private record Value(String path, double x) {
    }

    private static List<Value> values(YamlNode node, boolean integerAxis) throws ConfigException {
        List<Value> out = new ArrayList<>();
        if (node.isMap()) {
            Map<String, YamlNode> map = node.map();
            if (map.containsKey("log2")) {
                if (map.size() != 1) {
                    throw new ConfigException(node.path(), "log2 takes no other keys, got " + map.keySet());
                }
                YamlNode range = map.get("log2");
                List<YamlNode> ends = range.list();
                if (ends.size() != 2) {
                    throw new ConfigException(range.path(), "expected [first, last] exponents, got " + YamlNode.describe(range.raw()));
                }
                long a = ends.get(0).integer();
                long b = ends.get(1).integer();
                if (a < 0 || b > 40 || a > b) {
                    throw new ConfigException(range.path(), "exponents must satisfy 0 <= first <= last <= 40, got [" + a + ", " + b + "]");
                }
                for (long e = a; e <= b; e++) {
                    out.add(new Value(range.path(), Math.pow(2, e)));
                }
                return out;
            }
            YamlNode.rejectUnknownKeys(node.path(), map, RANGE_KEYS);
            for (String k : List.of("from", "to", "steps")) {
                if (!map.containsKey(k)) {
                    throw new ConfigException(node.path() + "." + k, "required key is missing (a range needs from, to, steps)");
                }
            }
            double from = map.get("from").number();
            double to = map.get("to").number();
            long steps = map.get("steps").integer();
            String scale = map.containsKey("scale") ? map.get("scale").string() : "linear";
            if (steps < 1 || steps > 10_000) {
                throw new ConfigException(node.path() + ".steps", "must be in 1..10000, got " + steps);
            }
            if (!scale.equals("log") && !scale.equals("linear")) {
                throw new ConfigException(node.path() + ".scale", "must be log or linear, got '" + scale + "'");
            }
            if (from > to) {
                throw new ConfigException(node.path(), "from (" + fmt(from) + ") must not exceed to (" + fmt(to) + ")");
            }
            if (scale.equals("log") && !(from > 0)) {
                throw new ConfigException(node.path() + ".from", "a log range needs from > 0, got " + fmt(from));
            }
            for (long i = 0; i < steps; i++) {
                double t = steps == 1 ? 0 : i / (double) (steps - 1);
                double x = scale.equals("log")
                        ? Math.exp(Math.log(from) + t * (Math.log(to) - Math.log(from)))
                        : from + t * (to - from);
                if (i == 0) {
                    x = from;
                }
                if (i == steps - 1) {
                    x = to;
                }
                out.add(new Value(node.path(), integerAxis ? Math.rint(x) : x));
            }
            return out;
        }
        List<YamlNode> items = node.list();
        if (items.isEmpty()) {
            throw new ConfigException(node.path(), "empty grid axis: give at least one value");
        }
        for (YamlNode item : items) {
            out.add(new Value(item.path(), item.number()));
        }
        return out;
    }

    private static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
