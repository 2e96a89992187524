package org.overparam.trainer.bench;

import java.util.Locale;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.BatchNormNet;

/**
 * Times one {@code bn} GD step ({@link BatchNormNet#forward()} then {@link BatchNormNet#step}, float64) with its
 * SIMD row work against the same net with bn's scalar row loops ({@link BatchNormNet#withScalarRows}), side by side
 * in one run, at the atlas's shapes; checks first that both take the same path (the risk's bits over a few steps).
 * Run by {@code scripts/bench-cpu.sh}; prints {@code key=value} lines prefixed {@code java}. Options:
 * {@code --shapes NxDxM,…}, {@code --min-repeats R}, {@code --min-seconds S}.
 */
public final class BnStepBenchmark {
    private BnStepBenchmark() {
    }

    public static void main(String[] args) {
        String shapes = "64x4x16,256x8x64,256x8x512,1024x8x256";
        int minRepeats = 30;
        double minSeconds = 1.5;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--shapes" -> shapes = args[i + 1];
                case "--min-repeats" -> minRepeats = Integer.parseInt(args[i + 1]);
                case "--min-seconds" -> minSeconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        RowMajorBlas blas = RowMajorBlas.best();
        RepeatTimer timer = new RepeatTimer(minRepeats, minSeconds, 2.0);
        for (String s : shapes.split(",")) {
            String[] p = s.trim().split("x");
            int n = Integer.parseInt(p[0]);
            int d = Integer.parseInt(p[1]);
            int m = Integer.parseInt(p[2]);
            Dataset data = new SphereData(SphereTarget.RANDOM, 1).load(n, d);
            BatchNormNet simd = new BatchNormNet(data, 1, m, 1e-5, blas);
            BatchNormNet scalar = BatchNormNet.withScalarRows(data, 1, m, 1e-5, blas);
            for (int step = 0; step < 5; step++) {
                if (Double.doubleToRawLongBits(simd.forward()) != Double.doubleToRawLongBits(scalar.forward())) {
                    throw new IllegalStateException("bn's SIMD and scalar rows differ at step " + step + " of " + s);
                }
                simd.step(2.0);
                scalar.step(2.0);
            }
            double tSimd = timer.measure(() -> {
                simd.forward();
                simd.step(2.0);
            }).medianMs();
            double tScalar = timer.measure(() -> {
                scalar.forward();
                scalar.step(2.0);
            }).medianMs();
            System.out.printf(Locale.ROOT, "java bn_step shape=n%d_d%d_m%d simd_us=%.1f scalar_us=%.1f speedup=%.2f same_bits=true%n", n, d, m,
                    1000 * tSimd, 1000 * tScalar, tScalar / tSimd);
        }
    }
}
