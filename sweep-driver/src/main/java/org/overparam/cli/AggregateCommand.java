package org.overparam.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.analysis.ThresholdSummary;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.report.Figure;
import org.overparam.sweep.report.ReportWriter;
import org.overparam.sweep.run.SweepManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code overparam aggregate DIR}: (re)computes {@code DIR/thresholds}, {@code DIR/scaling} and
 * {@code DIR/rates} from {@code DIR/trials} and prints each group's threshold and each scaling fit.
 */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Compute a sweep's thresholds, scaling fits and rate ratios (DIR/thresholds, DIR/scaling, DIR/rates).")
final class AggregateCommand implements Callable<Integer>, FaultContext {
    @Mixin
    AggregationOptions options;

    @Override
    public Integer call() throws IOException {
        return options.run("overparam aggregate", false);
    }

    @Override
    public String outputDir() {
        return options.dir;
    }

    @Override
    public String line(Fault fault) {
        return RunFaults.readerLine(fault, options.dir, RunFaults.launcher() + " aggregate " + options.dir);
    }

    /**
     * Aggregates {@code dir} with the sweep's {@code thresholds:} settings (overridden by the non-null
     * arguments), prints the thresholds and, when {@code report}, writes the report. Returns the exit code.
     */
    static int aggregate(SparkSession spark, String dir, Double delta, Integer bootstrap, boolean report,
                         PrintStream out, PrintStream err) throws IOException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!SweepManifest.exists(fs, root) || !fs.exists(new Path(root, "trials"))) {
            err.println("overparam: " + dir + " is not a sweep output (no " + SweepManifest.FILE + " or trials/)");
            return OverparamCli.BAD_INPUT;
        }
        DamageReport.checkBeforeReading(spark, root, err);
        Aggregation aggregation = new Aggregation(spark, dir);
        ThresholdSettings settings;
        org.overparam.sweep.analysis.AdaptiveFits.Settings adaptive;
        try {
            ThresholdSettings sweep = aggregation.sweepSettings();
            if (delta != null && !(delta > 0 && delta < 1)) {
                throw new ConfigException("--delta", "must be in (0, 1), got " + delta);
            }
            if (bootstrap != null && (bootstrap < 0 || bootstrap > ThresholdSettings.MAX_BOOTSTRAP)) {
                throw new ConfigException("--bootstrap", "must be in 0.." + ThresholdSettings.MAX_BOOTSTRAP + ", got " + bootstrap);
            }
            settings = new ThresholdSettings(delta != null ? delta : sweep.delta(), bootstrap != null ? bootstrap : sweep.bootstrap());
            adaptive = aggregation.sweepAdaptive(settings.delta());
        } catch (ConfigException e) {
            err.println("overparam: " + e.getMessage());
            return OverparamCli.BAD_INPUT;
        }
        Aggregation.Tables tables = aggregation.run(settings, adaptive);
        out.print(ThresholdSummary.format(tables));
        out.println("tables: " + aggregation.tablePath(Aggregation.THRESHOLDS) + "  " + aggregation.tablePath(Aggregation.SCALING)
                + "  " + aggregation.tablePath(Aggregation.RATES) + "  (columns: docs/tables.md)");
        if (report) {
            ReportWriter writer = new ReportWriter(spark, dir);
            List<Figure> figures;
            try {
                figures = writer.write();
            } catch (RuntimeException | Error e) {
                // The report's files are written by plain streams whose errors name no path: name it for the fault line.
                throw new IllegalStateException("cannot write the report into " + writer.reportDir(), e);
            }
            out.println("report: " + figures.size() + " plots, " + new Path(writer.reportDir(), "index.html")
                    + " and " + new Path(writer.reportDir(), "summary.md"));
        }
        return 0;
    }
}
