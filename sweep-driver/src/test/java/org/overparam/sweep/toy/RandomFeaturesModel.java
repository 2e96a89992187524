package org.overparam.sweep.toy;

import java.util.List;
import java.util.Map;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.models.AlphaRange;
import org.overparam.trainer.models.GridKey;
import org.overparam.trainer.models.ModelAxes;
import org.overparam.trainer.models.ModelTraining;
import org.overparam.trainer.models.TrialContext;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.WidthBound;
import org.overparam.trainer.nets.TrainableNet;
import org.overparam.trainer.rng.RandomStream;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * A toy model added the way docs/models.md says a model is added — this one class and one line in
 * {@code META-INF/services/org.overparam.trainer.models.TrialModel} — to show that nothing else needs to
 * change: {@code rf}, random ReLU features {@code Φ_ik = σ(x_i·w_k)/√m} ({@code w_k ~ N(0, I)} fixed) with the
 * output weights {@code c} trained by GD on {@code ½‖Φc − y‖²} from {@code c = 0}. Its theory: GD interpolates
 * once Φ has rank n, which takes {@code m ≥ n} features in general position, so the width grows like n¹.
 */
public final class RandomFeaturesModel implements TrialModel {
    public static final ModelKind KIND = ModelKind.of("rf");

    @Override
    public ModelKind kind() {
        return KIND;
    }

    @Override
    public List<GridKey> gridKeys() {
        return List.of();
    }

    @Override
    public boolean singleOutput() {
        return true;
    }

    @Override
    public List<ModelParams> params(ModelAxes axes, int d, int m, int dataOutputs) {
        return List.of(ModelParams.NONE);
    }

    @Override
    public int paramCount(ModelAxes axes) {
        return 1;
    }

    @Override
    public boolean accepts(ModelParams params) {
        return params.equals(ModelParams.NONE);
    }

    @Override
    public double flopsPerStep(TrialSpec spec) {
        return 4.0 * spec.n() * spec.m();
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return List.of();
    }

    @Override
    public List<CurveMetric> curveMetrics() {
        return List.of();
    }

    @Override
    public List<WidthBound> widthBounds() {
        return List.of(new WidthBound(AlphaRange.ALL, 1, "rank: m ≥ n random features interpolate n points"));
    }

    @Override
    public void requireMemory(TrialSpec spec) {
        if ((long) spec.n() * spec.m() > 50_000_000L) {
            throw new IllegalArgumentException("rf keeps an n×m feature matrix: n·m ≤ 5e7, got " + (long) spec.n() * spec.m());
        }
    }

    @Override
    public ModelTraining start(TrialSpec spec, DataSource source, TrialContext context) {
        Features net = new Features(source.load(spec.n(), spec.d()), spec.m(), spec.seed());
        return new ModelTraining() {
            @Override
            public TrainingRun train(Deadline deadline) {
                return new GradientDescent(spec.stepSize(), new StopRule(spec.steps(), spec.tolerance()))
                        .run(net, org.overparam.trainer.gd.StepObserver.NONE, deadline);
            }

            @Override
            public Map<TrialMetric, Double> metrics(TrainingRun run) {
                return Map.of();
            }

            @Override
            public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
                return Map.of();
            }
        };
    }

    /** The net: fixed features Φ (n×m, row-major) and trained output weights c. */
    private static final class Features implements TrainableNet {
        private final int n;
        private final int m;
        private final double[] phi;
        private final double[] y;
        private final double[] c;
        private final double[] f;
        private final double[] grad;

        Features(Dataset data, int m, long seed) {
            this.n = data.n();
            this.m = m;
            this.y = data.y();
            this.c = new double[m];
            this.f = new double[n];
            this.grad = new double[m];
            RandomStream rng = RandomStream.of("rf-features", seed);
            double[] w = new double[data.d() * m];
            rng.fillGaussian(w, 0, w.length);
            this.phi = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    double s = 0;
                    for (int j = 0; j < data.d(); j++) {
                        s += data.x()[i * data.d() + j] * w[j * m + k];
                    }
                    phi[i * m + k] = Math.max(s, 0) / Math.sqrt(m);
                }
            }
        }

        @Override
        public double forward() {
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += phi[i * m + k] * c[k];
                }
                f[i] = s;
                loss += 0.5 * (s - y[i]) * (s - y[i]);
            }
            return loss;
        }

        @Override
        public double[] gradient() {
            java.util.Arrays.fill(grad, 0);
            for (int i = 0; i < n; i++) {
                double r = f[i] - y[i];
                for (int k = 0; k < m; k++) {
                    grad[k] += phi[i * m + k] * r;
                }
            }
            return grad.clone();
        }

        @Override
        public void step(double eta) {
            double[] g = gradient();
            for (int k = 0; k < m; k++) {
                c[k] -= eta * g[k];
            }
        }

        @Override
        public double[] parameters() {
            return c.clone();
        }

        @Override
        public void setParameters(double[] theta) {
            System.arraycopy(theta, 0, c, 0, m);
        }

        @Override
        public double[] outputs() {
            return f.clone();
        }
    }
}
