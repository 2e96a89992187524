package org.overparam.sweep.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A value of the parsed YAML document together with its dotted key path, with typed accessors that
 * throw {@link ConfigException} naming that path and the value found. Mapping nodes track which keys
 * were read so that {@link #rejectUnknownKeys} can name a misspelt key.
 */
final class YamlNode {
    private final String path;
    private final Object value;

    YamlNode(String path, Object value) {
        this.path = path;
        this.value = value;
    }

    String path() {
        return path;
    }

    Object raw() {
        return value;
    }

    boolean isMap() {
        return value instanceof Map;
    }

    boolean isList() {
        return value instanceof List;
    }

    boolean isNull() {
        return value == null;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The mapping's entries; throws unless this node is a mapping with string keys. */
    Map<String, YamlNode> map() throws ConfigException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new ConfigException(path, "expected a mapping (key: value pairs), got " + describe(value));
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new ConfigException(path, "keys must be names, got " + describe(e.getKey()));
            }
            out.put(k, new YamlNode(child(k), e.getValue()));
        }
        return out;
    }

    /** The sequence's items (a scalar counts as a one-item list). */
    List<YamlNode> list() throws ConfigException {
        if (value instanceof Map) {
            throw new ConfigException(path, "expected a value or a list, got a mapping");
        }
        List<YamlNode> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(new YamlNode(path + "[" + i + "]", l.get(i)));
            }
        } else if (value != null) {
            out.add(this);
        }
        return out;
    }

    String string() throws ConfigException {
        if (value instanceof String s) {
            return s;
        }
        throw new ConfigException(path, "expected text, got " + describe(value));
    }

    double number() throws ConfigException {
        if (value instanceof Number n && !(value instanceof Byte)) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw new ConfigException(path, "expected a number, got " + describe(value));
    }

    long integer() throws ConfigException {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger b) {
            throw new ConfigException(path, "integer " + b + " is too large");
        }
        double x = number();
        if (x != Math.rint(x) || Math.abs(x) > 9.0e15) {
            throw new ConfigException(path, "expected an integer, got " + describe(value));
        }
        return (long) x;
    }

    boolean bool() throws ConfigException {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ConfigException(path, "expected true or false, got " + describe(value));
    }

    /** Throws naming the first key of this mapping that is not in {@code known}. */
    static void rejectUnknownKeys(String path, Map<String, YamlNode> map, Set<String> known) throws ConfigException {
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                String where = path.isEmpty() ? k : path + "." + k;
                throw new ConfigException(where, "unknown key (known here: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing (null)";
        }
        if (v instanceof String s) {
            return "'" + s + "' (text)";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof Boolean) {
            return v + " (boolean)";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
    }
}
