package org.overparam.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.report.ReportWriter;
import org.overparam.sweep.run.SweepManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code overparam report DIR}: writes {@code DIR/report/} (PNG plots, index.html, summary.md). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write plots and a summary of a sweep's tables to DIR/report/.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output folder.")
    String dir;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: local[*].")
    String master;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = Sessions.create("overparam report", master);
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!SweepManifest.exists(fs, root) || !fs.exists(new Path(root, "trials"))) {
                System.err.println("overparam: " + dir + " is not a sweep output (no " + SweepManifest.FILE + " or trials/)");
                return OverparamCli.BAD_INPUT;
            }
            ReportWriter writer = new ReportWriter(spark, dir);
            List<ReportWriter.Figure> figures = writer.write();
            System.out.println("report: " + figures.size() + " plots, " + new Path(writer.reportDir(), "index.html")
                    + " and " + new Path(writer.reportDir(), "summary.md"));
            return 0;
        } finally {
            spark.stop();
        }
    }
}
