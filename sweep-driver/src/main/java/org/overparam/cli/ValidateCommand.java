package org.overparam.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.config.ListedWidths;
import org.overparam.sweep.config.WidthPlan;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code overparam validate CONFIG}: checks a config and prints its trial count, without Spark. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a sweep config and print the number of trials it expands to.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The sweep config (YAML).")
    Path config;

    @Option(names = "--force", description = "Accept grids over the size limit (${sys:overparam.maxTrials:-100000} trials).")
    boolean force;

    @Override
    public Integer call() {
        try {
            SweepPlan plan = GridExpander.plan(ConfigLoader.load(config), force);
            System.out.println("ok: " + PlanDescription.of(plan));
            System.out.print(plan.config().widths().match(new WidthPlan.Cases<String>() {
                @Override
                public String listed(ListedWidths widths) {
                    return "trials: " + plan.trials().size() + "\n";
                }

                @Override
                public String bisect(BisectSettings search) {
                    long groups = plan.trials().size() / ((long) plan.config().grid().m().size() * plan.config().seeds().size());
                    int k = search.maxRefinements();
                    return "trials: " + plan.trials().size() + "\n" + String.format(Locale.ROOT, "search: those are stage 1; then"
                            + " typically %d-%d more stages of at most %d trials each (one width per group and seed)%n",
                            k, k + 1, groups * plan.config().seeds().size());
                }

                @Override
                public String adaptive(AdaptiveSettings search) {
                    long groups = PlanDescription.adaptiveGroups(plan);
                    int check = search.budgetCheck() > 0 ? AdaptiveSettings.BUDGET_SAMPLE : 0;
                    return String.format(Locale.ROOT, "trials: at most %d (%d groups x %d search trials%s); a group stops"
                            + " once p's 95%% interval is within +-%s%n", groups * (search.maxTrials() + check), groups,
                            search.maxTrials(), check > 0 ? " + " + check + " budget-check trials" : "", search.target());
                }
            }));
            return 0;
        } catch (ConfigException e) {
            System.err.println("overparam: " + config + ": " + e.getMessage());
            return OverparamCli.BAD_INPUT;
        }
    }
}
