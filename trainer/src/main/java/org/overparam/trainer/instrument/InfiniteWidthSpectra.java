package org.overparam.trainer.instrument;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.ntk.InfiniteWidthKernels;
import org.overparam.trainer.ntk.Spectrum;
import org.overparam.trainer.ntk.SymmetricEigen;

/** The extreme eigenvalues of {@code H∞, V∞, G∞} of one data set: {@code λ0 = λmin(V∞)}, {@code μ0 = λmin(G∞)}. */
public record InfiniteWidthSpectra(Spectrum h, Spectrum v, Spectrum g) {

    public static InfiniteWidthSpectra of(Dataset data, RowMajorBlas blas, SymmetricEigen eigen) {
        InfiniteWidthKernels k = InfiniteWidthKernels.of(data, blas);
        return new InfiniteWidthSpectra(eigen.extremes(k.h()), eigen.extremes(k.v()), eigen.extremes(k.g()));
    }
}
