package org.overparam.cli;

/**
 * The failure lines of {@code run} ({@link FaultContext}): while trials run, what is committed and intact and the
 * exact command that continues; once every trial is committed, that the sweep is complete and how to redraw the
 * report (exit {@link FaultKind#REPORT_FAILED}).
 */
final class RunFaults {
    private RunFaults() {
    }

    /**
     * @param dir       the output folder (null: the run failed before it had one)
     * @param planned   the trials the plan lists (a grid), or -1 (a width search plans stage by stage)
     * @param reporting whether every trial was committed and the aggregation or report was running
     * @param resume    the command that continues the sweep
     */
    static String line(Fault fault, String dir, int planned, boolean reporting, String resume) {
        if (dir == null) {
            return fault.headline();
        }
        String committed = OutputState.committed(dir, planned);
        if (reporting) {
            return "the sweep is complete (" + committed + "), but its report failed: " + fault.headline() + "; "
                    + fault.kind().remedy() + "redraw it with: " + launcher() + " report " + dir;
        }
        return fault.headline() + ": " + committed + "; " + fault.kind().remedy() + "continue with: " + resume;
    }

    /** The line of a command that only reads a sweep ({@code aggregate}, {@code report}, {@code status}, {@code verify}). */
    static String readerLine(Fault fault, String dir, String again) {
        return readerLine(fault, dir, again, " (this command only reads them)");
    }

    /** As {@link #readerLine(Fault, String, String)}, with {@code note} on what the command did to the tables. */
    static String readerLine(Fault fault, String dir, String again, String note) {
        if (dir == null) {
            return fault.headline();
        }
        String committed = OutputState.committed(dir, -1);
        if (fault.kind() == FaultKind.DAMAGED) {
            return fault.headline() + "; " + committed + "; " + launcher() + " run CONFIG --out " + dir
                    + " --resume quarantines the damaged batches and reruns their trials, or add --skip-damaged to go without them";
        }
        return fault.headline() + ": " + committed + note + "; " + fault.kind().remedy() + "run again: " + again;
    }

    /** How the user started overparam (scripts/overparam sets it), for the commands we print. */
    static String launcher() {
        return System.getProperty("overparam.launcher", "overparam");
    }
}
