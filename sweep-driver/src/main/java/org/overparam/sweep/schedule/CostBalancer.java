package org.overparam.sweep.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import org.overparam.trainer.backend.TrialPacks;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Splits trials into partitions of about equal estimated cost ({@link TrialModels#estimatedCost},
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
        List<TrialSpec> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingDouble(TrialModels::estimatedCost).reversed().thenComparing(TrialSpec::id));
        return deal(sorted.stream().map(List::of).toList(), partitions);
    }

    /**
     * The longest-processing-time rule's dealing: {@code units}, already in their order, each whole into the currently
     * least loaded (by {@link #cost}) of at most {@code partitions} partitions, ties to the lowest index.
     */
    private static List<List<TrialSpec>> deal(List<List<TrialSpec>> units, int partitions) {
        int bins = Math.min(partitions, units.size());
        List<List<TrialSpec>> out = new ArrayList<>();
        double[] load = new double[bins];
        PriorityQueue<Integer> cheapest = new PriorityQueue<>(
                Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
        for (int i = 0; i < bins; i++) {
            out.add(new ArrayList<>());
            cheapest.add(i);
        }
        for (List<TrialSpec> unit : units) {
            int bin = cheapest.poll();
            out.get(bin).addAll(unit);
            load[bin] += cost(unit);
            cheapest.add(bin);
        }
        return out;
    }

    /**
     * Partitions for the CPU backend, which trains small relu and wn trials of one shape side by side when at least
     * {@link TrialRunner#MIN_PACK} share a task ({@link TrialRunner#packKey}): such groups are kept together in units of
     * at most {@link TrialRunner#MAX_PACK} trials and at most a partition's fair share of the cost, and the units are
     * dealt like single trials in {@link #balance}. Without such groups the partitions are {@link #balance}'s.
     */
    public static List<List<TrialSpec>> balanceCpu(List<TrialSpec> trials, int partitions) {
        Map<Object, Integer> sizes = new HashMap<>();
        List<Object> keys = new ArrayList<>(trials.size());
        for (TrialSpec t : trials) {
            Object k = TrialRunner.packKey(t);
            keys.add(k);
            if (k != null) {
                sizes.merge(k, 1, Integer::sum);
            }
        }
        // Groups too small to pack stay single trials: then the partitions are balance()'s.
        Map<String, Object> byId = new HashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            Object k = keys.get(i);
            if (k != null && sizes.get(k) >= TrialRunner.MIN_PACK) {
                byId.put(trials.get(i).id(), k);
            }
        }
        return balanceGrouped(trials, partitions, TrialRunner.MAX_PACK, t -> byId.get(t.id()));
    }

    /**
     * {@link #balance} over units instead of trials: the trials with one non-null {@code key} form units in their
     * order, each of at most {@code maxGroup} trials and at most the total cost over {@code partitions} (one trial at
     * least); a trial whose key is null is a unit alone. Units go most expensive first (ties: their first trial's id)
     * into the currently cheapest partition. Deterministic.
     */
    public static List<List<TrialSpec>> balanceGrouped(List<TrialSpec> trials, int partitions, int maxGroup,
                                                       Function<TrialSpec, Object> key) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        int bins = Math.min(partitions, trials.size());
        double cap = cost(trials) / Math.max(1, bins);
        Map<Object, List<TrialSpec>> open = new HashMap<>();
        List<List<TrialSpec>> units = new ArrayList<>();
        for (TrialSpec t : trials) {
            Object k = key.apply(t);
            if (k == null) {
                units.add(List.of(t));
                continue;
            }
            List<TrialSpec> unit = open.get(k);
            if (unit == null || unit.size() >= maxGroup || cost(unit) + TrialModels.estimatedCost(t) > cap) {
                unit = new ArrayList<>();
                units.add(unit);
                open.put(k, unit);
            }
            unit.add(t);
        }
        List<List<TrialSpec>> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.<List<TrialSpec>>comparingDouble(CostBalancer::cost).reversed()
                .thenComparing(u -> u.get(0).id()));
        return deal(sorted, partitions);
    }

    /** Total estimated cost of a list of trials. */
    public static double cost(List<TrialSpec> trials) {
        return trials.stream().mapToDouble(TrialModels::estimatedCost).sum();
    }

    /**
     * Partitions for a device backend whose kernels train only some trials ({@code onDevice}): those
     * trials in packed partitions ({@link #balancePacks}, at most {@code deviceSlots}), the others in
     * cost-balanced partitions of their own ({@link #balance}, at most {@code cpuSlots}), so CPU-only work
     * neither waits for a GPU nor shares a GPU task. The packed partitions come first.
     */
    public static List<List<TrialSpec>> balanceForDevice(List<TrialSpec> trials, int deviceSlots, int cpuSlots, int maxPack,
                                                         Predicate<TrialSpec> onDevice) {
        List<TrialSpec> device = new ArrayList<>();
        List<TrialSpec> cpu = new ArrayList<>();
        for (TrialSpec t : trials) {
            (onDevice.test(t) ? device : cpu).add(t);
        }
        List<List<TrialSpec>> out = new ArrayList<>();
        if (!device.isEmpty()) {
            out.addAll(balancePacks(device, deviceSlots, maxPack));
        }
        if (!cpu.isEmpty()) {
            out.addAll(balance(cpu, cpuSlots));
        }
        return out;
    }

    /**
     * Partitions for a device backend: trials grouped into packs of one shape ({@link TrialPacks}, at
     * most {@code maxPack} each), packs split in halves (largest first) while there are fewer packs than
     * {@code partitions}, then whole packs dealt to at most {@code partitions} partitions by the same
     * longest-first rule. A partition's trials keep their packs together, so each task trains few,
     * large packs. Deterministic.
     */
    public static List<List<TrialSpec>> balancePacks(List<TrialSpec> trials, int partitions, int maxPack) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        List<List<TrialSpec>> packs = new ArrayList<>(TrialPacks.group(trials, maxPack));
        while (packs.size() < partitions) {
            int largest = 0;
            for (int i = 1; i < packs.size(); i++) {
                if (packs.get(i).size() > packs.get(largest).size()) {
                    largest = i;
                }
            }
            List<TrialSpec> pack = packs.get(largest);
            if (pack.size() < 2) {
                break;
            }
            int half = (pack.size() + 1) / 2;
            packs.set(largest, pack.subList(0, half));
            packs.add(largest + 1, pack.subList(half, pack.size()));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < packs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> cost(packs.get(i))).reversed().thenComparingInt(i -> i));
        return deal(order.stream().map(packs::get).toList(), partitions);
    }
}
