package org.overparam.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
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
            if (plan.config().adaptive() != null) {
                var a = plan.config().adaptive();
                long groups = PlanDescription.adaptiveGroups(plan);
                long most = groups * (a.maxTrials() + (a.budgetCheck() > 0 ? org.overparam.sweep.config.AdaptiveSettings.BUDGET_SAMPLE : 0));
                System.out.printf(java.util.Locale.ROOT, "trials: at most %d (%d groups x %d search trials%s); a group stops"
                        + " once p's 95%% interval is within +-%s%n", most, groups, a.maxTrials(),
                        a.budgetCheck() > 0 ? " + " + org.overparam.sweep.config.AdaptiveSettings.BUDGET_SAMPLE + " budget-check trials" : "",
                        a.target());
                return 0;
            }
            System.out.println("trials: " + plan.trials().size());
            if (plan.config().search() != null) {
                long groups = plan.trials().size() / ((long) plan.config().grid().m().size() * plan.config().seeds().size());
                int k = plan.config().search().maxRefinements();
                System.out.printf(java.util.Locale.ROOT, "search: those are stage 1; then typically %d-%d more stages of at most %d"
                        + " trials each (one width per group and seed)%n", k, k + 1, groups * plan.config().seeds().size());
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println("overparam: " + config + ": " + e.getMessage());
            return OverparamCli.BAD_INPUT;
        }
    }
}
