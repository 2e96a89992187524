package org.overparam.cli;

import java.util.concurrent.Callable;
import org.overparam.sweep.run.CodeVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code overparam} command: {@code run} a sweep, {@code validate} a config, {@code aggregate} and
 * {@code report} an output. The same main class serves {@code scripts/overparam} (local) and
 * {@code spark-submit} (cluster). Exit codes: 0 success, 1 a failure while running, 2 bad input
 * (config, options, output folder), 3–8 the classes of {@link FaultKind} (each failure is one line, {@link
 * FaultHandler}), 130/143 interrupted.
 */
@Command(name = "overparam", mixinStandardHelpOptions = true, versionProvider = OverparamCli.Version.class,
        description = "Measures how wide a network must be for gradient descent to reach zero training loss.",
        subcommands = {RunCommand.class, ValidateCommand.class, AggregateCommand.class, ReportCommand.class, StatusCommand.class, ServeCommand.class, GpusCommand.class,
            VerifyCommand.class, CompactCommand.class,
            CommandLine.HelpCommand.class})
public final class OverparamCli implements Callable<Integer> {
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the stack trace before the one-line message (it always goes to the log file named there).")
    boolean verbose;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return BAD_INPUT;
    }

    /** Runs the command line and returns its exit code (used by tests and {@link #main}). */
    public static int execute(String... args) {
        OverparamCli cli = new OverparamCli();
        FaultHandler faults = new FaultHandler(cli);
        CommandLine line = new CommandLine(cli)
                .setParameterExceptionHandler(OverparamCli::badOption)
                .setExecutionExceptionHandler(faults);
        try {
            return line.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an OutOfMemoryError on the driver is a fault like the others.
            return faults.handle(e, FaultHandler.last(line));
        }
    }

    /** A bad option or argument: one line naming it, as for a bad config, instead of the whole usage. */
    private static int badOption(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("overparam: " + e.getMessage().replaceAll("\\s*\\R\\s*", " ").trim()
                + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"overparam " + CodeVersion.get()};
        }
    }
}
