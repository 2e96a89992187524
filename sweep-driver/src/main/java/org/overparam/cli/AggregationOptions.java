package org.overparam.cli;

import java.io.IOException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code aggregate} and {@code report} share (a picocli mixin): the sweep folder, the Spark master,
 * the threshold settings that override the sweep's, and the run itself ({@link AggregateCommand#aggregate},
 * which checks the folder and the settings).
 */
final class AggregationOptions {
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

    @Option(names = "--skip-damaged", description = "Compute without the batches whose part files are damaged (overparam verify DIR"
            + " lists them), naming each one skipped. Default: refuse a damaged folder (exit 6).")
    boolean skipDamaged;

    /** Aggregates {@link #dir} in a Spark session named {@code appName}, and writes the report when {@code report}. */
    int run(String appName, boolean report) throws IOException {
        SparkSession spark = Sessions.create(appName, master);
        try {
            if (skipDamaged) {
                spark.conf().set(org.overparam.sweep.tables.CommittedTables.SKIP_DAMAGED, "true");
            }
            return AggregateCommand.aggregate(spark, dir, delta, bootstrap, report, System.out, System.err);
        } finally {
            spark.stop();
        }
    }
}
