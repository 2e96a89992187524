import java.util.TreeMap;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Twelve bn trials at the atlas's settings (d = 8, random labels, GD at eta 2; n 32 and 64, m 8, 32 and 128, two seeds,
 * 300 steps), one after another in one JVM: their total time and a digest of every row value (status, steps, final
 * loss, every metric, as bits). Run it on two checkouts, side by side, to time a change to bn's trials and show that
 * their rows kept their bits (docs/benchmarks.md, "The atlas's core time by model"):
 * <pre>
 *   mvn -B -ntp -o -q -pl trainer compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   OPENBLAS_NUM_THREADS=1 java @conf/jvm-options -cp "trainer/target/classes:$(cat trainer/target/cp.txt)" scripts/BnTrialTimes.java
 * </pre>
 */
public class BnTrialTimes {
    public static void main(String[] args) {
        SphereData data = new SphereData(SphereTarget.RANDOM, 0);
        TrialRunner runner = new TrialRunner();
        long total = 0;
        StringBuilder digest = new StringBuilder();
        for (int n : new int[] {32, 64}) {
            for (int m : new int[] {8, 32, 128}) {
                for (long seed = 0; seed < 2; seed++) {
                    TrialSpec s = new TrialSpec(ModelKind.BN, null, m, n, 8, 2.0, seed, data.identity(), 300, 1e-3,
                            InstrumentSettings.OFF, ModelParams.bn(Optimizer.GD, 1e-5)).withStuckHorizon(0);
                    long t0 = System.nanoTime();
                    TrialResult r = runner.run(s, data);
                    total += System.nanoTime() - t0;
                    digest.append(r.status()).append(r.steps()).append(Double.doubleToRawLongBits(r.lossFinal()));
                    new TreeMap<>(r.metrics()).forEach((k, v) -> digest.append(k).append(Double.doubleToRawLongBits(v)));
                    digest.append('\n');
                }
            }
        }
        System.out.printf("bn-trial-times: 12 trials in %.1f s; rows digest %08x%n", total / 1e9, digest.toString().hashCode());
    }
}
