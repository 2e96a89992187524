package org.overparam.sweep.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.report.ReportWriter;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.status.LockProbe;

/**
 * The routes of {@code overparam serve} over real HTTP (raw sockets, so a request path reaches the server
 * exactly as written, unnormalized) against the real server serving a real small sweep with its report:
 * the page, the JSON, the report's files; every way out of {@code DIR/report/} a 404 (dot segments plain,
 * percent-encoded and double-encoded, backslashes, absolute paths, NUL, the absolute request form, symlinks
 * pointing out, files of DIR beside the report); other methods 405; a foreign Host 403; and nothing in DIR
 * written by any of it.
 */
class SweepServerRoutesTest {
    private static final String SWEEP = """
            name: routes
            model: wn
            data: {kind: sphere, target: gaussian}
            grid:
              alpha: [1.0]
              m: [4, 16]
              n: [10]
              d: [6]
              eta: [0.5]
            seeds: 2
            train: {steps: 500, tolerance: 1.0e-4}
            thresholds: {delta: 0.25, bootstrap: 20}
            """;

    @TempDir
    static Path tmp;
    private static Path out;
    private static SparkSession spark;
    private static LiveStatus live;
    private static SweepServer server;
    private static Map<String, Long> before;

    @BeforeAll
    static void sweepReportServe() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        out = tmp.resolve("out");
        SparkTestSupport.run(spark, SparkTestSupport.plan(SWEEP), out, false, 512);
        new Aggregation(spark, out.toString()).run(new ThresholdSettings(0.25, 20));
        new ReportWriter(spark, out.toString()).write();
        // Ways out of the report folder that a careless server would follow.
        Path report = out.resolve("report");
        Files.createSymbolicLink(report.resolve("escape.png"), out.resolve("sweep.yaml"));
        Files.writeString(tmp.resolve("secret.md"), "outside the sweep");
        Files.createSymbolicLink(report.resolve("secret.md"), tmp.resolve("secret.md"));
        Files.createSymbolicLink(report.resolve("up.md"), Path.of("..", "sweep.yaml"));
        Files.writeString(report.resolve(".hidden.md"), "hidden");
        before = tree(out);
        live = new LiveStatus(spark.newSession(), out.toString(), new LockProbe(), 200);
        live.start();
        FileSystem fs = new org.apache.hadoop.fs.Path(out.toString()).getFileSystem(spark.sparkContext().hadoopConfiguration());
        server = SweepServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), live,
                new ReportFiles(fs, new org.apache.hadoop.fs.Path(out.toString())));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (live != null) {
            live.close();
        }
        spark.stop();
    }

    /** A response: status code, headers (lower-case names) and body. */
    record Response(int code, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code method target} exactly as given (no normalization, no encoding) and reads the whole response. */
    static Response request(String method, String target, String host) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream o = s.getOutputStream();
            o.write((method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            byte[] all = s.getInputStream().readAllBytes();
            int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String[] head = new String(all, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < head.length; i++) {
                int c = head[i].indexOf(':');
                headers.put(head[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT), head[i].substring(c + 1).trim());
            }
            byte[] body = Arrays.copyOfRange(all, split + 4, all.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, body);
        }
    }

    static Response get(String target) throws IOException {
        return request("GET", target, "127.0.0.1:" + server.address().getPort());
    }

    @Test
    void thePageIsSelfContainedAndShowsTheSweep() throws IOException {
        Response r = get("/");
        assertEquals(200, r.code());
        assertTrue(r.headers().get("content-type").startsWith("text/html"), r.headers().toString());
        assertTrue(r.headers().get("content-security-policy").contains("default-src 'none'"), r.headers().toString());
        String html = r.text();
        assertTrue(html.contains("\"sweep\":\"routes\""), "the current snapshot is inlined");
        assertFalse(html.contains("/*INITIAL_STATUS*/null"), "the placeholder was replaced");
        assertFalse(java.util.regex.Pattern.compile("(src|href)=\"(https?:)?//|url\\(|@import|https?://").matcher(html).find(),
                "nothing from the network at page load");
    }

    @Test
    void theJsonCountsTheCommittedTrials() throws IOException {
        Response r = get("/api/status");
        assertEquals(200, r.code());
        JsonNode j = new ObjectMapper().readTree(r.body());
        assertEquals(4, j.get("committed").asInt());
        assertEquals(4, j.get("planned").asInt());
        assertEquals("finished", j.get("state").asText());
        JsonNode st = j.get("statuses");
        assertEquals(4, st.path("converged").asInt(0) + st.path("censored").asInt(0) + st.path("stuck").asInt(0), st.toString());
        assertEquals(1, j.get("thresholds").size(), "one group, one n: " + j.get("thresholds"));
        assertTrue(j.get("thresholds").get(0).get("converged").asText().matches("4:[0-2]/2 16:[0-2]/2"), j.get("thresholds").toString());
        assertTrue(j.get("reportModified").isNumber(), "the report is there: " + j);
        assertTrue(j.get("figures").size() >= 1, "the m*(n) figure: " + j.get("figures"));
    }

    @Test
    void theReportsFilesAreServed() throws IOException {
        Response index = get("/report/index.html");
        assertEquals(200, index.code());
        assertArrayEquals(Files.readAllBytes(out.resolve("report/index.html")), index.body());
        try (Stream<Path> files = Files.list(out.resolve("report"))) {
            Path png = files.filter(f -> f.getFileName().toString().endsWith(".png") && !Files.isSymbolicLink(f)).findFirst().orElseThrow();
            Response r = get("/report/" + png.getFileName());
            assertEquals(200, r.code());
            assertEquals("image/png", r.headers().get("content-type"));
            assertArrayEquals(Files.readAllBytes(png), r.body());
        }
        assertEquals(200, get("/report/summary.md").code());
        assertEquals(200, request("HEAD", "/report/index.html", "localhost:" + server.address().getPort()).code());
    }

    @Test
    void everyPathOutOfTheReportIsNotFound() throws IOException {
        assertTrue(Files.isRegularFile(out.resolve("sweep.yaml")), "the target of the traversals exists");
        int port = server.address().getPort();
        List<String> targets = List.of(
                "/sweep.yaml", "/trials", "/report", "/report/", "/../sweep.yaml", "/report/../sweep.yaml",
                "/report/..%2fsweep.yaml", "/report/%2e%2e%2fsweep.yaml", "/report/%2e%2e/sweep.yaml", "/report/%2E%2E%2Fsweep.yaml",
                "/report/..%5csweep.yaml", "/report/..\\sweep.yaml", "/report/%252e%252e%252fsweep.yaml", "/report/%c0%ae%c0%ae%2fsweep.yaml",
                "/report//etc/passwd", "/report/%2fetc%2fpasswd", "//etc/passwd", "/report/%00index.html", "/report/index.html%00.png",
                "/report/index.html/", "/report/%", "/report/%zz", "/report/no-such.png", "/report/.hidden.md",
                "/report/escape.png", "/report/secret.md", "/report/up.md", "/report/./index.html",
                "/report/" + out.resolve("sweep.yaml"), "/report/file:" + out.resolve("sweep.yaml"),
                "http://127.0.0.1:" + port + "/report/../sweep.yaml", "/api/status/../../sweep.yaml", "/api", "/index.html");
        List<String> served = new ArrayList<>();
        for (String t : targets) {
            Response r = get(t);
            if (r.code() != 404 && r.code() != 400) {
                served.add(t + " -> " + r.code());
            }
            assertFalse(r.text().contains("name: routes") || r.text().contains("outside the sweep"), t + " leaked a file");
        }
        assertEquals(List.of(), served, "answered other than 404/400");
        assertEquals(404, get("/report/escape.png").code(), "a symlink out of the report");
        assertEquals(404, get("/report/secret.md").code(), "a symlink out of DIR");
    }

    @Test
    void onlyReadsAreAnsweredAndOnlyToLoopbackNames() throws IOException {
        int port = server.address().getPort();
        for (String m : List.of("POST", "PUT", "DELETE")) {
            Response r = request(m, "/report/index.html", "127.0.0.1:" + port);
            assertEquals(405, r.code(), m);
            assertEquals("GET, HEAD", r.headers().get("allow"));
        }
        assertEquals(403, request("GET", "/api/status", "attacker.example:" + port).code(), "DNS rebinding");
        assertEquals(200, request("GET", "/api/status", "localhost:" + port).code());
        assertEquals(200, request("GET", "/api/status", "[::1]:" + port).code());
    }

    @Test
    void servingWritesNothingIntoTheSweepFolder() throws Exception {
        for (int i = 0; i < 3; i++) {
            get("/");
            get("/api/status");
            get("/report/index.html");
        }
        long polls = live.refreshes();
        for (int waited = 0; live.refreshes() < polls + 3 && waited < 100; waited++) {
            Thread.sleep(100);
        }
        assertTrue(live.refreshes() >= polls + 3, "the poller ran meanwhile");
        assertEquals(before, tree(out));
    }

    /** Every path under {@code dir} with its size and modification time. */
    private static Map<String, Long> tree(Path dir) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                m.put(dir.relativize(p) + "@" + Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis(),
                        Files.isDirectory(p) ? -1 : Files.size(p));
            }
        }
        return m;
    }

    private static int indexOf(byte[] a, byte[] b) {
        for (int i = 0; i + b.length <= a.length; i++) {
            if (Arrays.equals(a, i, i + b.length, b, 0, b.length)) {
                return i;
            }
        }
        throw new IllegalStateException("no end of headers in " + new String(a, StandardCharsets.ISO_8859_1));
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(body);
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            if (size == 0) {
                return outBytes.toByteArray();
            }
            outBytes.write(in.readNBytes(size));
            in.read();
            in.read();
        }
    }
}
