package org.overparam.sweep.analysis;

import java.util.List;
import org.overparam.sweep.threshold.GoodnessOfFit;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;

/**
 * Where a fit group's thresholds are not one power law in n, the widest run of consecutive n (three at least)
 * over which they are: the joint model fitted to the outcomes of those n only and not rejected by the power-law
 * test ({@link GoodnessOfFit}). Its exponent is a local one, reported beside the rejected global fit — what the
 * data support, not a law over the whole range.
 *
 * @param fit  the joint fit over {@code nMin..nMax}, with p's profile interval
 * @param nMin the smallest n of the run
 * @param nMax the largest
 */
record LocalLaw(ThresholdFit fit, int nMin, int nMax) {
    /** The widest such run (the one of smaller n among equally wide ones), or null when none has three n. */
    static LocalLaw of(List<Outcome> outcomes) {
        int[] ns = outcomes.stream().mapToInt(Outcome::n).distinct().sorted().toArray();
        ThresholdFitter fitter = new ThresholdFitter();
        for (int width = ns.length - 1; width >= 3; width--) {
            for (int from = 0; from + width <= ns.length; from++) {
                int lo = ns[from];
                int hi = ns[from + width - 1];
                List<Outcome> part = outcomes.stream().filter(o -> o.n() >= lo && o.n() <= hi).toList();
                long successes = part.stream().filter(Outcome::success).count();
                if (successes == 0 || successes == part.size()) {
                    continue;
                }
                try {
                    ThresholdFit fit = fitter.fit(part);
                    GoodnessOfFit gof = GoodnessOfFit.of(fit, part);
                    if (!gof.misfit()) {
                        return new LocalLaw(fitter.withProfile(fit, part), lo, hi);
                    }
                } catch (RuntimeException e) {
                    // no fit on this run: try the next
                }
            }
        }
        return null;
    }
}
