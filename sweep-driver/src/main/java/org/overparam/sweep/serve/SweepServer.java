package org.overparam.sweep.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of {@code overparam serve} (the JDK's {@code com.sun.net.httpserver}): read-only, GET and HEAD
 * only, three kinds of route and nothing else.
 * <ul>
 *   <li>{@code /} — the live page: one self-contained HTML file (inline CSS and script, nothing fetched from
 *       elsewhere), with the current snapshot inlined so it shows the sweep before its first poll;</li>
 *   <li>{@code /api/status} — the snapshot as JSON ({@link LiveStatus}), which the page polls;</li>
 *   <li>{@code /report/NAME} — a file directly in {@code DIR/report/}, as {@link ReportFiles} allows.</li>
 * </ul>
 * Every other path, and every refused report name, is a 404. Bound to a loopback address, it also refuses a
 * request whose {@code Host} is not a loopback name (a web page elsewhere cannot reach it by DNS rebinding).
 * Responses forbid loading anything from another origin (Content-Security-Policy).
 */
public final class SweepServer implements AutoCloseable {
    /** The page: no network, scripts and styles inline, images and requests to this server only. */
    static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final String PAGE_RESOURCE = "live.html";
    private static final String INITIAL = "/*INITIAL_STATUS*/null";

    private final HttpServer server;
    private final ExecutorService executor;
    private final LiveStatus live;
    private final ReportFiles files;
    private final String page;
    private final boolean loopback;

    private SweepServer(HttpServer server, ExecutorService executor, LiveStatus live, ReportFiles files, boolean loopback) {
        this.server = server;
        this.executor = executor;
        this.live = live;
        this.files = files;
        this.loopback = loopback;
        try (InputStream in = SweepServer.class.getResourceAsStream(PAGE_RESOURCE)) {
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds {@code address} (port 0: a free one) and serves {@code live}'s snapshots and {@code files}. */
    public static SweepServer start(InetSocketAddress address, LiveStatus live, ReportFiles files) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "overparam-serve-http");
            t.setDaemon(true);
            return t;
        });
        SweepServer s = new SweepServer(server, executor, live, files, address.getAddress().isLoopbackAddress());
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** The address bound (the port chosen when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The page's URL (bound to every address: by the loopback one, which reaches it from this machine). */
    public URI url() {
        InetAddress a = server.getAddress().getAddress();
        a = a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
        String host = a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n");
                return;
            }
            if (loopback && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 403, "text/plain; charset=utf-8", "this server answers to loopback names only\n");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (path == null) {
                notFound(ex);
            } else if (path.equals("/")) {
                String json = live.json().replace("<", "\\u003c");
                send(ex, 200, "text/html; charset=utf-8", page.replace(INITIAL, json));
            } else if (path.equals("/api/status")) {
                send(ex, 200, "application/json; charset=utf-8", live.json());
            } else if (path.startsWith("/report/")) {
                Optional<ReportFiles.Found> found = files.find(path.substring("/report/".length()));
                if (found.isEmpty()) {
                    notFound(ex);
                } else {
                    sendFile(ex, found.get());
                }
            } else {
                notFound(ex);
            }
        }
    }

    /** Whether a Host header names this machine by a loopback name (any port). */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        h = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.contains(":") ? h.substring(0, h.indexOf(':')) : h;
        return h.equals("localhost") || h.equals("[::1]") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private void notFound(HttpExchange ex) throws IOException {
        send(ex, 404, "text/plain; charset=utf-8", "not found\n");
    }

    private static void headers(HttpExchange ex, String type) {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers(ex, type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void sendFile(HttpExchange ex, ReportFiles.Found f) throws IOException {
        headers(ex, f.contentType());
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        try (InputStream in = files.open(f)) {
            // Chunked: the report may be redrawn while it is sent, so its size is not promised.
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    /** Stops accepting, lets exchanges in flight finish (a second at most) and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
