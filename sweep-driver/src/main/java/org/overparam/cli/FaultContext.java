package org.overparam.cli;

/**
 * What a command knows that makes its failure line useful: which output folder it worked on, what of it is safe,
 * and the command that goes on. {@link FaultHandler} asks the failed command, when it implements this.
 */
interface FaultContext {
    /** The output folder the command worked on, or null before it knew. */
    String outputDir();

    /**
     * The line after "overparam: ": the fault's headline, what is safe and the way on, e.g. "no space left on
     * device writing out/q/_staging/…: 80 of 176 trials committed and intact in out/q; free space and continue
     * with: overparam run … --resume".
     */
    String line(Fault fault);

    /** The exit code; by default the fault's class's. */
    default int exitCode(Fault fault) {
        return fault.kind().exitCode();
    }
}
