package org.overparam.sweep.run;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.overparam.sweep.schedule.CostBalancer;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Prints one line per finished training partition: trials done of the total, elapsed time and an ETA
 * estimated from the share of the sweep's cost done. Listens to the Spark scheduler; only stages whose
 * job carries the {@link #BATCH_PROPERTY} local property count, so table writes do not.
 */
public final class ProgressReporter extends SparkListener {
    /** Local property set on the driver thread while a batch trains. */
    public static final String BATCH_PROPERTY = "overparam.batch";

    private final PrintStream out;
    private final int totalTrials;
    private final double totalCost;
    private final long startNanos = System.nanoTime();
    private final Set<Integer> stages = new HashSet<>();
    private final Set<Integer> donePartitions = new HashSet<>();
    private String batchLabel = "";
    private List<List<TrialSpec>> bins = List.of();
    private int trialsDone;
    private double costDone;

    public ProgressReporter(PrintStream out, int totalTrials, double totalCost) {
        this.out = out;
        this.totalTrials = totalTrials;
        this.totalCost = totalCost;
    }

    /** Called on the driver before a batch's training job starts. */
    public synchronized void beginBatch(String label, List<List<TrialSpec>> partitions) {
        this.batchLabel = label;
        this.bins = partitions;
        this.donePartitions.clear();
        this.stages.clear();
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted event) {
        java.util.Properties props = event.properties();
        if (props != null && props.getProperty(BATCH_PROPERTY) != null) {
            stages.add(event.stageInfo().stageId());
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
        if (!stages.contains(event.stageId()) || event.reason() != Success$.MODULE$) {
            return;
        }
        int index = event.taskInfo().index();
        if (index < 0 || index >= bins.size() || !donePartitions.add(index)) {
            return;
        }
        List<TrialSpec> bin = bins.get(index);
        trialsDone += bin.size();
        costDone += CostBalancer.cost(bin);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double fraction = totalCost > 0 ? Math.min(1.0, costDone / totalCost) : 1.0;
        String eta = fraction > 0 ? clock(elapsed * (1 - fraction) / fraction) : "?";
        out.printf(Locale.ROOT, "  %d/%d trials (%.0f%%) · %s partition %d/%d done · elapsed %s · ETA %s%n",
                trialsDone, totalTrials, 100.0 * trialsDone / Math.max(1, totalTrials), batchLabel,
                donePartitions.size(), bins.size(), clock(elapsed), eta);
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
