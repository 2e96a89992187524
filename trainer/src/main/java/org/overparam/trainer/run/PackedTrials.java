package org.overparam.trainer.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.models.ModelTraining;
import org.overparam.trainer.models.PackableTraining;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.nets.ReluNetPack;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * A CPU task's trials, with those of relu and wn that share a small shape, a loss and a data set trained side by side
 * ({@link TrialRunner#runAll}): each keeps its own gradient descent, stop rule, observers and row — exactly those of
 * {@link TrialRunner#run} — while the forward passes of the trials still running are formed together, one pass over
 * the examples for all of them ({@link ReluNetPack}). At small widths a lone trial's step is mostly the fixed cost of
 * two BLAS calls; packed, the same step costs 0.28–0.97 of it (docs/benchmarks.md). Packed where {@link
 * ReluNetPack#packs} says so, at most {@link #MAX_LANES} trials at a time; every other trial runs alone.
 *
 * <p>A packed trial's clock is its own setup, its share of each lockstep step it takes part in (the step's time over
 * the trials in it) and its own row: its {@code wall_ms}, and the clock its {@code train.time_limit} runs on, so
 * packing neither inflates the one nor brings the other forward. A trial whose training throws fails alone; the
 * others go on.
 */
final class PackedTrials {
    /** Trials per pack: more lanes cost cache and gain little (docs/benchmarks.md). */
    static final int MAX_LANES = 64;
    /**
     * The fewest trials worth packing: with 8 side by side a step costs 0.31–0.97 of a lone one at the shapes packed,
     * with 4 0.5–1.4, with 2 1.0–3.2 (docs/benchmarks.md).
     */
    static final int MIN_LANES = 8;
    /** A pack whose running trials fall below this goes on with each trial's own forward pass (the same bits). */
    static final int MIN_RUNNING = 4;

    private final TrialRunner runner;
    private final java.time.Duration timeLimit;

    PackedTrials(TrialRunner runner, java.time.Duration timeLimit) {
        this.runner = runner;
        this.timeLimit = timeLimit;
    }

    /** What trials of one pack share. */
    record Key(int n, int d, int m, Loss loss, String data) {
    }

    List<TrialResult> run(List<TrialSpec> trials, DataSource source) {
        TrialResult[] out = new TrialResult[trials.size()];
        Map<Key, List<Integer>> groups = new LinkedHashMap<>();
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            TrialSpec spec = trials.get(i);
            Key key = key(spec, runner.blas());
            if (key != null) {
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            } else {
                alone.add(i);
            }
        }
        for (List<Integer> group : groups.values()) {
            if (group.size() < MIN_LANES) {
                alone.addAll(group);
                continue;
            }
            // Packs of at most MAX_LANES, as even as that allows (65 trials: 33 + 32, not 64 + 1).
            int packs = (group.size() + MAX_LANES - 1) / MAX_LANES;
            for (int p = 0, from = 0; p < packs; p++) {
                int to = from + (group.size() - from) / (packs - p);
                List<Integer> pack = group.subList(from, to);
                from = to;
                List<TrialSpec> specs = new ArrayList<>();
                for (int i : pack) {
                    specs.add(trials.get(i));
                }
                List<TrialResult> rows = pack(specs, source);
                for (int j = 0; j < pack.size(); j++) {
                    out[pack.get(j)] = rows.get(j);
                }
            }
        }
        alone.sort(null);
        for (int i : alone) {
            out[i] = runner.run(trials.get(i), source);
        }
        return List.of(out);
    }

    /** The pack {@code spec} joins, or null where it runs alone: relu and wn at a shape {@link ReluNetPack#packs}. */
    static Key key(TrialSpec spec, org.overparam.trainer.linalg.RowMajorBlas blas) {
        boolean packable = (spec.model() == ModelKind.RELU || spec.model() == ModelKind.WN)
                && ReluNetPack.packs(blas, spec.n(), spec.m(), spec.d());
        return packable ? new Key(spec.n(), spec.d(), spec.m(), spec.loss(), spec.data()) : null;
    }

    /** One trial of a pack: its training, its run in progress, its row once done. */
    private static final class Lane {
        final TrialSpec spec;
        PackableTraining training;
        GradientDescent.Steps steps;
        Deadline deadline;
        TrialResult row;
        boolean packed;
        /** This trial's own time so far: its setup, and its share of each lockstep step it took part in. */
        long nanos;

        Lane(TrialSpec spec) {
            this.spec = spec;
        }
    }

    private List<TrialResult> pack(List<TrialSpec> specs, DataSource source) {
        List<Lane> lanes = new ArrayList<>();
        for (TrialSpec spec : specs) {
            Lane lane = new Lane(spec);
            lanes.add(lane);
            long start = System.nanoTime();
            try {
                // train.time_limit on the trial's own clock: its share of the pack's time, not the pack's.
                lane.deadline = Deadline.after(timeLimit, () -> lane.nanos);
                ModelTraining training = runner.start(spec, source);
                lane.training = (PackableTraining) training;
                lane.steps = lane.training.start(lane.deadline);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                lane.row = runner.failed(spec, e, TrialRunner.elapsedMs(start));
            }
            lane.nanos += System.nanoTime() - start;
        }
        ReluNetPack pack = null;
        int packedCount = 0;
        for (Lane lane : lanes) {
            if (lane.row != null) {
                continue;
            }
            TwoLayerReluNet net = lane.training.net();
            if (pack == null) {
                pack = new ReluNetPack(net.data(), lane.spec.m(), net.loss() == Loss.SQUARED_HINGE,
                        specs.size());
            }
            lane.packed = pack.accepts(net);
            packedCount += lane.packed ? 1 : 0;
        }
        runner.countPacked(packedCount);
        train(lanes, pack);
        List<TrialResult> rows = new ArrayList<>();
        for (Lane lane : lanes) {
            if (lane.row == null) {
                long rowStart = System.nanoTime();
                try {
                    lane.row = runner.result(lane.spec, lane.training, lane.steps.result(), lane.deadline,
                            () -> (lane.nanos + System.nanoTime() - rowStart) / 1_000_000L);
                } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                    lane.row = runner.failed(lane.spec, e, (lane.nanos + System.nanoTime() - rowStart) / 1_000_000L);
                }
            }
            rows.add(lane.row);
        }
        return rows;
    }

    /**
     * Gradient descent of every lane in lockstep: each running lane's stop rule and step, then the forward passes of
     * those that stepped — together for the packed lanes while at least {@link #MIN_RUNNING} stepped, else (and for a
     * lane the pack did not accept) each by its own net.
     */
    private void train(List<Lane> lanes, ReluNetPack pack) {
        List<Lane> running = new ArrayList<>();
        for (Lane lane : lanes) {
            if (lane.row == null && !lane.steps.done()) {
                running.add(lane);
            }
        }
        double[] losses = new double[lanes.size()];
        while (!running.isEmpty()) {
            long start = System.nanoTime();
            List<Lane> stepped = new ArrayList<>();
            for (Lane lane : running) {
                try {
                    if (lane.steps.advance()) {
                        stepped.add(lane);
                    }
                } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                    fail(lane, e);
                }
            }
            List<Lane> together = new ArrayList<>();
            List<TwoLayerReluNet> nets = new ArrayList<>();
            for (Lane lane : stepped) {
                if (lane.packed) {
                    together.add(lane);
                    nets.add(lane.training.net());
                }
            }
            if (together.size() >= MIN_RUNNING) {
                try {
                    pack.forward(nets, losses);
                    for (int t = 0; t < together.size(); t++) {
                        double loss = losses[t];
                        record(together.get(t), () -> loss);
                    }
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                    together.forEach(lane -> fail(lane, e));
                }
            } else {
                together.clear();
            }
            for (Lane lane : stepped) {
                if (!together.contains(lane)) {
                    record(lane, () -> lane.training.net().forward());
                }
            }
            long share = (System.nanoTime() - start) / running.size();
            for (Lane lane : running) {
                lane.nanos += share;
            }
            List<Lane> next = new ArrayList<>();
            for (Lane lane : stepped) {
                if (lane.row == null) {
                    next.add(lane);
                }
            }
            running = next;
        }
    }

    /** The loss after {@code lane}'s step, formed by {@code loss}, into its run; a throw fails the lane alone. */
    private void record(Lane lane, java.util.function.DoubleSupplier loss) {
        try {
            lane.steps.record(loss.getAsDouble());
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            fail(lane, e);
        }
    }

    private void fail(Lane lane, Throwable e) {
        lane.row = runner.failed(lane.spec, e, lane.nanos / 1_000_000L);
    }
}
