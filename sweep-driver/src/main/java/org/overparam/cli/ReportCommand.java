package org.overparam.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code overparam report DIR}: aggregates the sweep (as {@code aggregate}: {@code DIR/thresholds},
 * {@code DIR/scaling}, {@code DIR/rates}), then writes {@code DIR/report/} (PNG plots, index.html, summary.md).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Aggregate a sweep (as 'aggregate') and write plots and a summary to DIR/report/.")
final class ReportCommand implements Callable<Integer>, FaultContext {
    @Mixin
    AggregationOptions options;

    @Override
    public Integer call() throws IOException {
        return options.run("overparam report", true);
    }

    @Override
    public String outputDir() {
        return options.dir;
    }

    @Override
    public String line(Fault fault) {
        return RunFaults.readerLine(fault, options.dir, RunFaults.launcher() + " report " + options.dir);
    }
}
