package org.overparam.trainer.models;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.StepObserver;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.InfiniteWidthSpectra;
import org.overparam.trainer.instrument.TrialInstruments;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.trial.MemoryEstimate;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The two-layer ReLU models of theory.md §1–2 ({@code relu}, {@code wn}): full-batch GD with
 * {@link StopRule}, the kernel, movement and flip instruments of {@link TrialInstruments}, trained by the
 * CUDA kernels too. Subclasses say only how the net is made from the initial draws.
 */
public abstract class TwoLayerReluModel implements TrialModel {
    private static final List<TrialMetric> METRICS =
            List.copyOf(EnumSet.range(TrialMetric.LAMBDA_MIN_H0, TrialMetric.NORM_GROWTH_ERR));

    /** The registered two-layer ReLU model of {@code kind}; throws for the other models. */
    public static TwoLayerReluModel of(ModelKind kind) {
        if (TrialModels.of(kind) instanceof TwoLayerReluModel model) {
            return model;
        }
        throw new IllegalArgumentException("this makes relu and wn nets, not " + kind.key());
    }

    /** The net of {@code spec} on {@code data} from the initial draws {@code init}. */
    protected abstract TwoLayerReluNet build(TrialSpec spec, Dataset data, InitialDraws init, RowMajorBlas blas);

    /** The net of {@code spec} on {@code data}, initialized from the spec's seed. */
    public final TwoLayerReluNet net(TrialSpec spec, Dataset data, RowMajorBlas blas) {
        return build(spec, data, InitialDraws.draw(spec.seed(), spec.m(), spec.d()), blas);
    }

    /** MSE, and the squared hinge for labels ±1 and one output (theory.md §8). */
    @Override
    public List<Loss> losses() {
        return List.of(Loss.MSE, Loss.SQUARED_HINGE);
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

    /** {@code 4 n d m}: two matrix products of {@code 2 n d m} each. */
    @Override
    public double flopsPerStep(TrialSpec spec) {
        return 4.0 * ((double) spec.n() * spec.d() * spec.m());
    }

    @Override
    public List<TrialMetric> trialMetrics() {
        return METRICS;
    }

    @Override
    public List<CurveMetric> curveMetrics() {
        return TrialInstruments.CURVE_METRICS;
    }

    @Override
    public boolean trainedByCudaKernels() {
        return true;
    }

    /** Against the JVM's maximum heap ({@link MemoryEstimate}). */
    @Override
    public void requireMemory(TrialSpec spec) {
        MemoryEstimate.of(spec).requireFits(Runtime.getRuntime().maxMemory());
    }

    @Override
    public ModelTraining start(TrialSpec spec, DataSource source, TrialContext context) {
        Dataset data = source.load(spec.n(), spec.d());
        TwoLayerReluNet net = net(spec, data, context.blas());
        InfiniteWidthSpectra infinite = spec.instruments().kernels() ? context.infiniteWidthSpectra(spec, data) : null;
        TrialInstruments instruments = new TrialInstruments(net, spec.model(), spec.alpha(), spec.stepSize(),
                spec.steps(), spec.instruments(), infinite, context.blas(), context.eigen());
        return new Training(spec, net, instruments);
    }

    /**
     * GD on the net with its instruments; the curve adds the instruments' traced steps. The {@code unfitted}
     * count is taken wherever the net is observed (the log-spaced steps, the instruments' steps, the end).
     */
    private static final class Training implements PackableTraining {
        private final TrialSpec spec;
        private final TwoLayerReluNet net;
        private final TrialInstruments instruments;
        private final UnfittedTrace unfitted = new UnfittedTrace();

        Training(TrialSpec spec, TwoLayerReluNet net, TrialInstruments instruments) {
            this.spec = spec;
            this.net = net;
            this.instruments = instruments;
        }

        @Override
        public TrainingRun train(Deadline deadline) {
            return descent().run(net, observer(), deadline);
        }

        @Override
        public TwoLayerReluNet net() {
            return net;
        }

        @Override
        public GradientDescent.Steps start(Deadline deadline) {
            return descent().start(net, observer(), deadline);
        }

        private GradientDescent descent() {
            return new GradientDescent(spec.stepSize(), ModelTraining.stopRule(spec));
        }

        private StepObserver observer() {
            int[] logSteps = LogSpacedSteps.upTo(spec.steps());
            return new StepObserver() {
                @Override
                public boolean wants(int step) {
                    return instruments.wants(step) || Arrays.binarySearch(logSteps, step) >= 0;
                }

                @Override
                public void observe(int step, double loss) {
                    if (instruments.wants(step)) {
                        instruments.observe(step, loss);
                    }
                    count(step, loss);
                }

                @Override
                public void finish(int step, double loss) {
                    instruments.finish(step, loss);
                    count(step, loss);
                }
            };
        }

        private void count(int step, double loss) {
            unfitted.record(step, loss, loss0 -> Unfitted.count(net.loss(), net.outputs(), net.data().y(), spec.n(), 1,
                    spec.tolerance(), loss0));
        }

        @Override
        public int[] curveSteps(TrainingRun run) {
            TreeSet<Integer> steps = new TreeSet<>();
            for (int s : LogSpacedSteps.upTo(run.steps())) {
                steps.add(s);
            }
            for (int s : instruments.tracedSteps()) {
                steps.add(s);
            }
            return steps.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public Map<TrialMetric, Double> metrics(TrainingRun run) {
            return instruments.metrics();
        }

        @Override
        public Map<CurveMetric, double[]> curveMetrics(int[] steps) {
            return instruments.curveMetrics(steps);
        }

        @Override
        public Evidence evidence(TrainingRun run) {
            double loss = net.forward();
            int count = Unfitted.count(net.loss(), net.outputs(), net.data().y(), spec.n(), 1, spec.tolerance(),
                    run.initialLoss());
            return new Evidence(Unfitted.plRatio(net.gradient(), loss), count);
        }

        @Override
        public int[] curveUnfitted(int[] steps) {
            return unfitted.at(steps);
        }
    }
}
