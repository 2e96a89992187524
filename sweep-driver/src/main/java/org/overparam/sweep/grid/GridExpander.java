package org.overparam.sweep.grid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.DataConfig;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.trainer.data.CsvDataReader;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.TabularData;
import org.overparam.trainer.model.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Expands a validated config into its trials: the Cartesian product model × α × n × d × η × m × seed
 * (α only for models that use it), in that nesting order. A pure function of the config and, for
 * file data, of the file's content.
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
        List<TrialSpec> trials = new ArrayList<>();
        for (ModelKind model : config.models()) {
            List<Double> alphas = model.usesAlpha() ? config.grid().alpha() : Collections.singletonList(null);
            for (Double alpha : alphas) {
                for (int n : config.grid().n()) {
                    for (int d : dims) {
                        for (double eta : config.grid().eta()) {
                            for (int m : config.grid().m()) {
                                for (long seed : config.seeds()) {
                                    trials.add(new TrialSpec(model, alpha, m, n, d, eta, seed, source.identity(),
                                            config.train().steps(), config.train().tolerance(), config.instruments()));
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
        String searched = config.search() == null ? ""
                : config.search().canonical() + ";delta=" + config.thresholds().delta();
        return new SweepPlan(config, source, list, SweepPlan.fingerprintOf(list, searched));
    }

    /** The number of trials the grid expands to, without building them. */
    public static long countTrials(SweepConfig config) {
        long perModelBase = (long) config.grid().n().size() * Math.max(1, config.grid().d().size())
                * config.grid().eta().size() * config.grid().m().size() * config.seeds().size();
        long total = 0;
        for (ModelKind model : config.models()) {
            total += perModelBase * (model.usesAlpha() ? config.grid().alpha().size() : 1);
        }
        return total;
    }

    private static DataSource resolveData(SweepConfig config) throws ConfigException {
        int maxN = config.grid().n().get(config.grid().n().size() - 1);
        if (config.data() instanceof DataConfig.Sphere s) {
            return new SphereData(s.target(), s.seed());
        }
        DataConfig.Csv csv = (DataConfig.Csv) config.data();
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
