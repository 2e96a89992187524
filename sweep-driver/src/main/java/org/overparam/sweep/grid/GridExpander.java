package org.overparam.sweep.grid;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.DataConfig;
import org.overparam.sweep.config.Grid;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.trainer.data.CsvDataReader;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.TabularData;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.models.ModelAxes;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Expands a validated config into its trials: per model, a fold over its axes α × n × d × η × m × model
 * parameters × seed (α only for models that use it, the model parameters of {@link
 * org.overparam.trainer.models.ModelAxes} only for theirs), in that nesting order; with dyadic data
 * {@code n = 2d}. The trial count is the product of the same axes' sizes. A pure function of the config and,
 * for file data, of the file's content.
 */
public final class GridExpander {
    /** Sweeps larger than this need {@code --force}: a typo in a grid should not launch a week of work. */
    public static final int MAX_TRIALS = 100_000;

    private GridExpander() {
    }

    /** Resolves the data (reading a file if any) and expands the grid. */
    public static SweepPlan plan(SweepConfig config, boolean force) throws ConfigException {
        long count = countTrials(config);
        if (count > MAX_TRIALS && !force) {
            throw new ConfigException("grid", "expands to " + count + " trials, over the limit of " + MAX_TRIALS
                    + "; pass --force if you mean it");
        }
        DataSource source = resolveData(config);
        int dataOutputs = source.fixedOutputs().orElse(1);
        List<Integer> dims = config.grid().d().isEmpty() ? List.of(source.fixedDimension().orElseThrow()) : config.grid().d();
        Map<String, TrialSpec> unique = new LinkedHashMap<>();
        for (ModelKind model : config.models()) {
            List<Point> points = List.of(new Point(model, null, null, 0, 0, 0, 0, null, 0));
            for (Axis axis : axes(config, model, dims, dataOutputs)) {
                points = points.stream().flatMap(p -> axis.extend(p).stream()).toList();
            }
            for (Point p : points) {
                TrialSpec t = new TrialSpec(model, p.alpha, p.m, p.n, p.d, p.eta, p.seed, source.identity(),
                        config.train().steps(), config.train().tolerance(), config.instruments(), p.params,
                        config.grid().stepRuleFor(model), p.loss, config.train().stuckHorizon());
                TrialModels.check(t);
                unique.putIfAbsent(t.id(), t);
            }
        }
        List<TrialSpec> list = List.copyOf(unique.values());
        return new SweepPlan(config, source, list, SweepPlan.fingerprintOf(list, config.searchCanonical()));
    }

    /**
     * A trial's coordinates as the fold over the axes fills them in (fields not yet reached are 0 or null).
     * With dyadic data, n is set by the d axis ({@code n = 2d}).
     */
    private record Point(ModelKind model, Loss loss, Double alpha, int n, int d, double eta, int m, ModelParams params, long seed) {
    }

    /**
     * One axis of the grid: the points a partial point extends to, and how many values it has (the same for
     * every partial point of one model, so the grid's size is the product of the sizes).
     */
    private record Axis(int size, java.util.function.Function<Point, List<Point>> extend) {
        List<Point> extend(Point p) {
            return extend.apply(p);
        }
    }

    /**
     * The axes of {@code model}, in nesting order: the training losses it takes × α (for models that use it) × n
     * × d × η × m × model parameters × seed. Models that take no α have one α, null; dyadic data has one n per d ({@code 2d}).
     */
    private static List<Axis> axes(SweepConfig config, ModelKind model, List<Integer> dims, int dataOutputs) {
        Grid grid = config.grid();
        boolean dyadic = config.data() instanceof DataConfig.Dyadic;
        List<Double> alphas = TrialModels.of(model).usesAlpha() ? grid.alpha() : Collections.singletonList(null);
        List<Integer> ns = dyadic ? List.of(-1) : grid.n();
        List<Loss> losses = config.train().lossesFor(TrialModels.of(model));
        return List.of(
                new Axis(losses.size(), p -> losses.stream().map(l -> new Point(model, l, null, 0, 0, 0, 0, null, 0)).toList()),
                new Axis(alphas.size(), p -> alphas.stream().map(a -> new Point(model, p.loss, a, 0, 0, 0, 0, null, 0)).toList()),
                new Axis(ns.size(), p -> ns.stream().map(n -> new Point(model, p.loss, p.alpha, n, 0, 0, 0, null, 0)).toList()),
                new Axis(dims.size(), p -> dims.stream().map(d -> new Point(model, p.loss, p.alpha, dyadic ? 2 * d : p.n, d, 0, 0, null, 0)).toList()),
                new Axis(grid.etaFor(model).size(), p -> grid.etaFor(model).stream()
                        .map(eta -> new Point(model, p.loss, p.alpha, p.n, p.d, eta, 0, null, 0)).toList()),
                new Axis(grid.m().size(), p -> grid.m().stream().map(m -> new Point(model, p.loss, p.alpha, p.n, p.d, p.eta, m, null, 0)).toList()),
                new Axis(TrialModels.of(model).paramCount(grid.model()), p -> TrialModels.of(model).params(grid.model(), p.d, p.m, dataOutputs).stream()
                        .map(params -> new Point(model, p.loss, p.alpha, p.n, p.d, p.eta, p.m, params, 0)).toList()),
                new Axis(config.seeds().size(), p -> config.seeds().stream()
                        .map(seed -> new Point(model, p.loss, p.alpha, p.n, p.d, p.eta, p.m, p.params, seed)).toList()));
    }

    /**
     * {@code trial}, one of {@code plan}'s, at width {@code width}: the trial the grid would hold had it
     * listed that width (same id as a plan of that width would give it). Model parameters that depend on
     * the width (smooth's ω at He's product or init) are recomputed from the grid's model axes; the others
     * are kept.
     *
     * @throws IllegalArgumentException if {@code trial}'s parameters are not among the grid's at its width
     */
    public static TrialSpec atWidth(SweepPlan plan, TrialSpec trial, int width) {
        ModelAxes axes = plan.config().grid().model();
        int outputs = plan.data().fixedOutputs().orElse(1);
        TrialModel model = TrialModels.of(trial.model());
        List<ModelParams> here = model.params(axes, trial.d(), trial.m(), outputs);
        int k = here.indexOf(trial.params());
        if (k < 0) {
            throw new IllegalArgumentException("trial " + trial.id() + " (" + trial.canonical() + ") is not in the grid of sweep "
                    + plan.config().name() + ": its parameters are none of " + here.stream().map(ModelParams::canonical).toList());
        }
        return trial.withWidth(width, model.params(axes, trial.d(), width, outputs).get(k));
    }

    /**
     * The number of trials the grid expands to, without building them: per model, the product of its
     * {@link #axes} sizes (file data's one d, known before the file is read, counts as one).
     */
    public static long countTrials(SweepConfig config) {
        List<Integer> dims = config.grid().d().isEmpty() ? List.of(0) : config.grid().d();
        long total = 0;
        for (ModelKind model : config.models()) {
            long product = 1;
            for (Axis axis : axes(config, model, dims, 1)) {
                product *= axis.size();
            }
            total += product;
        }
        return total;
    }

    private static DataSource resolveData(SweepConfig config) throws ConfigException {
        int maxN = config.grid().n().isEmpty() ? 0 : config.grid().n().get(config.grid().n().size() - 1);
        if (config.data() instanceof DataConfig.Sphere s) {
            DataSource sphere = new SphereData(s.target(), s.seed());
            return s.testFraction() > 0 ? new WithHeldOut(sphere, s.testFraction()) : sphere;
        }
        if (!(config.data() instanceof DataConfig.Csv)) {
            return DataSources.resolve(config.data(), maxN);
        }
        DataConfig.Csv csv = (DataConfig.Csv) config.data();
        if (csv.testFraction() > 0) {
            return DataSources.splitCsv(csv, maxN);
        }
        TabularData table;
        try {
            table = CsvDataReader.read(csv.path(), csv.label(), csv.normalize(), maxN);
        } catch (CsvDataReader.CsvFormatException e) {
            throw new ConfigException(e.missingLabel() ? "data.label" : "data.path", e.getMessage());
        }
        if (table.rows() < maxN) {
            throw new ConfigException("grid.n", "the largest n is " + maxN + " but " + csv.path() + " has only "
                    + table.rows() + " data rows");
        }
        return table;
    }
}
