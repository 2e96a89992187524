package org.overparam.sweep.grid;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.overparam.sweep.config.SweepConfig;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.trial.TrialSpec;

/**
 * A config made runnable: its data source (a file already read) and every trial, in grid order. For a
 * width search ({@code search:}) the trials are those of its first stage, the coarse widths.
 *
 * @param fingerprint hash of the sorted trial ids (and of a width search's settings): two configs with
 *                    the same fingerprint run the same trials
 */
public record SweepPlan(SweepConfig config, DataSource data, List<TrialSpec> trials, String fingerprint) {
    public SweepPlan {
        trials = List.copyOf(trials);
    }

    /** The fingerprint of a list of trials: SHA-256 over their sorted ids. */
    public static String fingerprintOf(List<TrialSpec> trials) {
        return fingerprintOf(trials, "");
    }

    /**
     * The fingerprint of a list of trials and a text that changes what runs besides them (a width
     * search's settings: its later stages are not in the list); an empty text adds nothing.
     */
    public static String fingerprintOf(List<TrialSpec> trials, String extra) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            trials.stream().map(TrialSpec::id).sorted().forEach(id -> md.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
            md.update(extra.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
