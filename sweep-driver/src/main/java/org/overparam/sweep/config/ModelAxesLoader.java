package org.overparam.sweep.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.models.GridKey;
import org.overparam.trainer.models.ModelAxes;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.trial.ModelKind;

/**
 * Parses and validates the model-specific grid keys ({@link ModelAxes}), by key; which keys a model uses
 * or requires, and which data it can serve, its {@link TrialModel} declares. Validates and the fit between the models and the data.
 * A key is allowed when at least one model of the sweep uses it, and applies to those models only; a key
 * no model uses is an error, as is a model the data cannot serve (bn without ±1 labels, a one-output model
 * on one-hot data, a {@code d_y} the data do not have).
 */
final class ModelAxesLoader {
    /** The model-specific grid keys (all but alpha), in docs order. */
    static final List<String> KEYS = Arrays.stream(GridKey.values()).filter(k -> k != GridKey.ALPHA).map(GridKey::key).toList();

    private ModelAxesLoader() {
    }

    static ModelAxes axes(Map<String, YamlNode> grid, List<ModelKind> models, DataConfig data) throws ConfigException {
        for (String key : KEYS) {
            if (grid.containsKey(key) && models.stream().noneMatch(m -> GridKey.keys(TrialModels.of(m).gridKeys()).contains(key))) {
                String users = TrialModels.all().stream().filter(m -> GridKey.keys(m.gridKeys()).contains(key))
                        .map(TrialModel::key).collect(Collectors.joining(", "));
                throw new ConfigException("grid." + key, "not used by model " + keys(models) + " (it is a key of " + users + "); remove it");
            }
        }
        checkData(models, data);
        for (GridKey key : GridKey.values()) {
            List<ModelKind> needing = models.stream().filter(m -> TrialModels.of(m).requiredKeys().contains(key)).toList();
            YamlNode value = grid.get(key.key());
            if (!needing.isEmpty() && key != GridKey.ALPHA && (value == null || value.isNull())) {
                throw new ConfigException("grid." + key.key(), "required key is missing (" + key.meaning() + " of " + keys(needing) + ")");
            }
        }
        List<Integer> depth = List.of();
        if (grid.containsKey("L")) {
            depth = GridAxis.integers(grid.get("L"), 1, "L must be >= 1");
            for (int v : depth) {
                if (v > 1000) {
                    throw new ConfigException("grid.L", "L must be <= 1000, got " + v);
                }
            }
        }
        List<Integer> outputs = List.of();
        if (grid.containsKey("d_y")) {
            outputs = GridAxis.integers(grid.get("d_y"), 1, "d_y must be >= 1");
            OptionalInt fixed = data.outputs();
            for (int v : outputs) {
                if (fixed.isPresent() && v != fixed.getAsInt()) {
                    throw new ConfigException("grid.d_y", "the " + data.kind() + " data have " + fixed.getAsInt()
                            + " output(s) per example, got d_y=" + v + " (remove d_y to use the data's)");
                }
                if (v > 10_000) {
                    throw new ConfigException("grid.d_y", "d_y must be <= 10000, got " + v);
                }
            }
        }
        boolean pair = grid.containsKey("omega1") || grid.containsKey("omega2");
        boolean ratio = grid.containsKey("omega_ratio") || grid.containsKey("omega_product");
        if (pair && ratio) {
            throw new ConfigException(grid.containsKey("omega_ratio") ? "grid.omega_ratio" : "grid.omega_product",
                    "give either omega1 and omega2, or omega_ratio (with omega_product), not both");
        }
        List<Double> omega1 = List.of();
        List<Double> omega2 = List.of();
        if (pair) {
            for (String k : List.of("omega1", "omega2")) {
                if (!grid.containsKey(k) || grid.get(k).isNull()) {
                    throw new ConfigException("grid." + k, "required key is missing (omega1 and omega2 go together)");
                }
            }
            omega1 = GridAxis.reals(grid.get("omega1"), "omega1", false);
            omega2 = GridAxis.reals(grid.get("omega2"), "omega2", false);
        }
        List<Double> omegaRatio = List.of();
        List<Double> omegaProduct = List.of();
        if (ratio) {
            if (!grid.containsKey("omega_ratio") || grid.get("omega_ratio").isNull()) {
                throw new ConfigException("grid.omega_ratio", "required key is missing (omega_product fixes ω1ω2 for the ratios ω2/ω1)");
            }
            omegaRatio = GridAxis.reals(grid.get("omega_ratio"), "omega_ratio", false);
            YamlNode product = grid.get("omega_product");
            if (product != null && !(product.raw() instanceof String s && s.equals("he"))) {
                omegaProduct = GridAxis.reals(product, "omega_product", false);
            }
        }
        List<Activation> activation = new ArrayList<>();
        if (grid.containsKey("activation")) {
            for (YamlNode item : GridAxis.names(grid.get("activation"))) {
                Activation a = Activation.parse(item.string());
                if (a == null) {
                    throw new ConfigException(item.path(), "unknown activation '" + item.string() + "' (known: " + Activation.knownKeys() + ")");
                }
                activation.add(a);
            }
        }
        List<Optimizer> optimizer = new ArrayList<>();
        java.util.TreeSet<Integer> batch = new java.util.TreeSet<>();
        if (grid.containsKey("optimizer")) {
            YamlNode axis = grid.get("optimizer");
            List<YamlNode> items = axis.isMap() ? List.of(axis) : axis.list();
            if (items.isEmpty()) {
                throw new ConfigException(axis.path(), "empty grid axis: give at least one value");
            }
            for (YamlNode item : items) {
                Optimizer o = optimizer(item, batch, models);
                if (!optimizer.contains(o)) {
                    optimizer.add(o);
                }
            }
        }
        List<Double> epsilon = grid.containsKey("epsilon") ? GridAxis.reals(grid.get("epsilon"), "epsilon", true) : List.of();
        List<Integer> convertAt = grid.containsKey("convert_at")
                ? GridAxis.integers(grid.get("convert_at"), 1, "convert_at must be >= 1 (the step after which GReLU becomes ReLU)") : List.of();
        return new ModelAxes(depth, outputs, omega1, omega2, omegaRatio, omegaProduct, activation, optimizer, epsilon,
                List.copyOf(batch), convertAt);
    }

    /**
     * One item of the optimizer axis: a name ({@code gd}, {@code sgd}) or {@code {kind: sgd, batch: 128}}
     * (a batch size or a list of them, for the regression models' mini-batch SGD; bn's SGD is one example).
     */
    private static Optimizer optimizer(YamlNode item, java.util.Set<Integer> batch, List<ModelKind> models) throws ConfigException {
        if (!item.isMap()) {
            Optimizer o = Optimizer.parse(item.string());
            if (o == null) {
                throw new ConfigException(item.path(), "unknown optimizer '" + item.string() + "' (known: gd, sgd)");
            }
            return o;
        }
        Map<String, YamlNode> map = item.map();
        YamlNode.rejectUnknownKeys(item.path(), map, java.util.Set.of("kind", "batch"));
        YamlNode kind = map.get("kind");
        if (kind == null || kind.isNull()) {
            throw new ConfigException(item.path() + ".kind", "required key is missing (gd or sgd)");
        }
        Optimizer o = Optimizer.parse(kind.string());
        if (o == null) {
            throw new ConfigException(kind.path(), "unknown optimizer '" + kind.string() + "' (known: gd, sgd)");
        }
        if (map.containsKey("batch")) {
            if (o != Optimizer.SGD) {
                throw new ConfigException(item.path() + ".batch", "a batch size goes with kind: sgd, not " + o.key());
            }
            if (models.stream().noneMatch(m -> m == ModelKind.SMOOTH)) {
                throw new ConfigException(item.path() + ".batch", "mini-batches are for model smooth (bn's SGD takes one example a step); remove it");
            }
            for (int b : GridAxis.integers(map.get("batch"), 1, "batch must be >= 1")) {
                batch.add(b);
            }
        }
        return o;
    }

    /** Models the data cannot serve. */
    private static void checkData(List<ModelKind> models, DataConfig data) throws ConfigException {
        OptionalInt outputs = data.outputs();
        for (ModelKind kind : models) {
            TrialModel model = TrialModels.of(kind);
            if (model.singleOutput() && outputs.isPresent() && outputs.getAsInt() != 1) {
                throw new ConfigException("data", "model " + model.key() + " has one output but the " + data.kind() + " data have "
                        + outputs.getAsInt() + " (one-hot); list two classes for a ±1 task");
            }
            if (model.needsBinaryLabels() && Boolean.FALSE.equals(data.binary())) {
                throw new ConfigException("data", "model " + model.key() + " needs labels ±1 but the " + data.kind() + " data are real-valued"
                        + " (use dyadic, sphere with target sign, teacher with target sign, or two classes of mnist/cifar10)");
            }
        }
    }

    private static String keys(List<ModelKind> models) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (ModelKind m : models) {
            names.put(m.key(), true);
        }
        return String.join(", ", names.keySet());
    }
}
