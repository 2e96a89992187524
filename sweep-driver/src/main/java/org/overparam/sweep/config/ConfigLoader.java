package org.overparam.sweep.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.overparam.trainer.backend.BackendKind;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.cuda.CudaBackend;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.models.GridKey;
import org.overparam.trainer.models.ModelAxes;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a sweep config (YAML) and validates every key, once, at this one place. Unknown keys, wrong
 * types, empty or out-of-range grids all raise a {@link ConfigException} naming the key and value.
 * See {@code docs/config.md} for the format.
 */
public final class ConfigLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Set<String> TOP_KEYS = Set.of("name", "model", "data", "grid", "seeds", "train", "instruments",
            "search", "thresholds", "backend");
    /** m, n, d, eta and every model's grid keys ({@link GridKey}). */
    private static final Set<String> GRID_KEYS = gridKeys();

    private ConfigLoader() {
    }

    private static Set<String> gridKeys() {
        Set<String> keys = new TreeSet<>(List.of("m", "n", "d", "eta", "eta_per"));
        for (GridKey key : GridKey.values()) {
            keys.add(key.key());
        }
        return Set.copyOf(keys);
    }

    /** Reads and validates the file at {@code path}; relative data paths resolve against its folder. */
    public static SweepConfig load(Path path) throws ConfigException {
        String text;
        try {
            text = ConfigText.decode(Files.readAllBytes(path), path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("", "config file " + path + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read config file " + path + ": " + e.getMessage());
        }
        Path base = path.toAbsolutePath().getParent();
        return parse(text, base);
    }

    /** Validates config text; relative data paths resolve against {@code baseDir}. */
    public static SweepConfig parse(String text, Path baseDir) throws ConfigException {
        Object doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            doc = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            throw new ConfigException("", "not valid YAML" + where + ": " + oneLine(e.getProblem()));
        } catch (YAMLException e) {
            throw new ConfigException("", "not valid YAML: " + oneLine(e.getMessage()));
        }
        if (doc == null) {
            throw new ConfigException("", "the config is empty");
        }
        Map<String, YamlNode> top = new YamlNode("", doc).map();
        YamlNode.rejectUnknownKeys("", top, TOP_KEYS);

        String name = required(top, "name").string();
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("name", "'" + name + "' must be 1-100 letters, digits, '_', '.', '-' (it names the output folder)");
        }
        List<ModelKind> models = models(required(top, "model"));
        DataConfig data = data(required(top, "data"), baseDir);
        WidthPlan search = WidthPlanLoader.search(top.get("search"), models.stream().map(ModelKind::key).toList());
        Grid grid = grid(required(top, "grid"), models, data, search);
        WidthPlan widths = search != null ? search : new ListedWidths(grid.m());
        List<Long> seeds = seeds(required(top, "seeds"));
        TrainSettings train = train(top.get("train"));
        InstrumentSettings instruments = instruments(top.get("instruments"));
        ThresholdSettings thresholds = thresholds(top.get("thresholds"));
        BackendSettings backend = backend(top.get("backend"));
        checkBackendTrains(backend, models);
        checkLoss(train, models, data, grid, backend);
        return new SweepConfig(name, models, data, grid, seeds, train, instruments, text, widths, thresholds, backend);
    }

    /**
     * The {@code thresholds:} settings of a config text, the rest unchecked: for re-aggregating an
     * output whose {@code sweep.yaml} was validated when the sweep ran (its data file may be gone since).
     */
    public static ThresholdSettings thresholdSettings(String text) throws ConfigException {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigException("", "not valid YAML: " + oneLine(e.getMessage()));
        }
        if (!(doc instanceof Map)) {
            return ThresholdSettings.DEFAULT;
        }
        return thresholds(new YamlNode("", doc).map().get("thresholds"));
    }

    private static YamlNode required(Map<String, YamlNode> map, String key) throws ConfigException {
        return required("", map, key);
    }

    /** {@code map[key]}, which must be present and non-null; {@code parent} is the map's dotted path. */
    static YamlNode required(String parent, Map<String, YamlNode> map, String key) throws ConfigException {
        YamlNode node = map.get(key);
        if (node == null || node.isNull()) {
            String path = node != null ? node.path() : parent.isEmpty() ? key : parent + "." + key;
            throw new ConfigException(path, "required key is missing");
        }
        return node;
    }

    private static List<ModelKind> models(YamlNode node) throws ConfigException {
        List<ModelKind> out = new ArrayList<>();
        List<YamlNode> items = node.list();
        if (items.isEmpty()) {
            throw new ConfigException(node.path(), "empty list: name at least one model");
        }
        for (YamlNode item : items) {
            String s = item.string();
            ModelKind kind = TrialModels.parse(s);
            if (kind == null) {
                throw new ConfigException(item.path(), "unknown model '" + s + "' (known: " + TrialModels.knownKeys() + ")");
            }
            if (!out.contains(kind)) {
                out.add(kind);
            }
        }
        return out;
    }

    private static DataConfig data(YamlNode node, Path baseDir) throws ConfigException {
        Map<String, YamlNode> map = node.map();
        String kind = required(node.path(), map, "kind").string();
        switch (kind) {
            case "sphere" -> {
                YamlNode.rejectUnknownKeys("data", map, Set.of("kind", "target", "seed", "test_fraction"));
                String t = map.containsKey("target") ? map.get("target").string() : "sign";
                SphereTarget target = SphereTarget.parse(t);
                if (target == null) {
                    throw new ConfigException("data.target", "unknown target '" + t + "' (known: sign, gaussian, random)");
                }
                long seed = map.containsKey("seed") ? map.get("seed").integer() : 0L;
                return new DataConfig.Sphere(target, seed, DataKinds.testFraction(map, 0.0));
            }
            case "csv" -> {
                YamlNode.rejectUnknownKeys("data", map, Set.of("kind", "path", "label", "normalize", "test_fraction", "seed"));
                YamlNode pathNode = required(node.path(), map, "path");
                Path path = baseDir.resolve(pathNode.string()).normalize();
                if (!Files.isRegularFile(path)) {
                    throw new ConfigException("data.path", "no such file: " + path);
                }
                String label = required(node.path(), map, "label").string();
                String norm = map.containsKey("normalize") ? map.get("normalize").string() : "unit";
                Normalization normalization = Normalization.parse(norm);
                if (normalization == null) {
                    throw new ConfigException("data.normalize", "unknown normalization '" + norm + "' (known: unit, ball, none)");
                }
                return new DataConfig.Csv(path, label, normalization, DataKinds.testFraction(map, 0.0), DataKinds.seed(map));
            }
            default -> {
                if (DataKinds.handles(kind)) {
                    return DataKinds.parse(kind, map, baseDir);
                }
                throw new ConfigException("data.kind", "unknown data kind '" + kind + "' (known: " + DataKinds.KNOWN + ")");
            }
        }
    }

    private static Grid grid(YamlNode node, List<ModelKind> models, DataConfig data, WidthPlan search) throws ConfigException {
        Map<String, YamlNode> map = node.map();
        YamlNode.rejectUnknownKeys("grid", map, GRID_KEYS);
        ModelAxes axes = ModelAxesLoader.axes(map, models, data);
        boolean anyAlpha = models.stream().anyMatch(m -> TrialModels.of(m).usesAlpha());
        List<Double> alpha = List.of();
        if (anyAlpha) {
            alpha = GridAxis.reals(required(node.path(), map, "alpha"), true);
        } else if (map.containsKey("alpha")) {
            throw new ConfigException("grid.alpha", "model " + models.get(0).key() + " has no alpha; remove the key");
        }
        if (search != null && map.containsKey("m")) {
            throw new ConfigException("grid.m", "not allowed with search.m: " + search.method()
                    + " (the search picks the widths); remove one of them");
        }
        List<Integer> m = search != null ? search.planWidths() : GridAxis.integers(required(node.path(), map, "m"), 1, "m must be >= 1");
        List<Integer> n;
        if (data instanceof DataConfig.Dyadic) {
            if (map.containsKey("n")) {
                throw new ConfigException("grid.n", "not allowed with data.kind dyadic: the set has n = 2d examples");
            }
            n = List.of();
        } else {
            n = GridAxis.integers(required(node.path(), map, "n"), 2, "n must be >= 2");
        }
        List<Integer> d;
        if (data.fixesDimension()) {
            if (map.containsKey("d")) {
                throw new ConfigException("grid.d", "not allowed with data.kind " + data.kind() + ": d is the file's feature count");
            }
            d = List.of();
        } else {
            d = GridAxis.integers(required(node.path(), map, "d"), 1, "d must be >= 1");
        }
        YamlNode etaNode = required(node.path(), map, "eta");
        Map<ModelKind, List<Double>> etaByModel = new java.util.LinkedHashMap<>();
        List<Double> eta;
        // A map is by model when any key names a model ({wn: 0.5, grelu: 60}), else an axis form ({from, to, steps}).
        if (etaNode.isMap() && etaNode.map().keySet().stream().anyMatch(k -> TrialModels.parse(k) != null)) {
            // A step size per model: {wn: 0.5, grelu: [1e-4, 1e-3]}; every model of the sweep needs one.
            TreeSet<Double> all = new TreeSet<>();
            for (Map.Entry<String, YamlNode> e : etaNode.map().entrySet()) {
                ModelKind kind = TrialModels.parse(e.getKey());
                if (kind == null || !models.contains(kind)) {
                    throw new ConfigException("grid.eta." + e.getKey(), "not a model of this sweep (" + models.stream().map(ModelKind::key)
                            .collect(java.util.stream.Collectors.joining(", ")) + ")");
                }
                List<Double> values = GridAxis.reals(e.getValue(), false);
                etaByModel.put(kind, values);
                all.addAll(values);
            }
            for (ModelKind kind : models) {
                if (!etaByModel.containsKey(kind)) {
                    throw new ConfigException("grid.eta", "gives step sizes by model but none for " + kind.key());
                }
            }
            eta = List.copyOf(all);
        } else {
            eta = GridAxis.reals(etaNode, false);
        }
        return new Grid(alpha, m, n, d, eta, axes, etaByModel, stepRules(map.get("eta_per"), models));
    }

    /**
     * {@code grid.eta_per}: a rule for every model ({@code eta_per: n}) or by model
     * ({@code eta_per: {relu: n, grelu: n m^2}}); absent: the plain step.
     */
    private static Map<ModelKind, org.overparam.trainer.trial.StepRule> stepRules(YamlNode node, List<ModelKind> models)
            throws ConfigException {
        Map<ModelKind, org.overparam.trainer.trial.StepRule> out = new java.util.LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isMap()) {
            for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
                ModelKind kind = TrialModels.parse(e.getKey());
                if (kind == null || !models.contains(kind)) {
                    throw new ConfigException("grid.eta_per." + e.getKey(), "not a model of this sweep (" + models.stream().map(ModelKind::key)
                            .collect(java.util.stream.Collectors.joining(", ")) + ")");
                }
                out.put(kind, stepRule(e.getValue(), "grid.eta_per." + e.getKey()));
            }
            return out;
        }
        org.overparam.trainer.trial.StepRule rule = stepRule(node, "grid.eta_per");
        for (ModelKind kind : models) {
            out.put(kind, rule);
        }
        return out;
    }

    private static org.overparam.trainer.trial.StepRule stepRule(YamlNode node, String key) throws ConfigException {
        String text = node.isMap() || node.isList() ? null : String.valueOf(node.raw());
        if (text == null) {
            throw new ConfigException(key, "must be a rule such as 'n', 'n m' or 'n m^2' (the step is eta divided by it)");
        }
        try {
            return org.overparam.trainer.trial.StepRule.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static List<Long> seeds(YamlNode node) throws ConfigException {
        if (node.isList()) {
            TreeSet<Long> set = new TreeSet<>();
            for (YamlNode item : node.list()) {
                long s = item.integer();
                if (s < 0) {
                    throw new ConfigException(item.path(), "seeds must be >= 0, got " + s);
                }
                set.add(s);
            }
            if (set.isEmpty()) {
                throw new ConfigException(node.path(), "empty list: give a count (seeds: 3) or seed values");
            }
            return List.copyOf(set);
        }
        long count = node.integer();
        if (count < 1 || count > 100_000) {
            throw new ConfigException(node.path(), "the number of seeds must be in 1..100000, got " + count);
        }
        List<Long> out = new ArrayList<>();
        for (long s = 0; s < count; s++) {
            out.add(s);
        }
        return out;
    }

    private static TrainSettings train(YamlNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return new TrainSettings(TrainSettings.DEFAULT_STEPS, TrainSettings.DEFAULT_TOLERANCE);
        }
        Map<String, YamlNode> map = node.map();
        YamlNode.rejectUnknownKeys("train", map, Set.of("steps", "tolerance", "time_limit", "loss", "stuck_horizon"));
        int steps = TrainSettings.DEFAULT_STEPS;
        if (map.containsKey("steps")) {
            long s = map.get("steps").integer();
            if (s < 1 || s > 100_000_000L) {
                throw new ConfigException("train.steps", "must be in 1..100000000, got " + s);
            }
            steps = (int) s;
        }
        double tolerance = TrainSettings.DEFAULT_TOLERANCE;
        if (map.containsKey("tolerance")) {
            tolerance = map.get("tolerance").number();
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new ConfigException("train.tolerance", "must be in (0, 1) (a fraction of the initial loss), got " + tolerance);
            }
        }
        java.time.Duration timeLimit = null;
        if (map.containsKey("time_limit") && !map.get("time_limit").isNull()) {
            timeLimit = timeLimit(map.get("time_limit"));
        }
        List<Loss> losses = new ArrayList<>();
        if (map.containsKey("loss")) {
            for (YamlNode item : map.get("loss").list()) {
                String text = item.string();
                Loss loss = Loss.parse(text);
                if (loss == null) {
                    throw new ConfigException(item.path(), "unknown loss '" + text + "' (known: " + Loss.knownKeys() + ")");
                }
                if (losses.contains(loss)) {
                    throw new ConfigException(item.path(), "loss '" + text + "' is listed twice");
                }
                losses.add(loss);
            }
        } else {
            losses.add(Loss.MSE);
        }
        int horizon = StuckRule.DEFAULT_HORIZON;
        if (map.containsKey("stuck_horizon")) {
            long h = map.get("stuck_horizon").integer();
            if (h < 0 || h > MAX_STUCK_HORIZON) {
                throw new ConfigException("train.stuck_horizon", "must be in 0..%d (0 turns the stuck rule off), got %d"
                        .formatted(MAX_STUCK_HORIZON, h));
            }
            horizon = (int) h;
        }
        return new TrainSettings(steps, tolerance, timeLimit, losses, horizon);
    }

    /** The largest {@code train.stuck_horizon}: beyond it the rule could only fire on a flat or rising loss anyway. */
    static final int MAX_STUCK_HORIZON = 1_000_000;

    /**
     * {@code train.loss: squared_hinge} needs models that train on it (relu, wn, grelu, deep-relu), one output
     * ({@code d_y = 1}), labels ±1 and the CPU trainer (the CUDA kernels form {@code f − y}): each refusal names
     * {@code train.loss}. Data whose labels are known only when read (a csv file) are checked when a trial loads
     * them (a {@code failed} row naming {@code train.loss}).
     */
    private static void checkLoss(TrainSettings train, List<ModelKind> models, DataConfig data, Grid grid, BackendSettings backend)
            throws ConfigException {
        // Each model trains with the listed losses it takes: with one listed, every model must take it; with several,
        // every model at least one (bn and smooth train the MSE beside the others' squared hinge).
        for (ModelKind kind : models) {
            TrialModel model = TrialModels.of(kind);
            if (train.lossesFor(model).isEmpty()) {
                Loss loss = train.loss();
                String able = TrialModels.all().stream().filter(m -> m.losses().contains(loss)).map(TrialModel::key)
                        .collect(java.util.stream.Collectors.joining(", "));
                throw new ConfigException("train.loss", train.losses().size() == 1
                        ? loss.key() + " is for models " + able + ", not " + kind.key()
                        : "model " + kind.key() + " takes none of " + train.losses().stream().map(Loss::key).toList());
            }
        }
        Loss loss = train.losses().stream().filter(l -> l != Loss.MSE).findFirst().orElse(null);
        if (loss == null) {
            return;
        }
        if (Boolean.FALSE.equals(data.binary())) {
            throw new ConfigException("train.loss", loss.key() + " needs labels ±1 but the " + data.kind() + " data are real-valued"
                    + " (use sphere with target sign, teacher with target sign, dyadic, or two classes of mnist/cifar10)");
        }
        if (data.outputs().isPresent() && data.outputs().getAsInt() != 1) {
            throw new ConfigException("train.loss", loss.key() + " needs one output but the " + data.kind() + " data have "
                    + data.outputs().getAsInt() + " (one-hot); list two classes for a ±1 task");
        }
        if (grid.model().outputs().stream().anyMatch(dy -> dy != 1)) {
            throw new ConfigException("train.loss", loss.key() + " needs one output, but grid.d_y lists " + grid.model().outputs());
        }
        if (backend.kind() == BackendKind.CUDA) {
            throw new ConfigException("train.loss", loss.key() + " trains on the CPU only (the CUDA kernels train the MSE);"
                    + " use backend auto or cpu");
        }
    }

    /** {@code train.time_limit}: a positive number with a unit, {@code ms}, {@code s}, {@code m} or {@code h} ({@code 30s}, {@code 10m}). */
    static java.time.Duration timeLimit(YamlNode node) throws ConfigException {
        String text = node.isNull() ? "" : String.valueOf(node.raw()).trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new ConfigException("train.time_limit", "expected a duration such as 30s, 10m or 2h (units ms, s, m, h), got '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        double ms = value * switch (m.group(2)) {
            case "ms" -> 1.0;
            case "s" -> 1e3;
            case "m" -> 60e3;
            default -> 3600e3;
        };
        if (!(ms >= 1) || ms > 365 * 24 * 3600e3) {
            throw new ConfigException("train.time_limit", "must be between 1ms and 365 days, got '" + text + "'");
        }
        return java.time.Duration.ofMillis(Math.round(ms));
    }

    /**
     * {@code instruments: {kernels: false, every: log, delta: 0.1}}. Absent: no kernels, nothing logged
     * between init and the end. {@code every}: {@code log} (the curves' log-spaced steps), {@code none},
     * or a step interval.
     */
    private static InstrumentSettings instruments(YamlNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return InstrumentSettings.OFF;
        }
        Map<String, YamlNode> map = node.map();
        YamlNode.rejectUnknownKeys("instruments", map, Set.of("kernels", "every", "delta"));
        boolean kernels = map.containsKey("kernels") && map.get("kernels").bool();
        int every = 0;
        if (map.containsKey("every")) {
            YamlNode e = map.get("every");
            if (e.raw() instanceof String s && (s.equals("log") || s.equals("none"))) {
                every = s.equals("log") ? 0 : InstrumentSettings.NONE;
            } else if (e.raw() instanceof String s) {
                throw new ConfigException(e.path(), "must be log, none or a positive integer, got '" + s + "'");
            } else {
                long k = e.integer();
                if (k < 1 || k > Integer.MAX_VALUE) {
                    throw new ConfigException(e.path(), "must be log, none or a positive integer, got " + k);
                }
                every = (int) k;
            }
        }
        double delta = InstrumentSettings.DEFAULT_DELTA;
        if (map.containsKey("delta")) {
            delta = map.get("delta").number();
            if (!(delta > 0 && delta < 1)) {
                throw new ConfigException("instruments.delta", "must be in (0, 1), got " + delta);
            }
        }
        return new InstrumentSettings(kernels, every, delta);
    }

    /**
     * {@code backend: auto|cpu|cuda}, or {@code backend: {kind: cuda, precision: float64, tasks_per_gpu: 1,
     * max_pack: 512}}. Absent: {@link BackendSettings#DEFAULT} (cpu).
     */
    private static BackendSettings backend(YamlNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return BackendSettings.DEFAULT;
        }
        if (!(node.raw() instanceof Map)) {
            return new BackendSettings(backendKind(node, "backend"), Precision.FLOAT64, 1, BackendSettings.DEFAULT_MAX_PACK);
        }
        Map<String, YamlNode> map = node.map();
        YamlNode.rejectUnknownKeys("backend", map, Set.of("kind", "precision", "tasks_per_gpu", "max_pack"));
        BackendKind kind = backendKind(required("backend", map, "kind"), "backend.kind");
        Precision precision = Precision.FLOAT64;
        if (map.containsKey("precision")) {
            String p = map.get("precision").string();
            precision = Precision.parse(p);
            if (precision == null) {
                throw new ConfigException("backend.precision", "unknown precision '" + p + "' (known: float64, float32)");
            }
            if (precision == Precision.FLOAT32 && kind != BackendKind.CUDA) {
                throw new ConfigException("backend.precision", "float32 needs backend.kind cuda (the CPU trainer is float64), got " + kind.key());
            }
        }
        int tasksPerGpu = 1;
        if (map.containsKey("tasks_per_gpu")) {
            long t = map.get("tasks_per_gpu").integer();
            if (t < 1 || t > 64) {
                throw new ConfigException("backend.tasks_per_gpu", "must be in 1..64, got " + t);
            }
            tasksPerGpu = (int) t;
        }
        int maxPack = BackendSettings.DEFAULT_MAX_PACK;
        if (map.containsKey("max_pack")) {
            long p = map.get("max_pack").integer();
            if (p < 1 || p > BackendSettings.MAX_PACK_LIMIT) {
                throw new ConfigException("backend.max_pack", "must be in 1.." + BackendSettings.MAX_PACK_LIMIT + ", got " + p);
            }
            maxPack = (int) p;
        }
        return new BackendSettings(kind, precision, tasksPerGpu, maxPack);
    }

    /**
     * {@code backend: cuda} is every trial on a GPU or none: a model the kernels do not train
     * ({@link CudaBackend#trains(ModelKind)}) is refused, naming it. {@code auto} trains those trials on
     * the CPU beside the GPU's (their rows say {@code device = cpu}).
     */
    private static void checkBackendTrains(BackendSettings backend, List<ModelKind> models) throws ConfigException {
        if (backend.kind() != BackendKind.CUDA) {
            return;
        }
        List<String> cpuOnly = models.stream().filter(m -> !CudaBackend.trains(m)).map(ModelKind::key).toList();
        if (!cpuOnly.isEmpty()) {
            String all = models.size() == 1 ? models.get(0).key() : models.stream().map(ModelKind::key).toList().toString();
            String trained = TrialModels.all().stream().filter(TrialModel::trainedByCudaKernels).map(TrialModel::key)
                    .collect(java.util.stream.Collectors.joining(" and "));
            throw new ConfigException("backend", "cuda trains " + trained + " only, not " + String.join(", ", cpuOnly) + " (model: " + all
                    + "); use backend auto to train " + String.join(", ", cpuOnly) + " on the CPU beside the GPU's trials, or backend cpu");
        }
    }

    private static BackendKind backendKind(YamlNode node, String key) throws ConfigException {
        String s = node.string();
        BackendKind kind = BackendKind.parse(s);
        if (kind == null) {
            throw new ConfigException(key, "unknown backend '" + s + "' (known: auto, cpu, cuda)");
        }
        return kind;
    }

    /**
     * The adaptive {@code search:} settings of a config text, null when it has none (or another search), the
     * rest unchecked: for re-aggregating an output from its {@code sweep.yaml}.
     */
    public static AdaptiveSettings adaptiveSettings(String text) throws ConfigException {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigException("", "not valid YAML: " + oneLine(e.getMessage()));
        }
        if (!(doc instanceof Map)) {
            return null;
        }
        return WidthPlanLoader.search(new YamlNode("", doc).map().get("search")) instanceof AdaptiveSettings a ? a : null;
    }

    /** The {@code train.steps} of a config text, the rest unchecked (see {@link #adaptiveSettings}). */
    public static int trainSteps(String text) throws ConfigException {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigException("", "not valid YAML: " + oneLine(e.getMessage()));
        }
        YamlNode trainNode = doc instanceof Map ? new YamlNode("", doc).map().get("train") : null;
        return train(trainNode).steps();
    }

    /** {@code thresholds: {delta: 0.1, bootstrap: 200}}; the defaults when absent. */
    private static ThresholdSettings thresholds(YamlNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return ThresholdSettings.DEFAULT;
        }
        Map<String, YamlNode> map = node.map();
        YamlNode.rejectUnknownKeys("thresholds", map, Set.of("delta", "bootstrap"));
        double delta = ThresholdSettings.DEFAULT_DELTA;
        if (map.containsKey("delta")) {
            delta = map.get("delta").number();
            if (!(delta > 0 && delta < 1)) {
                throw new ConfigException("thresholds.delta", "must be in (0, 1) (a width succeeds when a fraction 1 - delta of its seeds converged), got " + delta);
            }
        }
        int bootstrap = ThresholdSettings.DEFAULT_BOOTSTRAP;
        if (map.containsKey("bootstrap")) {
            long b = map.get("bootstrap").integer();
            if (b < 0 || b > ThresholdSettings.MAX_BOOTSTRAP) {
                throw new ConfigException("thresholds.bootstrap", "must be in 0.." + ThresholdSettings.MAX_BOOTSTRAP + ", got " + b);
            }
            bootstrap = (int) b;
        }
        return new ThresholdSettings(delta, bootstrap);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
    }
}
