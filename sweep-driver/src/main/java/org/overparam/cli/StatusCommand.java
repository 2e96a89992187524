package org.overparam.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.status.LockProbe;
import org.overparam.sweep.status.StatusFormat;
import org.overparam.sweep.status.SweepStatus;
import org.overparam.sweep.status.WriterProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code overparam status DIR}: where a sweep stands (running, stopped or finished; any Hadoop path),
 * from its committed batches: trials by status, a width search's brackets, elapsed time and ETA, and
 * the writer ({@link WriterProbe}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show where a sweep stands: committed trials by status, brackets of a width search, elapsed time, ETA, writer.")
final class StatusCommand implements Callable<Integer>, FaultContext {
    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output folder (any Hadoop path).")
    String dir;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for reading the tables. Default: local[*].")
    String master;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = Sessions.create("overparam status", master);
        try {
            org.overparam.sweep.tables.Verification verified = StatusDamage.verify(spark, dir);
            System.out.print(StatusFormat.format(new SweepStatus(spark, new LockProbe()).of(dir, verified)));
            StatusDamage.print(verified, dir, System.out);
            return 0;
        } catch (ConfigException e) {
            System.err.println("overparam: " + e.getMessage());
            return OverparamCli.BAD_INPUT;
        } finally {
            spark.stop();
        }
    }

    @Override
    public String outputDir() {
        return dir;
    }

    @Override
    public String line(Fault fault) {
        return RunFaults.readerLine(fault, dir, RunFaults.launcher() + " status " + dir);
    }
}
