package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.run.SparkTestSupport;
import sun.misc.Signal;

/**
 * {@code overparam serve} on the command line: bad options and a folder that is no sweep are one line and exit 2;
 * a real sweep is served on a free port (printed), a non-loopback {@code --host} is warned about, and SIGINT
 * (raised in this JVM, where serve's handler catches it) stops it cleanly with exit 0.
 */
class ServeCommandTest {
    private static final Pattern URL = Pattern.compile("serving .* at (http://\\S+/) \\(read-only; Ctrl-C stops\\)");

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private String stderr() {
        return console.stderr().toString(StandardCharsets.UTF_8);
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        assertEquals(2, OverparamCli.execute("serve", tmp.toString(), "--port", "70000"));
        assertEquals("overparam: --port: must be in 0..65535, got 70000\n", stderr());
        console.stderr().reset();
        assertEquals(2, OverparamCli.execute("serve", tmp.toString(), "--poll", "0"));
        assertEquals("overparam: --poll: must be in 0.1..3600 seconds, got 0.0\n", stderr());
        console.stderr().reset();
        assertEquals(2, OverparamCli.execute("serve", tmp.toString(), "--host", "no-such-host.invalid"));
        assertEquals("overparam: --host: cannot resolve no-such-host.invalid\n", stderr());
    }

    @Test
    void aFolderThatIsNoSweepIsRefused() {
        assertEquals(2, OverparamCli.execute("serve", tmp.toString(), "--port", "0"));
        assertTrue(stderr().startsWith("overparam: DIR: " + tmp + " is not a sweep output"), stderr());
        assertEquals(1, stderr().lines().filter(l -> l.startsWith("overparam")).count(), stderr());
    }

    @Test
    void servesAFreePortWarnsOfANonLoopbackHostAndStopsOnSigint() throws Exception {
        Path out = tmp.resolve("out");
        SparkSession spark = SparkTestSupport.session("local[1]");
        try {
            SparkTestSupport.run(spark, SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP.replace("seeds: 2", "seeds: 1")
                    .replace("model: [relu, wn]", "model: wn")), out, false, 512);
        } finally {
            spark.stop();
        }
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(
                () -> OverparamCli.execute("serve", out.toString(), "--port", "0", "--host", "0.0.0.0", "--poll", "0.5"));
        Matcher m = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && !serve.isDone()) {
            m = URL.matcher(console.stdout().toString(StandardCharsets.UTF_8));
            if (m.find()) {
                break;
            }
            m = null;
            Thread.sleep(100);
        }
        assertTrue(m != null, "printed its URL: " + console.stdout() + stderr());
        try {
            int port = URI.create(m.group(1)).getPort();
            assertTrue(port > 0);
            assertTrue(stderr().contains("overparam: warning: --host 0.0.0.0 is not a loopback address"), stderr());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(8, new ObjectMapper().readTree(r.body()).get("committed").asInt(), "wn: 2 α × 2 m × 2 η × 1 seed");
        } finally {
            // serve's handler is installed before it prints its URL: the signal stops it, not this JVM.
            Signal.raise(new Signal("INT"));
        }
        assertEquals(0, serve.get(120, TimeUnit.SECONDS));
        assertTrue(console.stdout().toString(StandardCharsets.UTF_8).contains("overparam serve: stopped"));
    }
}
