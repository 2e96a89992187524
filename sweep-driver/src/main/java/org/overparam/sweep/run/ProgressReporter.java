package org.overparam.sweep.run;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.overparam.sweep.schedule.CostBalancer;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Follows a sweep's training partitions on the Spark scheduler and reports them through a
 * {@link ProgressLine}: trials done of the total, rate, ETA (from the share of the sweep's cost done),
 * failures so far; a milestone line when a batch commits. Only stages whose job carries the
 * {@link #BATCH_PROPERTY} local property count, so table writes do not.
 */
public final class ProgressReporter extends SparkListener {
    /** Local property set on the driver thread while a batch trains. */
    public static final String BATCH_PROPERTY = "overparam.batch";

    private final ProgressLine line;
    private final int totalTrials;
    private final double totalCost;
    private final Set<Integer> stages = new HashSet<>();
    private final Set<Integer> donePartitions = new HashSet<>();
    private String batchLabel = "";
    private List<List<TrialSpec>> bins = List.of();
    private int trialsDone;
    private double costDone;
    private int failed;
    private int retries;

    public ProgressReporter(ProgressLine line, int totalTrials, double totalCost) {
        this.line = line;
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

    /** Called on the driver when a batch has committed, with its trials that diverged or failed. */
    public synchronized void batchCommitted(String event, int failedInBatch) {
        failed += failedInBatch;
        line.milestone(event, state());
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
        if (!stages.contains(event.stageId())) {
            return;
        }
        if (event.reason() != Success$.MODULE$) {
            retries++;
            line.update(state());
            return;
        }
        int index = event.taskInfo().index();
        if (index < 0 || index >= bins.size() || !donePartitions.add(index)) {
            return;
        }
        List<TrialSpec> bin = bins.get(index);
        trialsDone += bin.size();
        costDone += CostBalancer.cost(bin);
        line.update(state());
    }

    private ProgressLine.State state() {
        double fraction = totalCost > 0 ? costDone / totalCost : 1.0;
        return new ProgressLine.State(trialsDone, totalTrials, fraction, failed, retries, batchLabel);
    }
}
