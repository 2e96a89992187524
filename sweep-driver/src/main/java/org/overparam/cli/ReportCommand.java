package org.overparam.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code overparam report DIR}: aggregates the sweep (as {@code aggregate}: {@code DIR/thresholds},
 * {@code DIR/scaling}, {@code DIR/rates}), then writes {@code DIR/report/} (PNG plots, index.html, summary.md).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Aggregate a sweep (as 'aggregate') and write plots and a summary to DIR/report/.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output folder.")
    String dir;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: local[*].")
    String master;

    @Option(names = "--delta", paramLabel = "X",
            description = "A width succeeds when a fraction 1 - X of its seeds converged. Default: the sweep's thresholds.delta (0.1).")
    Double delta;

    @Option(names = "--bootstrap", paramLabel = "B",
            description = "Bootstrap replicates for the m_star interval. Default: the sweep's thresholds.bootstrap (200).")
    Integer bootstrap;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = Sessions.create("overparam report", master);
        try {
            return AggregateCommand.aggregate(spark, dir, delta, bootstrap, true, System.out, System.err);
        } finally {
            spark.stop();
        }
    }
}
