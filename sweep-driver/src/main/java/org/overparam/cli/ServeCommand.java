package org.overparam.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.serve.LiveStatus;
import org.overparam.sweep.serve.ReportFiles;
import org.overparam.sweep.serve.SweepServer;
import org.overparam.sweep.status.LockProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code overparam serve DIR}: a local web page for a running or finished sweep ({@link SweepServer},
 * {@link LiveStatus}), until Ctrl-C (SIGINT) or SIGTERM. Binds 127.0.0.1 unless {@code --host} says otherwise,
 * and then warns. Reads the committed rows and the report; writes nothing into DIR.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a live page of a running or finished sweep: trials by status, progress, ETA, brackets or fits, "
                + "thresholds, the report's figures. Read-only; Ctrl-C stops it.")
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output folder (any Hadoop path; the report's figures from a local one).")
    String dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8040",
            description = "TCP port; 0 picks a free one (printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind. Default: ${DEFAULT-VALUE} (this machine only); any other is reachable by others and warned about.")
    String host;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "2",
            description = "How often DIR is checked for new commits. Default: ${DEFAULT-VALUE}.")
    double poll;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for reading the tables. Default: local[1].")
    String master;

    /** Counted down by SIGINT or SIGTERM. */
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws IOException {
        if (port < 0 || port > 65535) {
            return bad("--port", "must be in 0..65535, got " + port);
        }
        if (!(poll >= 0.1 && poll <= 3600)) {
            return bad("--poll", "must be in 0.1..3600 seconds, got " + poll);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return bad("--host", "cannot resolve " + host);
        }
        SparkConf conf = new SparkConf().setAppName("overparam serve").set("spark.ui.enabled", "false")
                .setIfMissing("spark.sql.shuffle.partitions", "4");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[1]");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try (LiveStatus live = new LiveStatus(spark, dir, new LockProbe(), Math.round(poll * 1000))) {
            try {
                live.start();
            } catch (ConfigException e) {
                System.err.println("overparam: " + e.getMessage());
                return OverparamCli.BAD_INPUT;
            }
            Path root = new Path(dir);
            ReportFiles files = new ReportFiles(root.getFileSystem(spark.sparkContext().hadoopConfiguration()), root);
            SweepServer server;
            try {
                server = SweepServer.start(new InetSocketAddress(address, port), live, files);
            } catch (BindException e) {
                return bad(port == 0 ? "--host" : "--port", "cannot bind " + host + ":" + port + " (" + e.getMessage() + ")");
            }
            try (server) {
                installSignals();
                if (!address.isLoopbackAddress()) {
                    System.err.println("overparam: warning: --host " + host + " is not a loopback address: whoever can reach this machine"
                            + " on port " + server.address().getPort() + " can read this sweep's status and report");
                }
                System.out.println("serving " + dir + " at " + server.url() + " (read-only; Ctrl-C stops)");
                System.out.flush();
                stop.await();
                System.out.println("overparam serve: stopped");
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        } finally {
            restoreSignals();
            spark.stop();
        }
    }

    private final java.util.List<Signal> installed = new java.util.ArrayList<>();
    private final java.util.List<sun.misc.SignalHandler> previous = new java.util.ArrayList<>();

    /** SIGINT and SIGTERM stop the server cleanly (the previous handlers are put back after). */
    private void installSignals() {
        for (String name : java.util.List.of("INT", "TERM")) {
            try {
                Signal s = new Signal(name);
                previous.add(Signal.handle(s, sig -> stop.countDown()));
                installed.add(s);
            } catch (IllegalArgumentException e) {
                // Not available here: the JVM's default applies.
            }
        }
    }

    private void restoreSignals() {
        for (int k = 0; k < installed.size(); k++) {
            Signal.handle(installed.get(k), previous.get(k));
        }
        installed.clear();
        previous.clear();
    }

    private static int bad(String option, String message) {
        System.err.println("overparam: " + option + ": " + message);
        return OverparamCli.BAD_INPUT;
    }
}
