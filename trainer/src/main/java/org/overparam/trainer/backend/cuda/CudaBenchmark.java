package org.overparam.trainer.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.pack.Pack;
import org.overparam.trainer.backend.pack.PackDevice;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.ntk.BlasKernelProducts;
import org.overparam.trainer.ntk.KernelProducts;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Times the CUDA backend's {@code wn} GD step on this machine's first GPU (run by
 * {@code scripts/bench-gpu.sh}, beside the PyTorch twin and the matmul peaks):
 * <pre>
 *   java ... CudaBenchmark [--precision float64|float32] [--math tensor|fma] NAME:N:D:M:TRIALS[:STEPS] ...
 * </pre>
 * For each shape it packs TRIALS trials of {@code n=N, d=D, m=M}, runs warm-up steps, then STEPS timed
 * steps (forward and backward launches, losses read back every 64 steps as in training), and prints one
 * {@code RESULT} line: time per step of the whole pack, trial-steps per second and the achieved FLOP/s,
 * counting the two products of a step ({@code 4·n·d·m} per trial). The step size is tiny so no trial
 * stops while it is timed; the run fails if one did.
 *
 * <p>{@code --instruments NAME:N:D:M} times the kernel instruments' products of one wn trial at init
 * (four {@code n×n} products over {@code m} neurons, {@code 8 n² m} FLOP): on the device
 * ({@code op_preact_*} + {@code op_products_*}, downloads included) against {@code dsyrk} on this
 * machine's CPU ({@link BlasKernelProducts}), and prints their largest relative difference.
 */
public final class CudaBenchmark {
    private CudaBenchmark() {
    }

    public static void main(String[] args) {
        Precision precision = Precision.FLOAT64;
        KernelAbi.Math math = KernelAbi.Math.TENSOR;
        List<String> shapes = new ArrayList<>();
        List<String> instruments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--instruments" -> instruments.add(args[++i]);
                case "--precision" -> precision = Precision.parse(args[++i]);
                case "--math" -> math = KernelAbi.Math.valueOf(args[++i].toUpperCase(Locale.ROOT));
                default -> shapes.add(args[i]);
            }
        }
        if (precision == null || shapes.isEmpty() && instruments.isEmpty()) {
            System.err.println("usage: CudaBenchmark [--precision float64|float32] [--math tensor|fma] [--instruments NAME:N:D:M]"
                    + " NAME:N:D:M:TRIALS[:STEPS] ...");
            System.exit(2);
        }
        Availability cuda = CudaBackend.probe();
        if (!cuda.available()) {
            System.err.println("CudaBenchmark: no usable GPU: " + cuda.reason());
            System.exit(2);
        }
        byte[] fatbin = Fatbin.load().orElseThrow();
        try (JCudaApi gpu = JCudaApi.open(cuda.devices().get(0).ordinal(), fatbin)) {
            System.out.println("device " + gpu.device() + ", " + gpu.multiprocessors() + " SMs, precision " + precision.key() + ", math " + math);
            for (String shape : shapes) {
                run(gpu, shape, precision, math);
            }
            for (String shape : instruments) {
                instruments(gpu, shape, precision, math);
            }
        }
    }

    private static void run(JCudaApi gpu, String shape, Precision precision, KernelAbi.Math math) {
        String[] f = shape.split(":");
        String name = f[0];
        int n = Integer.parseInt(f[1]);
        int d = Integer.parseInt(f[2]);
        int m = Integer.parseInt(f[3]);
        int trials = Integer.parseInt(f[4]);
        int steps = f.length > 5 ? Integer.parseInt(f[5]) : 20;
        int warmup = Math.max(3, steps / 5);
        SphereData source = new SphereData(SphereTarget.GAUSSIAN, 0);
        List<TrialSpec> specs = new ArrayList<>();
        for (int b = 0; b < trials; b++) {
            specs.add(new TrialSpec(ModelKind.WN, 1.0, m, n, d, 1e-9, b, source.identity(), warmup + steps + 1, 1e-300));
        }
        long t0 = System.nanoTime();
        Dataset data = source.load(n, d);
        Pack pack = Pack.of(specs, data);
        try (CudaPackDevice device = new CudaPackDevice(gpu, pack, precision, math, CudaPackDevice.TilePolicy.AUTO,
                CudaPackDevice.DEFAULT_CHUNK)) {
            double setupS = (System.nanoTime() - t0) / 1e9;
            int chunk = device.chunk();
            int s = 0;
            for (; s < warmup; s++) {
                device.forward(s, s % chunk);
                device.backward();
            }
            device.states(); // waits for the warm-up
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++, s++) {
                device.forward(s, s % chunk);
                if (s % chunk == chunk - 1) {
                    device.losses(chunk);
                }
                device.backward();
            }
            PackDevice.TrialState[] states = device.states(); // waits for the last step
            double seconds = (System.nanoTime() - start) / 1e9;
            for (PackDevice.TrialState st : states) {
                if (st.status() != PackDevice.Status.RUNNING) {
                    throw new IllegalStateException("a trial stopped (" + st.status() + ") while timed: the timing is void");
                }
            }
            double perStep = seconds / steps;
            double flops = 4.0 * n * d * m * trials / perStep;
            System.out.printf(Locale.ROOT, "RESULT overparam %s n=%d d=%d m=%d trials=%d kernels=%s step_ms=%.4f trial_steps_per_s=%.1f tflops=%.3f setup_s=%.1f%n",
                    name, n, d, m, trials, String.join("+", device.kernels()), perStep * 1e3, trials / perStep, flops / 1e12, setupS);
        }
    }

    private static void instruments(JCudaApi gpu, String shape, Precision precision, KernelAbi.Math math) {
        String[] f = shape.split(":");
        int n = Integer.parseInt(f[1]);
        int d = Integer.parseInt(f[2]);
        int m = Integer.parseInt(f[3]);
        SphereData source = new SphereData(SphereTarget.GAUSSIAN, 0);
        TrialSpec spec = new TrialSpec(ModelKind.WN, 1.0, m, n, d, 0.1, 0, source.identity(), 10, 1e-6);
        Dataset data = source.load(n, d);
        Pack pack = Pack.of(List.of(spec), data);
        RowMajorBlas blas = RowMajorBlas.best();
        WeightNormNet mirror = (WeightNormNet) new TrialRunner(blas).build(spec, data);
        try (CudaPackDevice device = new CudaPackDevice(gpu, pack, precision, math, CudaPackDevice.TilePolicy.AUTO,
                CudaPackDevice.DEFAULT_CHUNK)) {
            mirror.setParameters(device.parameters(0));
            double[] u = mirror.preActivations();
            double[] norms = mirror.directionNorms();
            double[] gains = mirror.gains();
            KernelProducts onDevice = device.kernelProducts(0).orElseThrow();
            onDevice.weightNorm(u, norms, gains, 1.0); // warm-up: scratch allocation, module load
            int reps = 5;
            long t0 = System.nanoTime();
            double[][] got = null;
            for (int r = 0; r < reps; r++) {
                got = onDevice.weightNorm(u, norms, gains, 1.0);
            }
            double deviceS = (System.nanoTime() - t0) / 1e9 / reps;
            long t1 = System.nanoTime();
            double[][] want = new BlasKernelProducts(blas).weightNorm(u, norms, gains, 1.0);
            double cpuS = (System.nanoTime() - t1) / 1e9;
            double worst = 0;
            for (int p = 0; p < want.length; p++) {
                double scale = 0;
                for (double w : want[p]) {
                    scale = Math.max(scale, Math.abs(w));
                }
                for (int i = 0; i < want[p].length; i++) {
                    worst = Math.max(worst, Math.abs(got[p][i] - want[p][i]) / scale);
                }
            }
            double flop = 8.0 * n * (double) n * m;
            System.out.printf(Locale.ROOT, "RESULT overparam-instruments %s n=%d d=%d m=%d device_ms=%.2f device_tflops=%.3f cpu_ms=%.1f"
                            + " cpu_gflops=%.1f cpu_blas=%s speedup=%.1f max_rel_diff=%.2e%n",
                    f[0], n, d, m, deviceS * 1e3, flop / deviceS / 1e12, cpuS * 1e3, flop / cpuS / 1e9, blas.implementation(),
                    cpuS / deviceS, worst);
        }
    }
}
