package org.overparam.cli;

import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.overparam.sweep.tables.TableVerifier;
import org.overparam.sweep.tables.Verification;

/**
 * What of an output folder is safe after a failure, from its commit manifests alone (no Spark session: the
 * failure may have taken it down): how many trials are committed and intact, checked by size and checksum.
 */
final class OutputState {
    private OutputState() {
    }

    /** "80 of 176 trials committed and intact in DIR" ({@code planned} < 1: without "of"). */
    static String committed(String dir, int planned) {
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(hadoopConf());
            if (!fs.exists(root)) {
                return dir + " no longer exists";
            }
            Verification v = TableVerifier.verify(fs, root, true);
            if (!v.recorded()) {
                return "the batches committed in " + dir + " are kept";
            }
            int n = v.intactTrialIds().size();
            String s = planned > 0 ? String.format(Locale.ROOT, "%,d of %,d trials", n, planned) : Verification.trials(n);
            s += " committed and intact in " + dir;
            if (!v.intact()) {
                s += String.format(Locale.ROOT, " (and %d damaged batch%s of %s: %s verify %s lists them)",
                        v.damagedBatches().size(), v.damagedBatches().size() == 1 ? "" : "es",
                        Verification.trials(v.damagedTrialIds().size()), RunFaults.launcher(), dir);
            }
            return s;
        } catch (Exception | Error e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return "the batches committed in " + dir + " are kept (not checked now: " + cause.getClass().getSimpleName() + ")";
        }
    }

    /** Whether the folder's store cannot be reached or the folder is gone. */
    static boolean gone(String dir) {
        try {
            Path root = new Path(dir);
            return !root.getFileSystem(hadoopConf()).exists(root);
        } catch (Exception | Error e) {
            return true;
        }
    }

    /** The Hadoop configuration Spark would use (spark.hadoop.* settings included), without a session. */
    static Configuration hadoopConf() {
        return SparkHadoopUtil.get().newConfiguration(new SparkConf());
    }
}
