package org.overparam.trainer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.ReluNetPack;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * Times one {@code relu} and one {@code wn} GD step (forward, backward, update; float64, MSE) per trial at the
 * atlas's small shapes, with the atlas's data (unit sphere, random ±1 labels) and step sizes ({@code 32/n},
 * {@code 64/n}), and the single-thread float64 product rate of the same BLAS (a {@code 1500²} product) — the
 * ceiling a one-trial-per-core sweep could reach. Run by {@code scripts/bench-cpu.sh} ({@code BENCH_ONLY=small}) with
 * {@code OPENBLAS_NUM_THREADS=1}, beside {@code scripts/bench/torch_small_step.py}, which checks the same math on
 * the numbers exported here and times PyTorch on one trial and on 64 batched.
 * With 64 trials of a shape stepped together ({@link ReluNetPack}, as the CPU trainer packs a task's small trials), per
 * trial-step, where the trainer packs the shape. Options: {@code --shapes NxDxM,…} ({@code none}), {@code --export
 * DIR}, {@code --peak N} (0 skips), {@code --map NS:MS:D:LANES} (lone against packed over a grid of shapes).
 */
public final class SmallStepBenchmark {
    static final List<String> MODELS = List.of("relu", "wn");
    private static final int CHECK_STEPS = 5;
    /** Trials per pack in the packed timing (a partition's trials of one shape, as the CPU backend packs them). */
    private static final int PACK = 64;

    private SmallStepBenchmark() {
    }

    public static void main(String[] args) {
        List<WnStepBenchmark.Shape> shapes = new ArrayList<>();
        for (String s : "64x4x16,256x16x64,1024x8x256".split(",")) {
            shapes.add(WnStepBenchmark.Shape.parse(s));
        }
        Path export = null;
        int peak = 1500;
        String map = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--shapes" -> {
                    shapes.clear();
                    if (!"none".equals(v)) {
                        for (String s : v.split(",")) {
                            shapes.add(WnStepBenchmark.Shape.parse(s));
                        }
                    }
                }
                case "--export" -> export = Path.of(v);
                case "--peak" -> peak = Integer.parseInt(v);
                case "--map" -> map = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        RowMajorBlas blas = RowMajorBlas.best();
        if (peak > 0) {
            RepeatTimer.Timing t = WnStepBenchmark.squareProduct(blas, peak);
            System.out.printf(Locale.ROOT, "small java peak size=%d threads=%s best_gflops=%.2f%n", peak,
                    System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "?"), 2.0 * peak * peak * (double) peak / (t.minMs() * 1e6));
        }
        if (map != null) {
            map(map, blas);
        }
        for (WnStepBenchmark.Shape shape : shapes) {
            Dataset data = new SphereData(SphereTarget.RANDOM, 0).load(shape.n(), shape.d());
            InitialDraws init = InitialDraws.draw(1, shape.m(), shape.d());
            for (String model : MODELS) {
                double eta = eta(model, shape.n());
                if (export != null) {
                    export(export.resolve(model + "_n" + shape.n() + "_d" + shape.d() + "_m" + shape.m()), model, shape, data, init, blas);
                }
                TwoLayerReluNet net = net(model, data, init, blas);
                // Several steps per timed run, so that a run lasts ≥ ~0.1 ms whatever the shape.
                int inner = (int) Math.max(1, Math.ceil(4e5 / shape.flops()));
                RepeatTimer.Timing t = new RepeatTimer(20, 1.0, 5).measure(() -> {
                    for (int s = 0; s < inner; s++) {
                        net.forward();
                        net.step(eta);
                    }
                });
                double us = t.medianMs() * 1e3 / inner;
                System.out.printf(Locale.ROOT, "small java model=%s %s us_per_step=%.3f gflops=%.2f steps_per_run=%d runs=%d%n",
                        model, shape.label(), us, shape.flops() / (us * 1e3), inner, t.repeats());
                packed(model, shape, data, blas, eta, PACK);
            }
        }
    }

    /**
     * {@code lanes} nets of this model and shape (seeds {@code 0…lanes−1}) stepped together ({@link ReluNetPack}: one
     * packed forward, then each net's own update), per trial-step — what the CPU backend does with a partition's
     * trials of one small shape; {@code packed=no} where the shape is not packed (the probe found other bits).
     */
    private static void packed(String model, WnStepBenchmark.Shape shape, Dataset data, RowMajorBlas blas, double eta, int lanes) {
        if (!ReluNetPack.packs(blas, shape.n(), shape.m(), shape.d())) {
            System.out.printf(Locale.ROOT, "small java packed model=%s %s packed=no%n", model, shape.label());
            return;
        }
        List<TwoLayerReluNet> nets = new ArrayList<>();
        for (int t = 0; t < lanes; t++) {
            nets.add(net(model, data, InitialDraws.draw(t, shape.m(), shape.d()), blas));
        }
        ReluNetPack pack = new ReluNetPack(data, shape.m(), false, lanes);
        double[] losses = new double[lanes];
        int inner = (int) Math.max(1, Math.ceil(4e5 / (shape.flops() * lanes)));
        RepeatTimer.Timing t = new RepeatTimer(20, 1.0, 5).measure(() -> {
            for (int s = 0; s < inner; s++) {
                pack.forward(nets, losses);
                for (TwoLayerReluNet net : nets) {
                    net.step(eta);
                }
            }
        });
        double us = t.medianMs() * 1e3 / inner / lanes;
        System.out.printf(Locale.ROOT, "small java packed model=%s %s lanes=%d us_per_trial_step=%.3f gflops=%.2f steps_per_run=%d runs=%d%n",
                model, shape.label(), lanes, us, shape.flops() / (us * 1e3), inner, t.repeats());
    }

    /**
     * {@code --map NS:MS:D:LANES} (e.g. {@code 16,32,64,128:2,4,8,16,32:8:8,64}): for each shape, a lone relu step
     * against packs of each lane count, per trial-step, both the best of runs of about 0.1 ms over at least 0.3 s after {@link RepeatTimer}'s warm-up — where
     * {@link ReluNetPack#packs} draws its line ({@code m·d ≤ 128}) and how many trials a pack needs. The shapes are
     * timed whether or not the trainer packs them ({@code packed_by_trainer} says), so the line can be seen.
     */
    private static void map(String spec, RowMajorBlas blas) {
        String[] parts = spec.split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("--map is NS:MS:D:LANES, got " + spec);
        }
        int d = Integer.parseInt(parts[2]);
        for (String ns : parts[0].split(",")) {
            int n = Integer.parseInt(ns);
            Dataset data = new SphereData(SphereTarget.RANDOM, 0).load(n, d);
            double eta = eta("relu", n);
            for (String ms : parts[1].split(",")) {
                int m = Integer.parseInt(ms);
                TwoLayerReluNet one = net("relu", data, InitialDraws.draw(1, m, d), blas);
                double lone = best(() -> {
                    one.forward();
                    one.step(eta);
                }, 4.0 * n * d * m);
                for (String ls : parts[3].split(",")) {
                    int lanes = Integer.parseInt(ls);
                    List<TwoLayerReluNet> nets = new ArrayList<>();
                    for (int t = 0; t < lanes; t++) {
                        nets.add(net("relu", data, InitialDraws.draw(t, m, d), blas));
                    }
                    ReluNetPack pack = new ReluNetPack(data, m, false, lanes);
                    double[] losses = new double[lanes];
                    double packed = best(() -> {
                        pack.forward(nets, losses);
                        for (TwoLayerReluNet net : nets) {
                            net.step(eta);
                        }
                    }, 4.0 * n * d * m * lanes) / lanes;
                    System.out.printf(Locale.ROOT, "small java map model=relu n=%d d=%d m=%d lanes=%d lone_us=%.3f packed_us=%.3f "
                            + "packed_over_lone=%.3f packed_by_trainer=%s%n", n, d, m, lanes, lone, packed, packed / lone,
                            ReluNetPack.packs(blas, n, m, d) && lanes >= org.overparam.trainer.run.TrialRunner.MIN_PACK);
                }
            }
        }
    }

    /** The best time of {@code step} in µs ({@link RepeatTimer}: warmed up, runs of about 0.1 ms for at least 0.3 s). */
    private static double best(Runnable step, double flops) {
        int inner = (int) Math.max(1, Math.ceil(4e5 / flops));
        RepeatTimer.Timing t = new RepeatTimer(5, 0.3, 2.0).measure(() -> {
            for (int i = 0; i < inner; i++) {
                step.run();
            }
        });
        return t.minMs() * 1e3 / inner;
    }

    static double eta(String model, int n) {
        return ("relu".equals(model) ? 32.0 : 64.0) / n;
    }

    static TwoLayerReluNet net(String model, Dataset data, InitialDraws init, RowMajorBlas blas) {
        return "relu".equals(model) ? new ReluNet(data, init, blas) : new WeightNormNet(data, init, 1.0, blas);
    }

    /** {@code X, y, W (or V and g), c} as raw little-endian float64, and {@code meta.txt} with the first losses. */
    private static void export(Path dir, String model, WnStepBenchmark.Shape shape, Dataset data, InitialDraws init, RowMajorBlas blas) {
        try {
            Files.createDirectories(dir);
            TwoLayerReluNet net = net(model, data, init, blas);
            double[] theta = net.parameters();
            int md = shape.m() * shape.d();
            WnStepBenchmark.writeDoubles(dir.resolve("X.f64"), data.x(), 0, data.x().length);
            WnStepBenchmark.writeDoubles(dir.resolve("y.f64"), data.y(), 0, shape.n());
            WnStepBenchmark.writeDoubles(dir.resolve("V.f64"), theta, 0, md);
            if ("wn".equals(model)) {
                WnStepBenchmark.writeDoubles(dir.resolve("g.f64"), theta, md, shape.m());
            }
            WnStepBenchmark.writeDoubles(dir.resolve("c.f64"), init.c(), 0, shape.m());
            StringBuilder losses = new StringBuilder();
            double eta = eta(model, shape.n());
            for (int s = 0; s <= CHECK_STEPS; s++) {
                if (s > 0) {
                    net.step(eta);
                    losses.append(',');
                }
                losses.append(String.format(Locale.ROOT, "%.17g", net.forward()));
            }
            Files.writeString(dir.resolve("meta.txt"), String.format(Locale.ROOT,
                    "model=%s%nn=%d%nd=%d%nm=%d%neta=%.17g%nlosses=%s%n", model, shape.n(), shape.d(), shape.m(), eta, losses),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + dir, e);
        }
    }
}
