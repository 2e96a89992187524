package org.overparam.trainer.bench;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.LinearAlgebra;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.ntk.GramMatrices;
import org.overparam.trainer.ntk.Spectrum;
import org.overparam.trainer.ntk.SymmetricEigen;

/**
 * The kernel instruments as a trial computes them at initialization ({@code TrialInstruments}): the
 * pre-activations, {@code H, V, G, Λ} by {@link GramMatrices} (four {@code dsyrk} products of
 * {@code n×m} buffers) and the extreme eigenvalues of all four by {@link SymmetricEigen}. Registered in
 * {@code META-INF/services} so that {@link WnStepBenchmark} times it.
 *
 * <p>Trials use {@link SymmetricEigen#reproducible()} (this JVM's LAPACK: the bundled OpenBLAS, or Java where
 * it cannot load); so does this benchmark by default. {@code -Doverparam.bench.eigen=java} times the pure-Java
 * fallback instead (what a machine without the natives runs).
 */
public final class KernelInstrumentBenchmark implements InstrumentBenchmark {
    /** System property choosing the LAPACK: {@code reproducible} (default) or {@code java}. */
    public static final String EIGEN_PROPERTY = "overparam.bench.eigen";

    private final SymmetricEigen eigen;
    private final RowMajorBlas blas;

    /** The service-loader constructor: best BLAS, LAPACK from {@value #EIGEN_PROPERTY}. */
    public KernelInstrumentBenchmark() {
        this(eigenFromProperty(System.getProperty(EIGEN_PROPERTY, "reproducible")), RowMajorBlas.best());
    }

    public KernelInstrumentBenchmark(SymmetricEigen eigen, RowMajorBlas blas) {
        this.eigen = eigen;
        this.blas = blas;
    }

    static SymmetricEigen eigenFromProperty(String value) {
        return switch (value) {
            case "reproducible" -> SymmetricEigen.reproducible();
            case "java" -> SymmetricEigen.of(LinearAlgebra.java().lapack());
            default -> throw new IllegalArgumentException(
                    EIGEN_PROPERTY + " must be reproducible or java, got '" + value + "'");
        };
    }

    @Override
    public String description() {
        return "u=XVt, H,V,G,Lambda by 4 dsyrk, 4x dsyevd (" + eigen.implementation() + ")";
    }

    @Override
    public double[] evaluate(Dataset data, InitialDraws init, double alpha, WeightNormNet net) {
        GramMatrices grams = new GramMatrices(data, blas);
        GramMatrices.WeightNormKernels k = grams.weightNorm(net.preActivations(), net.directionNorms(), net.gains(), alpha);
        Spectrum h = eigen.extremes(k.h());
        Spectrum v = eigen.extremes(k.v());
        Spectrum g = eigen.extremes(k.g());
        Spectrum lambda = eigen.extremes(k.lambda());
        return new double[] {h.min(), h.max(), v.min(), v.max(), g.min(), g.max(), lambda.min(), lambda.max()};
    }
}
