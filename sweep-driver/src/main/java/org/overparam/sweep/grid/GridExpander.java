package org.overparam.sweep.grid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.DataConfig;
import org.overparam.trainer.models.ModelAxes;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.trainer.data.CsvDataReader;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.TabularData;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.models.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;
import org.overparam.trainer.models.TrialModels;

/**
 * Expands a validated config into its trials: the Cartesian product model × α × n × d × η × m × model
 * parameters × seed (α only for models that use it, the model parameters of {@link
 * org.overparam.trainer.models.ModelAxes} only for theirs), in that nesting order; with dyadic data
 * {@code n = 2d}. A pure function of the config and, for file data, of the file's content.
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
        List<Integer> dims = config.grid().d().isEmpty()
                ? List.of(source.fixedDimension().orElseThrow())
                : config.grid().d();
        boolean dyadic = config.data() instanceof DataConfig.Dyadic;
        List<Integer> ns = dyadic ? List.of(-1) : config.grid().n();
        int dataOutputs = source.fixedOutputs().orElse(1);
        List<TrialSpec> trials = new ArrayList<>();
        for (ModelKind model : config.models()) {
            List<Double> alphas = TrialModels.of(model).usesAlpha() ? config.grid().alpha() : Collections.singletonList(null);
            for (Double alpha : alphas) {
                for (int gridN : ns) {
                    for (int d : dims) {
                        int n = dyadic ? 2 * d : gridN;
                        for (double eta : config.grid().etaFor(model)) {
                            for (int m : config.grid().m()) {
                                for (ModelParams params : config.grid().model().paramsFor(model, d, m, dataOutputs)) {
                                    for (long seed : config.seeds()) {
                                        trials.add(new TrialSpec(model, alpha, m, n, d, eta, seed, source.identity(),
                                                config.train().steps(), config.train().tolerance(), config.instruments(),
                                                params, config.grid().stepRuleFor(model)));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Map<String, TrialSpec> unique = new LinkedHashMap<>();
        for (TrialSpec t : trials) {
            unique.putIfAbsent(t.id(), t);
        }
        List<TrialSpec> list = List.copyOf(unique.values());
        return new SweepPlan(config, source, list, SweepPlan.fingerprintOf(list, config.searchCanonical()));
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
        List<ModelParams> here = axes.paramsFor(trial.model(), trial.d(), trial.m(), outputs);
        int k = here.indexOf(trial.params());
        if (k < 0) {
            throw new IllegalArgumentException("trial " + trial.id() + " (" + trial.canonical() + ") is not in the grid of sweep "
                    + plan.config().name() + ": its parameters are none of " + here.stream().map(ModelParams::canonical).toList());
        }
        return trial.withWidth(width, axes.paramsFor(trial.model(), trial.d(), width, outputs).get(k));
    }

    /** The number of trials the grid expands to, without building them. */
    public static long countTrials(SweepConfig config) {
        long perModelBase = (long) Math.max(1, config.grid().n().size()) * Math.max(1, config.grid().d().size())
                * config.grid().m().size() * config.seeds().size();
        long total = 0;
        for (ModelKind model : config.models()) {
            total += perModelBase * config.grid().etaFor(model).size() * (TrialModels.of(model).usesAlpha() ? config.grid().alpha().size() : 1) * config.grid().model().count(model);
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
