package org.overparam.sweep.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.overparam.sweep.schedule.CostBalancer;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Warns about training tasks that run far past their estimate: the driver knows when each task started
 * and the cost of its trials ({@link CostBalancer#cost}); seconds per unit of cost are measured on the
 * tasks finished so far (before any has, a conservative 1 GFLOP/s is assumed). A task running more than
 * {@code factor ×} its estimate and at least {@code minimum} gets a line naming its trials (ids and
 * parameters) and how long it has run, repeated each time that time doubles. A warning only: the task
 * goes on ({@code train.time_limit} is what stops a trial).
 */
public final class StallWatchdog extends SparkListener implements AutoCloseable {
    /** When to warn: past {@code factor ×} the estimate and {@code minimum}; checked every {@code interval}. */
    public record Settings(double factor, Duration minimum, Duration interval) {
        public static final Settings DEFAULT = new Settings(20, Duration.ofMinutes(1), Duration.ofSeconds(5));
    }

    private static final double PRIOR_SECONDS_PER_COST = 1e-9;
    private static final int NAMED = 5;

    private final PrintStream out;
    private final Settings settings;
    private final ScheduledExecutorService ticker;
    private final Set<Integer> stages = new HashSet<>();
    /** Partition index → (launch time ms, next warning at elapsed ms) of the running training tasks. */
    private final Map<Long, long[]> running = new HashMap<>();
    private final Map<Long, Integer> partitionOfTask = new HashMap<>();
    private List<List<TrialSpec>> bins = List.of();
    private String batchLabel = "";
    private double costFinished;
    private double secondsFinished;

    public StallWatchdog(PrintStream out, Settings settings) {
        this.out = out;
        this.settings = settings;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overparam-stall-watchdog");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, settings.interval().toMillis());
        ticker.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Called on the driver before a batch's training job starts. */
    public synchronized void beginBatch(String label, List<List<TrialSpec>> partitions) {
        this.batchLabel = label;
        this.bins = partitions;
        this.stages.clear();
        this.running.clear();
        this.partitionOfTask.clear();
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted event) {
        java.util.Properties props = event.properties();
        if (props != null && props.getProperty(ProgressReporter.BATCH_PROPERTY) != null) {
            stages.add(event.stageInfo().stageId());
        }
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart event) {
        if (!stages.contains(event.stageId())) {
            return;
        }
        int index = event.taskInfo().index();
        if (index >= 0 && index < bins.size()) {
            running.put(event.taskInfo().taskId(), new long[] {event.taskInfo().launchTime(), -1});
            partitionOfTask.put(event.taskInfo().taskId(), index);
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
        long[] task = running.remove(event.taskInfo().taskId());
        Integer index = partitionOfTask.remove(event.taskInfo().taskId());
        if (task == null || index == null || event.reason() != Success$.MODULE$) {
            return;
        }
        costFinished += CostBalancer.cost(bins.get(index));
        secondsFinished += (event.taskInfo().finishTime() - task[0]) / 1000.0;
    }

    /** Seconds the trials of {@code bin} are expected to take. */
    private double estimate(List<TrialSpec> bin) {
        double rate = costFinished > 0 ? secondsFinished / costFinished : PRIOR_SECONDS_PER_COST;
        return CostBalancer.cost(bin) * rate;
    }

    synchronized void check() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, long[]> e : running.entrySet()) {
            long[] task = e.getValue();
            int index = partitionOfTask.get(e.getKey());
            List<TrialSpec> bin = bins.get(index);
            double est = estimate(bin);
            long elapsedMs = now - task[0];
            long threshold = (long) Math.max(settings.minimum().toMillis(), settings.factor() * est * 1000);
            long due = task[1] < 0 ? threshold : task[1];
            if (elapsedMs < due) {
                continue;
            }
            task[1] = Math.max(due, elapsedMs) * 2;
            List<String> named = new ArrayList<>();
            for (TrialSpec t : bin.subList(0, Math.min(NAMED, bin.size()))) {
                named.add(describe(t));
            }
            out.printf(Locale.ROOT, "  warning: %s partition %d/%d has run %s, %.0f× its estimate of %s; still training %s%s%s%n",
                    batchLabel, index + 1, bins.size(), ProgressLine.clock(elapsedMs / 1000.0),
                    est > 0 ? elapsedMs / 1000.0 / est : Double.POSITIVE_INFINITY, ProgressLine.clock(est),
                    bin.size() == 1 ? "trial " : bin.size() + " trials: ", String.join("; ", named),
                    bin.size() > NAMED ? "; and " + (bin.size() - NAMED) + " more" : "");
            out.flush();
        }
    }

    /** A trial as the warning names it: id and parameters. */
    static String describe(TrialSpec t) {
        return t.id() + " (" + t.model().key() + (t.alpha() == null ? "" : " α=" + t.alpha()) + " m=" + t.m() + " n=" + t.n()
                + " d=" + t.d() + " η=" + t.eta() + " seed=" + t.seed() + " steps=" + t.steps()
                + (t.params().equals(org.overparam.trainer.trial.ModelParams.NONE) ? "" : " " + t.params().canonical()) + ")";
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
