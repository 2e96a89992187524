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
import org.overparam.trainer.model.ModelKind;
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
 */
public final class CudaBenchmark {
    private CudaBenchmark() {
    }

    public static void main(String[] args) {
        Precision precision = Precision.FLOAT64;
        KernelAbi.Math math = KernelAbi.Math.TENSOR;
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--precision" -> precision = Precision.parse(args[++i]);
                case "--math" -> math = KernelAbi.Math.valueOf(args[++i].toUpperCase(Locale.ROOT));
                default -> shapes.add(args[i]);
            }
        }
        if (precision == null || shapes.isEmpty()) {
            System.err.println("usage: CudaBenchmark [--precision float64|float32] [--math tensor|fma] NAME:N:D:M:TRIALS[:STEPS] ...");
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
}
