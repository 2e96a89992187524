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
import org.overparam.trainer.linalg.BundledOpenBlas;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.nets.LinearizedSmoothNet;
import org.overparam.trainer.nets.SmoothNet;

/**
 * Times one GD step of the {@code smooth} model as a trial takes it (theory.md §5, float64): the gelu net
 * {@code V gelu(W X)} and its linearization at init, each a forward ({@code h = ‖F − Y‖²}) and a step of both
 * layers, with {@link RepeatTimer}. The shape and init are the atlas's at its widest smooth trials (unit-sphere
 * inputs in {@code d = 16} with ±1 targets, He's init {@code ω1 = √(2/d)}, {@code ω2 = √(2/m)}, {@code η = 0.5/n}).
 * Optionally exports the data, the initial parameters and the losses of the first steps of both, so that
 * {@code scripts/bench/torch_smooth_step.py} runs the same math from the same numbers and checks it.
 *
 * <p>Run by {@code scripts/bench-cpu.sh} twice per round and thread count ({@code OPENBLAS_NUM_THREADS}): on this
 * build, and with the classes of the smooth nets as they were before the fast gelu compiled from git in front of
 * the classpath ({@code --label today}); it uses only what both have. Prints {@code key=value} lines prefixed {@code java}. Options: {@code --shapes NxDxM,…},
 * {@code --label L}, {@code --export DIR}, {@code --check-steps K}, {@code --min-repeats R}, {@code --min-seconds S},
 * {@code --max-warmup S}.
 */
public final class SmoothStepBenchmark {
    static final long DATA_SEED = 1;
    static final long INIT_SEED = 1;

    private SmoothStepBenchmark() {
    }

    /** The initial net of a shape: the atlas's data and He's init. */
    static SmoothNet net(WnStepBenchmark.Shape shape, RowMajorBlas blas) {
        Dataset data = new SphereData(SphereTarget.SIGN, DATA_SEED).load(shape.n(), shape.d());
        return new SmoothNet(data, INIT_SEED, shape.m(), Activation.GELU, Math.sqrt(2.0 / shape.d()), Math.sqrt(2.0 / shape.m()),
                blas);
    }

    /** The atlas's smooth step size, {@code η = 0.5/n}. */
    static double eta(WnStepBenchmark.Shape shape) {
        return 0.5 / shape.n();
    }

    public static void main(String[] args) {
        List<WnStepBenchmark.Shape> shapes = new ArrayList<>(List.of(WnStepBenchmark.Shape.parse("256x16x512")));
        String label = "ours";
        Path export = null;
        int checkSteps = 5;
        int minRepeats = 10;
        double minSeconds = 1.0;
        double maxWarmup = 5.0;
        for (int a = 0; a < args.length; a++) {
            String v = a + 1 < args.length ? args[a + 1] : null;
            switch (args[a]) {
                case "--shapes" -> {
                    shapes.clear();
                    for (String s : v.split(",")) {
                        shapes.add(WnStepBenchmark.Shape.parse(s));
                    }
                }
                case "--label" -> label = v;
                case "--export" -> export = Path.of(v);
                case "--check-steps" -> checkSteps = Integer.parseInt(v);
                case "--min-repeats" -> minRepeats = Integer.parseInt(v);
                case "--min-seconds" -> minSeconds = Double.parseDouble(v);
                case "--max-warmup" -> maxWarmup = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
            a++;
        }
        RowMajorBlas blas = RowMajorBlas.best();
        int threads = Integer.parseInt(System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "1"));
        BundledOpenBlas.get().ifPresent(b -> b.useThreads(threads));
        RepeatTimer timer = new RepeatTimer(minRepeats, minSeconds, maxWarmup);
        for (WnStepBenchmark.Shape shape : shapes) {
            String tag = "label=" + label + " threads=" + threads + " " + shape.label();
            // The losses of the first steps, from a fresh net: 'today' and 'ours' print them, the summary compares.
            List<double[]> losses = firstLosses(shape, blas, checkSteps);
            System.out.printf(Locale.ROOT, "java smooth_losses %s net=%s lin=%s%n", tag, join(losses.get(0)), join(losses.get(1)));
            if (export != null) {
                export(export.resolve("smooth_n" + shape.n() + "_d" + shape.d() + "_m" + shape.m()), shape, blas, losses);
            }
            SmoothNet net = net(shape, blas);
            LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
            double eta = eta(shape);
            // One GD step of SmoothModel's side-by-side pair: both forwards, then both steps.
            RepeatTimer.Timing t = timer.measure(() -> {
                lin.forward();
                net.forward();
                net.step(eta);
                lin.step(eta);
            });
            System.out.printf(Locale.ROOT, "java smooth_step %s %s blas=%s simd_bits=%d%n", tag, t.describe(),
                    blas.implementation().replace(' ', '_'), simdBits());
        }
    }

    /** The losses {@code h} of the net and of its linearization before each of their first {@code steps} GD steps, and after. */
    private static List<double[]> firstLosses(WnStepBenchmark.Shape shape, RowMajorBlas blas, int steps) {
        SmoothNet net = net(shape, blas);
        LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
        double[] netLosses = new double[steps + 1];
        double[] linLosses = new double[steps + 1];
        for (int s = 0; s <= steps; s++) {
            linLosses[s] = lin.forward();
            netLosses[s] = net.forward();
            if (s < steps) {
                net.step(eta(shape));
                lin.step(eta(shape));
            }
        }
        return List.of(netLosses, linLosses);
    }

    /** Writes {@code X, Y, W0, V0} as raw little-endian float64 and {@code meta.txt} (shape, η, the losses of both). */
    private static void export(Path dir, WnStepBenchmark.Shape shape, RowMajorBlas blas, List<double[]> losses) {
        try {
            Files.createDirectories(dir);
            SmoothNet net = net(shape, blas);
            Dataset data = new SphereData(SphereTarget.SIGN, DATA_SEED).load(shape.n(), shape.d());
            double[] theta = net.parameters();
            int md = shape.m() * shape.d();
            WnStepBenchmark.writeDoubles(dir.resolve("X.f64"), data.x(), 0, data.x().length);
            WnStepBenchmark.writeDoubles(dir.resolve("Y.f64"), data.y(), 0, data.y().length);
            WnStepBenchmark.writeDoubles(dir.resolve("W.f64"), theta, 0, md);
            WnStepBenchmark.writeDoubles(dir.resolve("V.f64"), theta, md, theta.length - md);
            String meta = String.format(Locale.ROOT, "n=%d%nd=%d%nm=%d%ndy=%d%neta=%.17g%nnet_losses=%s%nlin_losses=%s%n", shape.n(),
                    shape.d(), shape.m(), data.dy(), eta(shape), join(losses.get(0)), join(losses.get(1)));
            Files.writeString(dir.resolve("meta.txt"), meta, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + dir, e);
        }
    }


    private static String join(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            out.append(out.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", v));
        }
        return out.toString();
    }

    /** The widest vectors the JVM's vector module offers (0 without the module). */
    private static int simdBits() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        return jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
