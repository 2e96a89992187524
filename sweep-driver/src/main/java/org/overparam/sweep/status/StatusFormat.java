package org.overparam.sweep.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.sweep.run.ProgressLine;

/** The text {@code overparam status} prints for a {@link SweepStatus.Report}. */
public final class StatusFormat {
    private StatusFormat() {
    }

    public static String format(SweepStatus.Report r) {
        StringBuilder b = new StringBuilder();
        String state = r.finished() ? "finished"
                : switch (r.writer().state()) {
                    case WRITING -> "running";
                    case NOT_WRITING -> "stopped (continue it with: overparam run CONFIG --out DIR --resume)";
                    case UNKNOWN -> "not finished: running, or stopped (then: overparam run CONFIG --out DIR --resume)";
                };
        b.append(String.format(Locale.ROOT, "sweep %s in %s: %s%n", r.sweep(), r.dir(), state));
        if (r.search()) {
            b.append(String.format(Locale.ROOT, "  width search: %,d trials committed over %d stage(s)%s%n",
                    r.committed(), r.lastStage(), r.planned() > 0 ? String.format(Locale.ROOT, "; stage 1 plans %,d", r.planned())
                            : " (adaptive: each stage is planned from the outcomes before it)"));
        } else {
            b.append(String.format(Locale.ROOT, "  trials committed: %,d / %,d planned (%.0f%%)%n", r.committed(), r.planned(),
                    100.0 * r.committed() / Math.max(1, r.planned())));
        }
        List<String> parts = new ArrayList<>();
        r.statuses().forEach((k, v) -> parts.add(k + " " + v));
        b.append("  by status: ").append(parts.isEmpty() ? "none yet" : String.join(", ", parts)).append('\n');
        b.append("  elapsed ").append(ProgressLine.clock(r.elapsedS())).append(" (manifest to last commit");
        b.append(r.writer().state() == WriterProbe.Writer.State.WRITING ? ", to now" : "").append("); last commit ")
                .append(ProgressLine.clock(r.sinceLastS())).append(" ago\n");
        if (!r.finished()) {
            b.append("  ETA ").append(Double.isNaN(r.etaS()) ? (r.search() && r.planned() == 0 ? "unknown (an adaptive search stops when its fits are precise enough)" : "unknown (no batch committed yet)")
                    : ProgressLine.clock(r.etaS()) + " of running time (cost model, calibrated on the committed trials"
                    + (r.search() ? "; a search's later stages estimated from its open brackets" : "") + ")").append('\n');
        }
        b.append("  writer: ").append(r.writer().state().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .append(" (").append(r.writer().detail()).append(")\n");
        if (!r.groups().isEmpty()) {
            b.append("  brackets (tested width: converged/seeds):\n");
            for (SweepStatus.Group g : r.groups()) {
                var br = g.bracket();
                String bracket = br.isBracketed() ? "(" + br.failing() + ", " + br.succeeding() + "]"
                        : br.succeeding() != null ? "≤ " + br.succeeding() : "> " + br.largest();
                b.append(String.format(Locale.ROOT, "    %-28s m* in %-12s %s%s%n", g.label(), bracket,
                        g.open() ? "open, ~" + g.stagesLeft() + " stage(s) left" : "done", ""));
                List<String> w = new ArrayList<>();
                g.converged().forEach((m, c) -> w.add(m + ":" + c));
                b.append("      ").append(String.join(" ", w)).append('\n');
            }
        }
        return b.toString();
    }
}
