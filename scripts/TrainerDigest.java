import java.util.*;
import org.overparam.trainer.data.*;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.run.*;
import org.overparam.trainer.trial.*;

/**
 * Prints every number of 20 MSE trials of every model (status, steps, losses along the curve, rate, metrics, curve
 * metrics) as bits, one line per trial: run it on two checkouts and diff the outputs to show that a change left the
 * training path bit for bit as it was (docs/validation.md §6). Compiles against any version of the trainer: on one
 * with the stuck rule it is turned off (so long undecided trials run their budget, as before the rule), unless
 * {@code --stuck-rule default}; the legacy status {@code max_steps} prints as {@code censored}; diverged messages
 * (which name the step since issue 26) are left out.
 * <pre>
 *   mvn -B -ntp -o -q -pl trainer compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java @conf/jvm-options -cp "trainer/target/classes:$(cat trainer/target/cp.txt)" scripts/TrainerDigest.java > digest.txt
 * </pre>
 * Bits depend on the BLAS kernels, hence on the CPU model: compare digests made on one machine.
 */
public class TrainerDigest {
    static TrialSpec off(TrialSpec s) {
        try {   // the new API: the stuck rule off, so that long censored trials run their budget as before
            return (TrialSpec) TrialSpec.class.getMethod("withStuckHorizon", int.class).invoke(s, 0);
        } catch (NoSuchMethodException e) {
            return s;
        } catch (ReflectiveOperationException e) {
            throw new RuntimeException(e);
        }
    }

    static String bits(double x) { return Long.toHexString(Double.doubleToRawLongBits(x)); }

    public static void main(String[] args) {
        SphereData gauss = new SphereData(SphereTarget.GAUSSIAN, 0);
        SphereData signs = new SphereData(SphereTarget.SIGN, 1);
        DataSource ackley = new AckleyData(1);
        DataSource heldOut = new WithHeldOut(new SphereData(SphereTarget.SIGN, 2), 0.2);
        InstrumentSettings kernels = new InstrumentSettings(true, 0, 0.1);
        List<Object[]> trials = new ArrayList<>();
        for (int m : new int[] {4, 16, 64}) {
            for (int n : new int[] {10, 40}) {
                trials.add(new Object[] {new TrialSpec(ModelKind.WN, 1.0, m, n, 6, 0.5, 1L, gauss.identity(), 3000, 1e-4,
                        InstrumentSettings.OFF, ModelParams.NONE), gauss});
                trials.add(new Object[] {new TrialSpec(ModelKind.RELU, null, m, n, 6, 0.3, 2L, signs.identity(), 3000, 1e-6,
                        InstrumentSettings.OFF, ModelParams.NONE), signs});
            }
        }
        trials.add(new Object[] {new TrialSpec(ModelKind.WN, 0.5, 32, 20, 8, 0.2, 3L, gauss.identity(), 500, 1e-8, kernels, ModelParams.NONE), gauss});
        trials.add(new Object[] {new TrialSpec(ModelKind.RELU, null, 32, 20, 8, 40.0, 3L, gauss.identity(), 500, 1e-8, InstrumentSettings.OFF, ModelParams.NONE), gauss});
        trials.add(new Object[] {new TrialSpec(ModelKind.BN, null, 32, 12, 6, 0.5, 1L, new DyadicData().identity(), 1500, 0.05,
                InstrumentSettings.OFF, ModelParams.bn(Optimizer.GD, 1e-5)), new DyadicData()});
        trials.add(new Object[] {new TrialSpec(ModelKind.BN, null, 32, 40, 5, 0.2, 3L, heldOut.identity(), 1500, 0.01,
                InstrumentSettings.OFF, ModelParams.bn(Optimizer.SGD, 1e-5)), heldOut});
        trials.add(new Object[] {new TrialSpec(ModelKind.GRELU, null, 24, 12, 6, 1e-3, 0L, ackley.identity(), 1200, 1e-6,
                InstrumentSettings.OFF, ModelParams.deep(2, 1)), ackley});
        trials.add(new Object[] {new TrialSpec(ModelKind.DEEP_RELU, null, 24, 12, 6, 1e-3, 0L, ackley.identity(), 1200, 1e-6,
                InstrumentSettings.OFF, ModelParams.deep(2, 1)), ackley});
        trials.add(new Object[] {new TrialSpec(ModelKind.SMOOTH, null, 16, 12, 6, 0.01, 0L, gauss.identity(), 1200, 1e-6,
                InstrumentSettings.OFF, ModelParams.smooth(Activation.TANH, 0.5, 0.5, 1)), gauss});
        trials.add(new Object[] {new TrialSpec(ModelKind.SMOOTH, null, 16, 12, 6, 0.01, 0L, gauss.identity(), 1200, 1e-6,
                InstrumentSettings.OFF, ModelParams.smoothSgd(Activation.GELU, 0.5, 0.5, 1, 4)), gauss});
        // relu and wn at the atlas's shapes and the benchmark's (its step sizes, both losses; n = 1024 and 2048 cut
        // BLAS's sum over examples into blocks): their products may be fused into the forward pass (issue 27).
        SphereData atlas = new SphereData(SphereTarget.RANDOM, 0);
        int[][] shapes = {{64, 4, 16}, {256, 16, 64}, {1024, 8, 256}, {256, 8, 512}, {128, 8, 9}, {100, 5, 33}, {2048, 8, 64}};
        for (int[] s : shapes) {
            int n = s[0], d = s[1], m = s[2];
            trials.add(new Object[] {new TrialSpec(ModelKind.RELU, null, m, n, d, 32.0 / n, 4L, atlas.identity(), 1500, 1e-3,
                    InstrumentSettings.OFF, ModelParams.NONE).withLoss(org.overparam.trainer.nets.Loss.SQUARED_HINGE), atlas});
            trials.add(new Object[] {new TrialSpec(ModelKind.WN, 1.0, m, n, d, 64.0 / n, 5L, atlas.identity(), 1500, 1e-3,
                    InstrumentSettings.OFF, ModelParams.NONE), atlas});
        }
        TrialRunner runner = new TrialRunner();
        for (Object[] t : trials) {
            TrialSpec spec = (TrialSpec) t[0];
            TrialResult r = runner.run(args.length == 2 && args[0].equals("--stuck-rule") && args[1].equals("default") ? spec : off(spec), (DataSource) t[1]);
            String status = r.status().name().toLowerCase(Locale.ROOT).replace("max_steps", "censored");
            StringBuilder b = new StringBuilder(spec.id()).append(' ').append(status).append(" steps=").append(r.steps())
                    .append(" loss0=").append(bits(r.loss0())).append(" final=").append(bits(r.lossFinal()))
                    .append(" rate=").append(bits(r.rate())).append(" r2=").append(bits(r.rateR2()));
            if (!"diverged".equals(status)) {
                b.append(" msg=").append(r.message());
            }
            b.append(" curve=").append(Arrays.toString(r.curveSteps()));
            for (double l : r.curveLosses()) b.append(' ').append(bits(l));
            new TreeMap<>(r.metrics()).forEach((k, v) -> b.append(' ').append(k).append('=').append(bits(v)));
            new TreeMap<>(r.curveMetrics()).forEach((k, v) -> { b.append(' ').append(k); for (double x : v) b.append(',').append(bits(x)); });
            System.out.println(b);
        }
    }
}
