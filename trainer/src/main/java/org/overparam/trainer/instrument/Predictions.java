package org.overparam.trainer.instrument;

import java.util.Map;
import org.overparam.trainer.trial.ModelKind;

/**
 * The theorems' predictions for one trial, with every hidden constant set to 1 (theory.md §1–2):
 * <pre>
 *   rate_pred_v  = η λ0/(2α²)                               Thm 4.1 (α ≤ 1), λ0 = λmin(V∞)
 *   rate_pred_g  = η μ0/2                                   Thm 4.2 (α ≥ 1), μ0 = λmin(G∞)
 *   rate_pred_h  = η λmin(H∞)/2                              Du et al.
 *   width_pred_v = n⁴ ln(n/δ)/λ0⁴                            Thm 4.1
 *   width_pred_g = max{n⁴ ln(n/δ)/(α⁴ μ0⁴), n² ln(n/δ)/μ0²}  Thm 4.2
 *   width_pred_h = n⁶/(λmin(H∞)⁴ δ³)                          Du et al.
 *   eta_max_v    = α²/‖V∞‖                                   Thm 4.1's step-size condition
 * </pre>
 * Rates are per step, on the loss {@code ½‖f − y‖²}, comparable with the fitted {@code rate}.
 */
public final class Predictions {
    private Predictions() {
    }

    /** Puts the predictions of {@code model} into {@code out}; wn-only ones are skipped for relu. */
    public static void put(ModelKind model, Double alpha, int n, double eta, double delta,
                           InfiniteWidthSpectra inf, Map<TrialMetric, Double> out) {
        double lnTerm = Math.log(n / delta);
        double lambdaH = inf.h().min();
        out.put(TrialMetric.RATE_PRED_H, eta * lambdaH / 2);
        out.put(TrialMetric.WIDTH_PRED_H, Math.pow(n, 6) / (Math.pow(lambdaH, 4) * Math.pow(delta, 3)));
        if (model == ModelKind.WN) {
            double a = alpha;
            double lambda0 = inf.v().min();
            double mu0 = inf.g().min();
            out.put(TrialMetric.RATE_PRED_V, eta * lambda0 / (2 * a * a));
            out.put(TrialMetric.RATE_PRED_G, eta * mu0 / 2);
            out.put(TrialMetric.WIDTH_PRED_V, Math.pow(n, 4) * lnTerm / Math.pow(lambda0, 4));
            out.put(TrialMetric.WIDTH_PRED_G, Math.max(Math.pow(n, 4) * lnTerm / (Math.pow(a, 4) * Math.pow(mu0, 4)),
                    (double) n * n * lnTerm / (mu0 * mu0)));
            out.put(TrialMetric.ETA_MAX_V, a * a / inf.v().max());
        }
    }
}
