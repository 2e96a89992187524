package org.overparam.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.overparam.sweep.run.SweepManifest;
import org.overparam.sweep.tables.BatchManifest;
import org.overparam.sweep.tables.TableVerifier;
import org.overparam.sweep.tables.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code overparam verify DIR}: checks every committed part file of a sweep against its commit manifest (size and
 * CRC32C checksum; any Hadoop path, no Spark) and lists what is damaged with the trials it held. Exit 0 intact,
 * 6 damaged.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a sweep's committed part files against their manifests (sizes, CRC32C) and list what is damaged, with its trials.")
final class VerifyCommand implements Callable<Integer>, FaultContext {
    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output folder (any Hadoop path).")
    String dir;

    @Override
    public Integer call() throws Exception {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(OutputState.hadoopConf());
        if (!SweepManifest.exists(fs, root)) {
            System.err.println("overparam: DIR: " + dir + " is not a sweep output (no " + SweepManifest.FILE + ")");
            return OverparamCli.BAD_INPUT;
        }
        Verification v = TableVerifier.verify(fs, root, true);
        if (!v.recorded()) {
            System.out.printf(Locale.ROOT, "%s: %d part files, written before commit manifests: nothing to check them against;"
                    + " %s run CONFIG --out %s --resume records them%n", dir, v.uncommitted().size(), RunFaults.launcher(), dir);
            return 0;
        }
        long bytes = v.batches().stream().flatMap(b -> b.parts().stream()).mapToLong(BatchManifest.Part::bytes).sum();
        long parts = v.batches().stream().mapToLong(b -> b.parts().size()).sum();
        System.out.printf(Locale.ROOT, "%s: %d batch%s committed, %s, %d part files, %,d bytes; sizes and CRC32C checksums checked%n",
                dir, v.batches().size(), v.batches().size() == 1 ? "" : "es", Verification.trials(v.batches().stream().mapToLong(b -> b.trialIds().size()).sum()), parts, bytes);
        for (String p : v.pending()) {
            System.out.println("pending: " + p + " (an interrupted replacement or compaction; the next run --resume or compact finishes it)");
        }
        for (String f : v.uncommitted()) {
            System.out.println("uncommitted: " + f + " (left by an interrupted commit, never read; run --resume removes it)");
        }
        if (v.intact()) {
            System.out.println("intact: every committed part file has its recorded size and checksum");
            return 0;
        }
        DamageReport.lines(v).forEach(System.out::println);
        System.err.println("overparam: " + DamageReport.wayOn(v, dir));
        return FaultKind.DAMAGED.exitCode();
    }

    @Override
    public String outputDir() {
        return dir;
    }

    @Override
    public String line(Fault fault) {
        return RunFaults.readerLine(fault, dir, RunFaults.launcher() + " verify " + dir);
    }
}
