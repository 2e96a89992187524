package org.overparam.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code run}: instead of the JVM's shutdown (which stops Spark under
 * the running job and prints its stack traces), the first signal silences Spark's log, cancels the running
 * jobs and lets the command unwind to one line saying what is committed and how to continue; the exit
 * code is 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once. Installed for the time of one run,
 * the previous handlers restored after.
 */
final class Interruption implements AutoCloseable {
    private final AtomicReference<String> signal = new AtomicReference<>();
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Interruption() {
    }

    /** Handles SIGINT and SIGTERM for {@code spark}'s jobs until {@link #close()}. */
    static Interruption install(SparkSession spark, PrintStream err) {
        Interruption i = new Interruption();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal s = new Signal(name);
                i.previous.add(Signal.handle(s, sig -> i.onSignal(sig.getName(), spark, err)));
                i.installed.add(s);
            } catch (IllegalArgumentException e) {
                // The signal is not available here (or the JVM reserves it): the default applies.
            }
        }
        return i;
    }

    private void onSignal(String name, SparkSession spark, PrintStream err) {
        if (!signal.compareAndSet(null, name)) {
            err.println("overparam: interrupted again: exiting now (committed batches are safe; --resume continues)");
            err.flush();
            Runtime.getRuntime().halt(exitCode(name));
        }
        try {
            spark.sparkContext().setLogLevel("OFF");
            spark.sparkContext().cancelAllJobs();
        } catch (RuntimeException e) {
            // Spark is already stopping: the command unwinds all the same.
        }
    }

    /** Whether a signal arrived. */
    boolean happened() {
        return signal.get() != null;
    }

    /** The signal's name ({@code INT}, {@code TERM}), null when none arrived. */
    String signalName() {
        return signal.get();
    }

    /** 128 + the signal number: 130 for SIGINT, 143 for SIGTERM. */
    int exitCode() {
        return exitCode(signal.get());
    }

    private static int exitCode(String name) {
        return "TERM".equals(name) ? 143 : 130;
    }

    @Override
    public void close() {
        for (int k = 0; k < installed.size(); k++) {
            try {
                Signal.handle(installed.get(k), previous.get(k));
            } catch (IllegalArgumentException e) {
                // Leave it: the JVM is exiting.
            }
        }
    }
}
