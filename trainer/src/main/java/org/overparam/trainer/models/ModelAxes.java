package org.overparam.trainer.models;

import java.util.ArrayList;
import java.util.List;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.trial.ModelParams;

/**
 * The model-specific grid axes of a sweep (theory.md §3–5), as the config sets them: each applies only
 * to the models that use it ({@link TrialModel#gridKeys}); empty where the sweep does not set it (then
 * the model's default). The models expand them into {@link ModelParams} ({@link TrialModel#params}).
 *
 * @param depth        {@code L} (grelu, deep-relu; required by them)
 * @param outputs      {@code d_y} (grelu, deep-relu, smooth); empty: the data's output count (1 for a generator)
 * @param omega1       {@code ω1} of smooth, with {@code omega2}: every pair of the two axes
 * @param omega2       {@code ω2} of smooth
 * @param omegaRatio   {@code ω2/ω1} of smooth at the fixed products {@code omegaProduct}
 * @param omegaProduct {@code ω1 ω2}; empty with a ratio: He's product {@code 2/sqrt(d m)}
 * @param activation   φ of smooth (default gelu)
 * @param optimizer    bn's optimizer (default gd)
 * @param epsilon      bn's ε (default 1e−5)
 * @param batch        the mini-batch sizes of smooth's SGD (each crossed with {@code sgd}; default 1); bn's SGD
 *                     always takes one example
 * @param convertAt    grelu's GReLU→ReLU switch steps (empty: no switch)
 */
public record ModelAxes(List<Integer> depth, List<Integer> outputs, List<Double> omega1, List<Double> omega2,
                        List<Double> omegaRatio, List<Double> omegaProduct, List<Activation> activation,
                        List<Optimizer> optimizer, List<Double> epsilon, List<Integer> batch, List<Integer> convertAt) {
    /** No model-specific axes (relu and wn sweeps). */
    public static final ModelAxes NONE = new ModelAxes(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), List.of());
    public static final double DEFAULT_EPSILON = 1e-5;

    public ModelAxes {
        depth = List.copyOf(depth);
        outputs = List.copyOf(outputs);
        omega1 = List.copyOf(omega1);
        omega2 = List.copyOf(omega2);
        omegaRatio = List.copyOf(omegaRatio);
        omegaProduct = List.copyOf(omegaProduct);
        activation = List.copyOf(activation);
        optimizer = List.copyOf(optimizer);
        epsilon = List.copyOf(epsilon);
        batch = List.copyOf(batch);
        convertAt = List.copyOf(convertAt);
    }

    /** Axes without GReLU→ReLU switches. */
    public ModelAxes(List<Integer> depth, List<Integer> outputs, List<Double> omega1, List<Double> omega2,
                     List<Double> omegaRatio, List<Double> omegaProduct, List<Activation> activation,
                     List<Optimizer> optimizer, List<Double> epsilon, List<Integer> batch) {
        this(depth, outputs, omega1, omega2, omegaRatio, omegaProduct, activation, optimizer, epsilon, batch, List.of());
    }

    /** Axes without mini-batch sizes. */
    public ModelAxes(List<Integer> depth, List<Integer> outputs, List<Double> omega1, List<Double> omega2,
                     List<Double> omegaRatio, List<Double> omegaProduct, List<Activation> activation,
                     List<Optimizer> optimizer, List<Double> epsilon) {
        this(depth, outputs, omega1, omega2, omegaRatio, omegaProduct, activation, optimizer, epsilon, List.of(), List.of());
    }

    /** The mini-batch sizes of a regression model's SGD: the axis, or 1 when it is not set. */
    public List<Integer> batchOr1() {
        return batch.isEmpty() ? List.of(1) : batch;
    }


    /** The {@code d_y} values: the axis, or the data's output count when it is not set. */
    public List<Integer> outputsOr(int dataOutputs) {
        return outputs.isEmpty() ? List.of(dataOutputs) : outputs;
    }

    /** The number of {@code d_y} values (1 when the axis is not set). */
    public int outputCount() {
        return Math.max(1, outputs.size());
    }

    /** The number of {@code (ω1, ω2)} pairs {@link #omegas} yields. */
    public int omegaCount() {
        if (!omega1.isEmpty()) {
            return omega1.size() * omega2.size();
        }
        if (!omegaRatio.isEmpty()) {
            return omegaRatio.size() * Math.max(1, omegaProduct.size());
        }
        return 1;
    }

    /**
     * {@code (ω1, ω2)} pairs: every {@code omega1 × omega2}; or, per product {@code P} and ratio {@code r},
     * {@code ω1 = sqrt(P/r)}, {@code ω2 = sqrt(P r)}; or He's init {@code ω1 = sqrt(2/d)}, {@code ω2 = sqrt(2/m)}.
     */
    public List<double[]> omegas(int d, int m) {
        List<double[]> out = new ArrayList<>();
        if (!omega1.isEmpty()) {
            for (double a : omega1) {
                for (double b : omega2) {
                    out.add(new double[] {a, b});
                }
            }
        } else if (!omegaRatio.isEmpty()) {
            List<Double> products = omegaProduct.isEmpty() ? List.of(2.0 / Math.sqrt((double) d * m)) : omegaProduct;
            for (double p : products) {
                for (double r : omegaRatio) {
                    out.add(new double[] {Math.sqrt(p / r), Math.sqrt(p * r)});
                }
            }
        } else {
            out.add(new double[] {Math.sqrt(2.0 / d), Math.sqrt(2.0 / m)});
        }
        return out;
    }
}
