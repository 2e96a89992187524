package org.overparam.trainer.models;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.instrument.InfiniteWidthSpectra;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.trial.TrialSpec;

/** What a model trains with: the runner's numerics and its cache of data-only quantities. */
public interface TrialContext {
    RowMajorBlas blas();

    SymmetricEigen eigen();

    /** The infinite-width spectra of the data of {@code spec} (they depend on the data only, so are cached). */
    InfiniteWidthSpectra infiniteWidthSpectra(TrialSpec spec, Dataset data);
}
