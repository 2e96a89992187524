package org.overparam.sweep.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** The LPT partitioning of trials by estimated cost 4·n·d·m·steps. */
class CostBalancerTest {

    /** A relu trial of cost 4·1·1·m·1 = 4m; the seed keeps equal-width trials distinct. */
    private static TrialSpec width(int m, long seed) {
        return new TrialSpec(ModelKind.RELU, null, m, 1, 1, 0.5, seed, "test", 1, 1e-6);
    }

    private static List<TrialSpec> widths(int... ms) {
        List<TrialSpec> out = new ArrayList<>();
        for (int i = 0; i < ms.length; i++) {
            out.add(width(ms[i], i));
        }
        return out;
    }

    private static List<Integer> ms(List<TrialSpec> bin) {
        return bin.stream().map(TrialSpec::m).toList();
    }

    private static double maxLoad(List<List<TrialSpec>> bins) {
        return bins.stream().mapToDouble(CostBalancer::cost).max().orElse(0);
    }

    /** A mixed bag of trials with costs spanning three orders of magnitude. */
    private static List<TrialSpec> randomTrials(long seed, int count) {
        Random r = new Random(seed);
        List<TrialSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int m = 1 << r.nextInt(8);
            int n = 10 + r.nextInt(30);
            int d = 1 + r.nextInt(20);
            out.add(new TrialSpec(ModelKind.WN, 1.0, m, n, d, 0.5, i, "test", 100 + r.nextInt(900), 1e-8));
        }
        return out;
    }

    @Test
    void estimatedCostAndTotal() {
        TrialSpec t = new TrialSpec(ModelKind.WN, 2.0, 5, 2, 3, 0.1, 0, "test", 10, 1e-8);
        assertEquals(4.0 * 2 * 3 * 5 * 10, org.overparam.trainer.models.TrialModels.estimatedCost(t)); // 1200
        assertEquals(4.0 * (3 + 5 + 9), CostBalancer.cost(widths(3, 5, 9)));
        assertEquals(0.0, CostBalancer.cost(List.of()));
    }

    @Test
    void knownSmallInstanceFollowsTheLptRule() {
        // Costs ∝ 8,7,6,5,4 on two bins: 8->A, 7->B, 6->B(13), 5->A(13), 4->A (tie at 13, lower index): A=17, B=13.
        List<List<TrialSpec>> bins = CostBalancer.balance(widths(4, 7, 5, 8, 6), 2);
        assertEquals(List.of(List.of(8, 5, 4), List.of(7, 6)), bins.stream().map(CostBalancerTest::ms).toList());
    }

    @Test
    void classicWorstCaseStaysWithinFourThirdsOfOptimal() {
        // Jobs 5,5,4,4,3,3,3 on 3 bins: OPT = 9 ({5,4},{5,4},{3,3,3}); LPT gives {5,3,3},{5,3},{4,4} -> 11.
        List<List<TrialSpec>> bins = CostBalancer.balance(widths(3, 4, 5, 3, 4, 5, 3), 3);
        assertEquals(List.of(List.of(5, 3, 3), List.of(5, 3), List.of(4, 4)),
                bins.stream().map(CostBalancerTest::ms).toList());
        double opt = 4.0 * 9;
        assertEquals(4.0 * 11, maxLoad(bins));
        assertTrue(maxLoad(bins) <= (4.0 / 3.0) * opt);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 64, 300, 1000})
    void everyTrialOnceInMinOfPartitionsAndTrialsBins(int partitions) {
        List<TrialSpec> trials = randomTrials(42, 300);
        List<TrialSpec> copy = List.copyOf(trials);
        List<List<TrialSpec>> bins = CostBalancer.balance(trials, partitions);

        assertEquals(copy, trials, "input list must not be modified");
        assertEquals(Math.min(partitions, trials.size()), bins.size());
        assertTrue(bins.stream().noneMatch(List::isEmpty), "no empty partition");
        List<String> in = new ArrayList<>(trials.stream().map(TrialSpec::id).toList());
        List<String> out = new ArrayList<>(bins.stream().flatMap(List::stream).map(TrialSpec::id).toList());
        Collections.sort(in);
        Collections.sort(out);
        assertEquals(in, out, "every trial exactly once");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8, 13})
    void maxLoadWithinGreedyBound(int partitions) {
        for (long seed = 1; seed <= 5; seed++) {
            List<TrialSpec> trials = randomTrials(seed, 120);
            List<List<TrialSpec>> bins = CostBalancer.balance(trials, partitions);
            double total = CostBalancer.cost(trials);
            double largest = trials.stream().mapToDouble(TrialModels::estimatedCost).max().orElseThrow();
            double bound = total / partitions + largest;
            assertTrue(maxLoad(bins) <= bound * (1 + 1e-12),
                    "max load " + maxLoad(bins) + " > average + largest = " + bound);
            // Nothing lost: the bins' costs add up to the total.
            assertEquals(total, bins.stream().mapToDouble(CostBalancer::cost).sum(), total * 1e-12);
        }
    }

    @Test
    void fewerTrialsThanPartitionsGivesOneTrialPerBin() {
        List<List<TrialSpec>> bins = CostBalancer.balance(widths(1, 2, 3), 10);
        assertEquals(3, bins.size());
        // Most expensive first, each into an empty bin in index order.
        assertEquals(List.of(List.of(3), List.of(2), List.of(1)), bins.stream().map(CostBalancerTest::ms).toList());
    }

    @Test
    void deterministicAndIndependentOfInputOrder() {
        List<TrialSpec> trials = randomTrials(7, 200);
        // Many equal costs, so the tie-break by id is exercised too.
        trials.addAll(IntStream.range(0, 40).mapToObj(i -> width(16, 1000 + i)).toList());
        List<List<TrialSpec>> first = CostBalancer.balance(trials, 6);
        assertEquals(first, CostBalancer.balance(trials, 6));
        List<TrialSpec> shuffled = new ArrayList<>(trials);
        Collections.shuffle(shuffled, new Random(3));
        assertFalse(shuffled.equals(trials));
        assertEquals(first, CostBalancer.balance(shuffled, 6));
    }

    @Test
    void equalCostsSpreadEvenly() {
        List<TrialSpec> trials = IntStream.range(0, 10).mapToObj(i -> width(8, i)).toList();
        List<List<TrialSpec>> bins = CostBalancer.balance(trials, 4);
        // 10 equal jobs on 4 bins: sizes 3,3,2,2 (the lower-index bins take the extra ones).
        assertEquals(List.of(3, 3, 2, 2), bins.stream().map(List::size).toList());
    }

    @Test
    void emptyInputGivesNoPartitions() {
        assertTrue(CostBalancer.balance(List.of(), 4).isEmpty());
        assertTrue(CostBalancer.balance(List.of(), 1).isEmpty());
    }

    @Test
    void fewerThanOnePartitionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CostBalancer.balance(widths(1, 2), 0));
        assertThrows(IllegalArgumentException.class, () -> CostBalancer.balance(widths(1, 2), -3));
        assertThrows(IllegalArgumentException.class, () -> CostBalancer.balance(List.of(), 0));
    }

    /** Small relu trials of one shape (n = 32, d = 8, m = 4), which the CPU trainer packs ({@code TrialRunner.packKey}). */
    private static List<TrialSpec> packable(int count, long seed0) {
        List<TrialSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new TrialSpec(ModelKind.RELU, null, 4, 32, 8, 1.0, seed0 + i, "test", 1000, 1e-6));
        }
        return out;
    }

    @Test
    void cpuPartitionsAreBalancesWhenNoGroupIsLargeEnoughToPack() {
        List<TrialSpec> trials = new ArrayList<>(randomTrials(7, 60));
        trials.addAll(packable(org.overparam.trainer.run.TrialRunner.MIN_PACK - 1, 1000));
        Collections.shuffle(trials, new Random(3));
        assertEquals(CostBalancer.balance(trials, 6), CostBalancer.balanceCpu(trials, 6));
    }

    @Test
    void cpuPartitionsKeepAPackableGroupTogetherWithinAFairShare() {
        List<TrialSpec> group = packable(40, 1000);
        List<TrialSpec> trials = new ArrayList<>(randomTrials(11, 50));
        trials.addAll(group);
        Collections.shuffle(trials, new Random(5));
        int partitions = 4;
        List<List<TrialSpec>> bins = CostBalancer.balanceCpu(trials, partitions);
        assertEquals(trials.size(), bins.stream().mapToInt(List::size).sum());
        assertEquals(new java.util.HashSet<>(trials), bins.stream().flatMap(List::stream).collect(java.util.stream.Collectors.toSet()));
        double fair = CostBalancer.cost(trials) / partitions;
        int largest = 0;
        for (List<TrialSpec> bin : bins) {
            largest = Math.max(largest, (int) bin.stream().filter(group::contains).count());
        }
        assertTrue(largest >= org.overparam.trainer.run.TrialRunner.MIN_PACK, "a task gets enough of the group to pack: " + largest);
        // Units no larger than a fair share: the LPT bound still holds (a unit added to the least loaded bin).
        assertTrue(maxLoad(bins) <= 2 * fair, "max load " + maxLoad(bins) + " against a fair share " + fair);
    }

    @Test
    void groupedUnitsAreCappedAtAFairShareAndAtTheirMaximum() {
        List<TrialSpec> same = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            same.add(width(4, i));
        }
        List<List<TrialSpec>> bins = CostBalancer.balanceGrouped(same, 4, 64, t -> "one");
        assertEquals(List.of(25, 25, 25, 25), bins.stream().map(List::size).toList(), "units of a fair share, 25 trials");
        // Units of at most 10 trials (below the fair share of 25): ten units dealt over four partitions.
        List<List<TrialSpec>> capped = CostBalancer.balanceGrouped(same, 4, 10, t -> "one");
        assertEquals(List.of(20, 20, 30, 30), capped.stream().map(List::size).sorted().toList());
        assertThrows(IllegalArgumentException.class, () -> CostBalancer.balanceGrouped(same, 0, 8, t -> null));
    }
}
