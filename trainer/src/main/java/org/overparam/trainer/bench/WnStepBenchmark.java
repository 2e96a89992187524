package org.overparam.trainer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.BundledOpenBlas;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * Times one {@code wn} GD step ({@link WeightNormNet#forward()} then {@link WeightNormNet#step}, float64)
 * per shape with {@link RepeatTimer}, the machine's float64 matrix-product rate through the same BLAS,
 * and (when {@link InstrumentBenchmark} has an implementation) the kernel instruments. Optionally
 * exports each shape's data and initial parameters with the losses of the first few steps, so that
 * {@code scripts/bench_cpu.py} runs the same math from the same numbers and checks it.
 *
 * <p>Run by {@code scripts/bench-cpu.sh}; prints {@code key=value} lines prefixed {@code java}.
 * Options: {@code --shapes NxDxM,…}, {@code --export DIR}, {@code --check-steps K}, {@code --peak N}
 * (0 skips), {@code --instruments NxDxM} ({@code none} skips), {@code --breakdown NxDxM} (the shape
 * whose two products are also timed alone), {@code --min-repeats R},
 * {@code --min-seconds S}, {@code --max-warmup S}.
 */
public final class WnStepBenchmark {
    /** The data and init of every shape: unit-sphere inputs with sign targets, init scale α = 1. */
    static final long DATA_SEED = 1;
    static final long INIT_SEED = 1;
    static final double ALPHA = 1.0;

    private WnStepBenchmark() {
    }

    /** A benchmark shape. */
    record Shape(int n, int d, int m) {
        static Shape parse(String s) {
            String[] p = s.trim().split("x");
            if (p.length != 3) {
                throw new IllegalArgumentException("shape must be NxDxM, got " + s);
            }
            return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }

        /** A step size safely below 2/λmax(Λ(0)) (λmax ≤ trace = n/2 on the sphere at α = 1). */
        double eta() {
            return 1.0 / n;
        }

        String label() {
            return "n=" + n + " d=" + d + " m=" + m;
        }

        /** Floating-point work of one step: the two products, {@code 2ndm} each. */
        double flops() {
            return 4.0 * n * d * (double) m;
        }
    }

    public static void main(String[] args) throws IOException {
        List<Shape> shapes = new ArrayList<>();
        for (String s : "100x50x1024,500x100x4096,1000x100x16384".split(",")) {
            shapes.add(Shape.parse(s));
        }
        Path export = null;
        int checkSteps = 5;
        int peak = 3000;
        String instruments = "1000x100x16384";
        String breakdown = "1000x100x16384";
        int minRepeats = 10;
        double minSeconds = 1.0;
        double maxWarmup = 5.0;
        for (int a = 0; a < args.length; a++) {
            String v = a + 1 < args.length ? args[a + 1] : null;
            switch (args[a]) {
                case "--shapes" -> {
                    shapes.clear();
                    for (String s : v.split(",")) {
                        shapes.add(Shape.parse(s));
                    }
                }
                case "--export" -> export = Path.of(v);
                case "--check-steps" -> checkSteps = Integer.parseInt(v);
                case "--peak" -> peak = Integer.parseInt(v);
                case "--instruments" -> instruments = v;
                case "--breakdown" -> breakdown = v;
                case "--min-repeats" -> minRepeats = Integer.parseInt(v);
                case "--min-seconds" -> minSeconds = Double.parseDouble(v);
                case "--max-warmup" -> maxWarmup = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
            a++;
        }
        RowMajorBlas blas = RowMajorBlas.best();
        // Trials run one BLAS thread each; the benchmark gives every side the same threads (OPENBLAS_NUM_THREADS).
        int threads = Integer.parseInt(System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "1"));
        BundledOpenBlas.get().ifPresent(b -> b.useThreads(threads));
        RepeatTimer timer = new RepeatTimer(minRepeats, minSeconds, maxWarmup);
        System.out.printf(Locale.ROOT, "java blas impl=%s libs=%s threads=%d cores=%d java=%s%n",
                blas.implementation().replace(' ', '_'), String.join(",", loadedBlasLibraries()), threads,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (peak > 0) {
            peakRate(blas, peak);
        }
        for (Shape shape : shapes) {
            Dataset data = new SphereData(SphereTarget.SIGN, DATA_SEED).load(shape.n(), shape.d());
            InitialDraws init = InitialDraws.draw(INIT_SEED, shape.m(), shape.d());
            if (export != null) {
                export(export.resolve("n" + shape.n() + "_d" + shape.d() + "_m" + shape.m()), shape, data, init, blas, checkSteps);
            }
            WeightNormNet net = new WeightNormNet(data, init, ALPHA, blas);
            double eta = shape.eta();
            RepeatTimer.Timing t = timer.measure(() -> {
                net.forward();
                net.step(eta);
            });
            System.out.printf(Locale.ROOT, "java step %s %s gflops=%.2f%n", shape.label(), t.describe(),
                    shape.flops() / (t.medianMs() * 1e6));
            if (!"none".equals(breakdown) && shape.equals(Shape.parse(breakdown))) {
                products(shape, data, net, blas, Math.max(minRepeats, 10));
            }
        }
        if (!"none".equals(instruments)) {
            instruments(Shape.parse(instruments), blas, timer, export, ServiceLoader.load(InstrumentBenchmark.class));
        }
    }

    /**
     * The step's two matrix products alone, as the net calls them ({@code P = X Vᵀ}; {@code Q = Dᵀ X}
     * with its transpose): the rate a step could reach if everything else were free. Timed in turns
     * with whole steps (step, P, Q, step, P, Q, …) so that both see the same load.
     */
    private static void products(Shape shape, Dataset data, WeightNormNet net, RowMajorBlas blas, int repeats) {
        int n = shape.n();
        int d = shape.d();
        int m = shape.m();
        double[] v = InitialDraws.draw(INIT_SEED, m, d).z();
        double[] pre = new double[n * m];
        double[] q = new double[m * d];
        double[] scratch = new double[m * d];
        Runnable step = () -> {
            net.forward();
            net.step(shape.eta());
        };
        Runnable p = () -> blas.timesTransposed(n, m, d, data.x(), v, pre);
        Runnable qt = () -> blas.transposedTimes(n, m, d, pre, data.x(), q, scratch);
        double[][] ms = new double[3][repeats];
        for (int r = -RepeatTimer.ROUND; r < repeats; r++) {
            Runnable[] ops = {step, p, qt};
            for (int o = 0; o < 3; o++) {
                long t0 = System.nanoTime();
                ops[o].run();
                if (r >= 0) {
                    ms[o][r] = (System.nanoTime() - t0) * 1e-6;
                }
            }
        }
        double stepMs = RepeatTimer.quantile(ms[0], 0.5);
        double both = RepeatTimer.quantile(ms[1], 0.5) + RepeatTimer.quantile(ms[2], 0.5);
        System.out.printf(Locale.ROOT, "java products %s step_median_ms=%.3f p_median_ms=%.3f q_median_ms=%.3f products_ms=%.3f "
                        + "products_gflops=%.2f products_share_of_step=%.3f%n", shape.label(), stepMs, RepeatTimer.quantile(ms[1], 0.5),
                RepeatTimer.quantile(ms[2], 0.5), both, shape.flops() / (both * 1e6), both / stepMs);
    }

    /** Best float64 rate of a square {@code size³} product through {@code blas}, in GFLOP/s. */
    private static void peakRate(RowMajorBlas blas, int size) {
        RepeatTimer.Timing t = squareProduct(blas, size);
        double flops = 2.0 * size * size * (double) size;
        System.out.printf(Locale.ROOT, "java peak size=%d best_gflops=%.2f median_gflops=%.2f %s%n", size,
                flops / (t.minMs() * 1e6), flops / (t.medianMs() * 1e6), t.describe());
    }

    /** A square {@code size³} float64 product through {@code blas}, timed ≥ 5 times: the machine's product rate. */
    static RepeatTimer.Timing squareProduct(RowMajorBlas blas, int size) {
        double[] a = new double[size * size];
        double[] b = new double[size * size];
        double[] c = new double[size * size];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() - 0.5;
            b[i] = r.nextDouble() - 0.5;
        }
        return new RepeatTimer(5, 0, 5).measure(() -> blas.timesTransposed(size, size, size, a, b, c));
    }

    /**
     * Writes {@code X, y, V(0), g(0), c} as raw little-endian float64 files and {@code meta.txt} with
     * the shape, α, η and the losses {@code L(0..K)} of the first {@code K} GD steps.
     */
    private static void export(Path dir, Shape shape, Dataset data, InitialDraws init, RowMajorBlas blas, int steps) {
        try {
            Files.createDirectories(dir);
            WeightNormNet net = new WeightNormNet(data, init, ALPHA, blas);
            double[] theta = net.parameters();
            int md = shape.m() * shape.d();
            writeDoubles(dir.resolve("X.f64"), data.x(), 0, data.x().length);
            writeDoubles(dir.resolve("y.f64"), data.y(), 0, shape.n());
            writeDoubles(dir.resolve("V.f64"), theta, 0, md);
            writeDoubles(dir.resolve("g.f64"), theta, md, shape.m());
            writeDoubles(dir.resolve("c.f64"), init.c(), 0, shape.m());
            StringBuilder losses = new StringBuilder();
            for (int s = 0; s <= steps; s++) {
                if (s > 0) {
                    net.step(shape.eta());
                    losses.append(',');
                }
                losses.append(String.format(Locale.ROOT, "%.17g", net.forward()));
            }
            String meta = String.format(Locale.ROOT, "n=%d%nd=%d%nm=%d%nalpha=%.17g%neta=%.17g%nsteps=%d%nlosses=%s%n",
                    shape.n(), shape.d(), shape.m(), ALPHA, shape.eta(), steps, losses);
            Files.writeString(dir.resolve("meta.txt"), meta, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + dir, e);
        }
    }

    /** {@code a[from…from+len)} as raw little-endian float64 (the benchmarks' exports, read by numpy and torch). */
    static void writeDoubles(Path file, double[] a, int from, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(a, from, len);
        Files.write(file, buf.array());
    }

    /** The kernel-instruments line, or why it is skipped (see {@link InstrumentBenchmark}). */
    static void instruments(Shape shape, RowMajorBlas blas, RepeatTimer timer, Path export,
                            Iterable<InstrumentBenchmark> providers) throws IOException {
        Iterator<InstrumentBenchmark> found = providers.iterator();
        if (!found.hasNext()) {
            System.out.printf(Locale.ROOT, "java instruments %s skipped=no org.overparam.trainer.bench.InstrumentBenchmark"
                    + " implementation on the classpath%n", shape.label());
            return;
        }
        InstrumentBenchmark bench = found.next();
        Dataset data = new SphereData(SphereTarget.SIGN, DATA_SEED).load(shape.n(), shape.d());
        InitialDraws init = InitialDraws.draw(INIT_SEED, shape.m(), shape.d());
        WeightNormNet net = new WeightNormNet(data, init, ALPHA, blas);
        net.forward();
        double[] eig = bench.evaluate(data, init, ALPHA, net);
        RepeatTimer.Timing t = timer.measure(() -> bench.evaluate(data, init, ALPHA, net));
        StringBuilder ev = new StringBuilder();
        for (double e : eig) {
            ev.append(ev.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", e));
        }
        System.out.printf(Locale.ROOT, "java instruments %s %s eig=%s what=%s%n", shape.label(), t.describe(), ev,
                bench.description().replace(' ', '_'));
        if (export != null) {
            export(export.resolve("instruments_n" + shape.n() + "_d" + shape.d() + "_m" + shape.m()), shape, data, init, blas, 0);
            Files.writeString(export.resolve("instruments_n" + shape.n() + "_d" + shape.d() + "_m" + shape.m()).resolve("eig.txt"),
                    ev + "\n", StandardCharsets.UTF_8);
        }
    }

    /** The BLAS shared libraries this process has mapped (Linux), to record which BLAS ran. */
    private static List<String> loadedBlasLibraries() {
        TreeSet<String> libs = new TreeSet<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.startsWith("/") && (p.contains("blas") || p.contains("lapack") || p.contains("mkl")))
                    .forEach(libs::add);
        } catch (IOException | RuntimeException e) {
            libs.add("unknown");
        }
        return libs.isEmpty() ? List.of("none") : new ArrayList<>(libs);
    }
}
