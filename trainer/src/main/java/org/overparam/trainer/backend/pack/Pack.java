package org.overparam.trainer.backend.pack;

import java.util.List;
import org.overparam.trainer.backend.TrialPacks;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The inputs of a pack: trials of one {@link TrialPacks.Shape} on one training set, with their
 * initial parameters drawn exactly as the CPU nets draw them ({@link InitialDraws}; {@code relu}:
 * {@code W = Z}, {@code wn}: {@code V = αZ}, {@code g_k = ‖αz_k‖/α}, summed in the same order), so a
 * packed trial starts from the very parameters its CPU twin starts from.
 *
 * @param theta0 per trial, parameters flattened like {@code TrainableNet.parameters()}: {@code W}
 *               ({@code m·d}) for relu, {@code V} ({@code m·d}) then {@code g} ({@code m}) for wn
 * @param signs  per trial, the fixed output signs {@code c} ({@code m})
 */
public record Pack(TrialPacks.Shape shape, Dataset data, List<TrialSpec> trials, double[][] theta0, double[][] signs) {

    public Pack {
        trials = List.copyOf(trials);
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("a pack needs at least one trial");
        }
        for (TrialSpec t : trials) {
            if (!TrialPacks.Shape.of(t).equals(shape)) {
                throw new IllegalArgumentException("trial " + t.id() + " has shape " + TrialPacks.Shape.of(t) + ", the pack " + shape);
            }
        }
        if (data.n() != shape.n() || data.d() != shape.d()) {
            throw new IllegalArgumentException("data are " + data.n() + "×" + data.d() + ", the pack needs " + shape.n() + "×" + shape.d());
        }
    }

    /** The pack of {@code trials} (one shape) on {@code data}, initialized from each trial's seed. */
    public static Pack of(List<TrialSpec> trials, Dataset data) {
        for (TrialSpec t : trials) {
            if (!(org.overparam.trainer.models.TrialModels.of(t.model()) instanceof org.overparam.trainer.models.TwoLayerReluModel)) {
                throw new IllegalArgumentException("the packed kernels train relu and wn, not " + t.model().key());
            }
            if (t.loss() != org.overparam.trainer.nets.Loss.MSE) {
                throw new IllegalArgumentException("the packed kernels train the MSE only, not train.loss " + t.loss().key()
                        + " (such trials run on the CPU trainer)");
            }
        }
        TrialPacks.Shape shape = TrialPacks.Shape.of(trials.get(0));
        double[][] theta = new double[trials.size()][];
        double[][] signs = new double[trials.size()][];
        for (int b = 0; b < trials.size(); b++) {
            TrialSpec spec = trials.get(b);
            InitialDraws init = InitialDraws.draw(spec.seed(), spec.m(), spec.d());
            theta[b] = initialParameters(spec.model(), spec.alpha(), init);
            signs[b] = init.c().clone();
        }
        return new Pack(shape, data, trials, theta, signs);
    }

    /** The parameters of a fresh net, as {@code ReluNet} and {@code WeightNormNet} compute them. */
    static double[] initialParameters(ModelKind model, Double alpha, InitialDraws init) {
        int m = init.m();
        int d = init.d();
        double[] z = init.z();
        if (model == ModelKind.RELU) {
            return z.clone();
        }
        double a = alpha;
        double[] theta = new double[m * d + m];
        for (int k = 0; k < m; k++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double vk = a * z[k * d + j];
                theta[k * d + j] = vk;
                s += vk * vk;
            }
            theta[m * d + k] = Math.sqrt(s) / a;
        }
        return theta;
    }

    public int size() {
        return trials.size();
    }

    /** The largest step budget in the pack: every trial has stopped by then. */
    public int maxSteps() {
        return trials.stream().mapToInt(TrialSpec::steps).max().orElse(0);
    }

    /** The divergence factor of the stop rule (the same for every trial, {@link StopRule}). */
    public double divergenceFactor() {
        return StopRule.DEFAULT_DIVERGENCE_FACTOR;
    }

    /** {@code ‖v_k‖} and {@code s_k} of trial {@code b} at init, as {@code computeScales()} forms them. */
    public double[][] initialNormsAndScales(int b) {
        int m = shape.m();
        int d = shape.d();
        double invSqrtM = 1.0 / Math.sqrt(m);
        double[] theta = theta0[b];
        double[] c = signs[b];
        double[] norm = new double[m];
        double[] scale = new double[m];
        for (int k = 0; k < m; k++) {
            if (shape.model() == ModelKind.RELU) {
                scale[k] = c[k] * invSqrtM;
                norm[k] = 1.0;
            } else {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += theta[k * d + j] * theta[k * d + j];
                }
                norm[k] = Math.sqrt(s);
                scale[k] = c[k] * theta[m * d + k] * invSqrtM / norm[k];
            }
        }
        return new double[][] {norm, scale};
    }
}
