package org.overparam.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.tables.CommittedTables;
import org.overparam.sweep.tables.Damage;
import org.overparam.sweep.tables.DamagedOutputException;
import org.overparam.sweep.tables.TableVerifier;
import org.overparam.sweep.tables.Verification;

/**
 * How {@code verify}, {@code status} and {@code aggregate} speak of damage: one line per damaged part naming the
 * file, what is wrong and the trials its batch held; and the check {@code aggregate} and {@code report} make before
 * computing anything.
 */
final class DamageReport {
    private DamageReport() {
    }

    /** One line per damaged part: "damaged: FILE is truncated (…); batch B held 40 trials: id, id, …". */
    static List<String> lines(Verification v) {
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, List<Damage>> e : v.damageByBatch().entrySet()) {
            for (Damage d : e.getValue()) {
                out.add("damaged: " + d.describe() + "; " + (d.kind() == Damage.Kind.MANIFEST
                        ? "its trials are unknown (run --resume reruns whatever is not committed)"
                        : "batch " + d.batch() + " held " + Verification.trials(d.trialIds().size()) + ": " + String.join(", ", d.trialIds())));
            }
        }
        return out;
    }

    /** The closing line of a damaged folder's listing: how many trials, and the two ways on. */
    static String wayOn(Verification v, String dir) {
        int batches = v.damagedBatches().size();
        return String.format(Locale.ROOT, "%d damaged batch%s of %s in %s (%s intact); %s run CONFIG --out %s --resume"
                + " quarantines %s and reruns %s trials, %s aggregate %s --skip-damaged aggregates without them",
                batches, batches == 1 ? "" : "es", Verification.trials(v.damagedTrialIds().size()), dir,
                Verification.trials(v.intactTrialIds().size()), RunFaults.launcher(), dir, batches == 1 ? "it" : "them",
                batches == 1 ? "its" : "their", RunFaults.launcher(), dir);
    }

    /**
     * Before {@code aggregate} or {@code report} computes: checks every committed part (sizes and checksums).
     * Damage stops it ({@link DamagedOutputException}) unless the session skips damaged batches, then each skipped
     * batch is named on {@code err}.
     */
    static void checkBeforeReading(SparkSession spark, Path root, PrintStream err) {
        Verification v = TableVerifier.verify(CommittedTables.fileSystem(spark, root), root, true);
        if (v.intact()) {
            return;
        }
        if (!Boolean.parseBoolean(spark.conf().get(CommittedTables.SKIP_DAMAGED, "false"))) {
            throw new DamagedOutputException(v);
        }
        for (Map.Entry<String, List<Damage>> e : v.damageByBatch().entrySet()) {
            Damage d = e.getValue().get(0);
            err.println("overparam: skipping damaged batch " + e.getKey() + " (" + d.describe() + "): "
                    + (d.kind() == Damage.Kind.MANIFEST ? "its trials" : "its " + Verification.trials(d.trialIds().size()))
                    + " are left out of every table");
        }
    }
}
