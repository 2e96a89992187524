package org.overparam.cli;

import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.tables.CommittedTables;
import org.overparam.sweep.tables.TableVerifier;
import org.overparam.sweep.tables.Verification;

/**
 * The part of {@code status} that checks the committed files (sizes and checksums): damaged batches are left out
 * of the counts and listed after them, with their trials and the way to heal them.
 */
final class StatusDamage {
    private StatusDamage() {
    }

    /** The verification of {@code dir}, or null when it is no sweep output (status says so itself). */
    static Verification verify(SparkSession spark, String dir) {
        Path root = new Path(dir);
        try {
            if (!org.overparam.sweep.run.SweepManifest.exists(CommittedTables.fileSystem(spark, root), root)) {
                return null;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + dir, e);
        }
        return TableVerifier.verify(CommittedTables.fileSystem(spark, root), root, true);
    }

    static void print(Verification v, String dir, PrintStream out) {
        if (v == null || v.intact()) {
            return;
        }
        out.println("  DAMAGED (left out of the counts above):");
        DamageReport.lines(v).forEach(l -> out.println("    " + l));
        out.println("  " + DamageReport.wayOn(v, dir));
    }
}
