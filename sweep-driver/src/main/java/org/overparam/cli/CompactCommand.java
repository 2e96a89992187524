package org.overparam.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.run.OutputLock;
import org.overparam.sweep.run.SweepManifest;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.tables.TableCompactor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code overparam compact DIR}: rewrites a sweep's small batch files as one batch of few files, atomically, with
 * its manifest ({@link TableCompactor}); the tables' rows are unchanged. Takes the folder's writer lock.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Rewrite a sweep's many small batch files as one batch (same rows, checked), atomically.")
final class CompactCommand implements Callable<Integer>, FaultContext {
    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output folder (any Hadoop path).")
    String dir;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: local[*].")
    String master;

    @Option(names = "--max-rows-per-file", paramLabel = "N", defaultValue = "5000000",
            description = "Rows per part file at most (default: ${DEFAULT-VALUE}).")
    long maxRowsPerFile;

    @Override
    public Integer call() throws Exception {
        if (maxRowsPerFile < 1) {
            System.err.println("overparam: --max-rows-per-file: must be >= 1, got " + maxRowsPerFile);
            return OverparamCli.BAD_INPUT;
        }
        SparkSession spark = Sessions.create("overparam compact", master);
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!SweepManifest.exists(fs, root)) {
                System.err.println("overparam: DIR: " + dir + " is not a sweep output (no " + SweepManifest.FILE + ")");
                return OverparamCli.BAD_INPUT;
            }
            OutputLock lock;
            try {
                lock = OutputLock.acquire(fs, root, true, System.err);
            } catch (ConfigException e) {
                System.err.println("overparam: " + e.getMessage());
                return OverparamCli.BAD_INPUT;
            }
            try (lock) {
                TableCompactor.Result r = TableCompactor.compact(spark, new ParquetTableStore(spark, dir), maxRowsPerFile, System.err);
                if (r.batch() == null) {
                    System.out.printf(Locale.ROOT, "%s: %d batch, %d part files: nothing to compact%n", dir, r.batchesBefore(), r.filesBefore());
                } else {
                    System.out.printf(Locale.ROOT, "compacted %s: %d batches (%d part files) into batch %s (%d part files);"
                            + " %,d trial rows and %,d curve rows, unchanged (row counts and digests checked)%n",
                            dir, r.batchesBefore(), r.filesBefore(), r.batch(), r.filesAfter(), r.trials(), r.curveRows());
                }
                return 0;
            }
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
        return RunFaults.readerLine(fault, dir, RunFaults.launcher() + " compact " + dir,
                " (unchanged unless the switch was made: it is one journal, finished by the next writer)");
    }
}
