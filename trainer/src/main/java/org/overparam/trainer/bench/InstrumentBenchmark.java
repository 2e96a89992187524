package org.overparam.trainer.bench;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * The kernel instruments (theory.md §2 and §6: the Gram matrices {@code H}, {@code V}, {@code G},
 * {@code Λ = V/α² + G} of a {@code wn} net and their extreme eigenvalues) as {@link WnStepBenchmark}
 * times them, at {@code n = 1000, d = 100, m = 16384} by default. The implementation is found through
 * {@code META-INF/services/org.overparam.trainer.bench.InstrumentBenchmark}
 * ({@link KernelInstrumentBenchmark}); {@code scripts/bench-cpu.sh} prints its {@code instruments …}
 * line against numpy and PyTorch ({@code scripts/bench_cpu.py}, function {@code instruments_numpy}).
 */
public interface InstrumentBenchmark {

    /** What one evaluation computes, for the report (e.g. "H,V,G,Λ products + eigvalsh"). */
    String description();

    /**
     * Computes the instruments once at the net's current parameters (the net has been built from
     * {@code data}, {@code init} and {@code alpha}, and {@code forward()} has run).
     *
     * @return {@code {λmin(H), λmax(H), λmin(V), λmax(V), λmin(G), λmax(G), λmin(Λ), λmax(Λ)}}, which
     *     the bench compares with numpy's
     */
    double[] evaluate(Dataset data, InitialDraws init, double alpha, WeightNormNet net);
}
