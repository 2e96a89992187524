package org.overparam.cli;

import java.io.PrintStream;
import picocli.CommandLine;

/**
 * Turns any failure of a command into one line on stderr: what failed and where ({@link Fault}), then what is
 * safe and the way on ({@link FaultContext}, from the command), and an exit code per class ({@link FaultKind}).
 * The stack trace goes to the log file ({@link FaultLog}) and, with {@code --verbose}, to stderr before the line.
 */
final class FaultHandler implements CommandLine.IExecutionExceptionHandler {
    private final OverparamCli cli;

    FaultHandler(OverparamCli cli) {
        this.cli = cli;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        return handle(e, command);
    }

    /** Reports {@code t}, thrown by {@code command}, and returns the exit code. */
    int handle(Throwable t, CommandLine command) {
        PrintStream err = System.err;
        Object user = command.getCommand();
        FaultContext context = user instanceof FaultContext c ? c : null;
        Fault fault = Fault.classify(t);
        if (fault.kind() == FaultKind.FAILED && context != null && context.outputDir() != null && OutputState.gone(context.outputDir())) {
            fault = fault.as(FaultKind.STORE_LOST);
        }
        String line = context != null ? context.line(fault) : fault.headline();
        java.nio.file.Path log = FaultLog.append(t, line);
        if (cli.verbose) {
            t.printStackTrace(err);
        }
        err.println("overparam: " + line + (log == null ? " (--verbose prints the details)"
                : " (details: " + log + (cli.verbose ? ")" : "; --verbose prints them)")));
        err.flush();
        return context != null ? context.exitCode(fault) : fault.kind().exitCode();
    }

    /** The command a parse result ends in (a subcommand's, or the top one). */
    static CommandLine last(CommandLine top) {
        CommandLine.ParseResult parsed = top.getParseResult();
        if (parsed == null) {
            return top;
        }
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed.commandSpec().commandLine();
    }
}
