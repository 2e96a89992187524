package org.overparam.sweep.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Splits trials into partitions of about equal estimated cost ({@link TrialSpec#estimatedCost()},
 * ∝ n·d·m·steps) by the longest-processing-time rule: the most expensive trial first, each into the
 * currently cheapest partition. Deterministic (ties broken by trial id and partition index); within a
 * partition trials keep the order they were assigned in.
 */
public final class CostBalancer {
    private CostBalancer() {
    }

    /** At most {@code partitions} non-empty partitions holding every trial exactly once. */
    public static List<List<TrialSpec>> balance(List<TrialSpec> trials, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        int bins = Math.min(partitions, trials.size());
        List<TrialSpec> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingDouble(TrialSpec::estimatedCost).reversed().thenComparing(TrialSpec::id));
        List<List<TrialSpec>> out = new ArrayList<>();
        double[] load = new double[bins];
        PriorityQueue<Integer> cheapest = new PriorityQueue<>(
                Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
        for (int i = 0; i < bins; i++) {
            out.add(new ArrayList<>());
            cheapest.add(i);
        }
        for (TrialSpec t : sorted) {
            int bin = cheapest.poll();
            out.get(bin).add(t);
            load[bin] += t.estimatedCost();
            cheapest.add(bin);
        }
        return out;
    }

    /** Total estimated cost of a list of trials. */
    public static double cost(List<TrialSpec> trials) {
        return trials.stream().mapToDouble(TrialSpec::estimatedCost).sum();
    }
}
