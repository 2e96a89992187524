package org.overparam.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The report in a real browser: headless Chromium (Debian's {@code chromium}; scripts/ensure-chromium.sh
 * installs it, .ci/run calls that) loads {@code index.html} of a real sweep with thresholds from the
 * file system and must find no broken image, no script or resource error, every inline SVG drawn, and
 * the threshold table within the first screen (1280×800). The same check on a copy with a missing image
 * and a throwing script must report both, so a harness that saw nothing cannot pass. Skipped, saying
 * why, only when no Chromium is found and OVERPARAM_REQUIRE_CHROMIUM is not set (CI sets it).
 */
public class ReportBrowserTest {
    private static final String SWEEP = """
            name: browser
            model: wn
            data: {kind: sphere, target: gaussian}
            grid:
              alpha: [1.0]
              m: [4, 8, 16, 32]
              n: [10, 20, 40]
              d: [6]
              eta: [0.5]
            seeds: 2
            train: {steps: 3000, tolerance: 1.0e-4}
            thresholds: {delta: 0.25, bootstrap: 50}
            """;
    /** Runs in the page before anything else: collects errors, then on load measures the page into a {@code <pre>}. */
    private static final String HARNESS = """
            <script>
            window.__errors = [];
            window.addEventListener('error', function (e) {
              var t = e.target;
              window.__errors.push(t && t !== window && (t.src || t.href) ? 'load failed: ' + (t.src || t.href) : 'script error: ' + e.message);
            }, true);
            window.addEventListener('load', function () {
              var r = {errors: window.__errors, brokenImages: [], svgs: 0, emptySvgs: 0, viewport: window.innerHeight};
              var t = document.getElementById('threshold-table');
              if (t) { var b = t.getBoundingClientRect(); r.tableTop = b.top; r.tableBottom = b.bottom; r.tableRows = t.rows.length; }
              document.querySelectorAll('details').forEach(function (d) { d.open = true; });
              document.querySelectorAll('img').forEach(function (i) { if (!i.complete || i.naturalWidth === 0) r.brokenImages.push(i.getAttribute('src')); });
              document.querySelectorAll('figure svg').forEach(function (s) {
                r.svgs++;
                var b = s.getBoundingClientRect();
                if (b.width < 100 || b.height < 50 || s.querySelectorAll('path,line,polyline,polygon,text').length < 10) r.emptySvgs++;
              });
              var pre = document.createElement('pre'); pre.id = 'browser-check'; pre.textContent = JSON.stringify(r);
              document.body.appendChild(pre);
            });
            </script>
            """;
    private static final Pattern RESULT = Pattern.compile("<pre id=\"browser-check\">(.*?)</pre>", Pattern.DOTALL);

    @TempDir
    static Path tmp;
    private static Path report;
    private static String chromium;

    @BeforeAll
    static void sweepAggregateReport() throws Exception {
        chromium = findChromium();
        boolean required = System.getenv("OVERPARAM_REQUIRE_CHROMIUM") != null;
        if (chromium == null && required) {
            throw new IllegalStateException("OVERPARAM_REQUIRE_CHROMIUM is set but no chromium was found (CHROMIUM, PATH)");
        }
        Assumptions.assumeTrue(chromium != null, "no chromium found ($CHROMIUM, or chromium / chromium-browser / google-chrome on PATH):"
                + " scripts/ensure-chromium.sh installs Debian's chromium package; .ci/run does so");
        SparkSession spark = SparkTestSupport.session("local[2]");
        try {
            Path out = tmp.resolve("out");
            SparkTestSupport.run(spark, SparkTestSupport.plan(SWEEP), out, false, 512);
            new Aggregation(spark, out.toString()).run(new ThresholdSettings(0.25, 50));
            new ReportWriter(spark, out.toString()).write();
            report = out.resolve("report");
        } finally {
            spark.stop();
        }
    }

    public static String findChromium() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("CHROMIUM") != null) {
            candidates.add(System.getenv("CHROMIUM"));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String d : path.split(File.pathSeparator)) {
                candidates.add(Path.of(d.isEmpty() ? "." : d, name).toString());
            }
        }
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
    }

    /** Loads {@code page} in headless Chromium with the harness injected first in its head; returns the harness's measurements. */
    private static JsonNode check(Path page, String extraBody) throws Exception {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        Path checked = page.resolveSibling("_browser_check_" + page.getFileName());
        Files.writeString(checked, html.replaceFirst("<head>", "<head>" + Matcher.quoteReplacement(HARNESS))
                .replace("</body>", extraBody + "</body>"), StandardCharsets.UTF_8);
        Path profile = Files.createTempDirectory(tmp, "chromium");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--hide-scrollbars", "--virtual-time-budget=10000",
                "--dump-dom", checked.toUri().toString())
                .redirectError(tmp.resolve("chromium.err").toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        Matcher m = RESULT.matcher(new String(dom, StandardCharsets.UTF_8));
        assertTrue(m.find(), "the harness reported (chromium exit " + p.exitValue() + ", stderr in " + tmp.resolve("chromium.err") + ")");
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        return new ObjectMapper().readTree(json);
    }

    @Test
    void pageLoadsCleanlyWithTheThresholdTableOnTheFirstScreen() throws Exception {
        JsonNode r = check(report.resolve("index.html"), "");
        assertEquals(0, r.get("errors").size(), "script or resource errors: " + r.get("errors"));
        assertEquals(0, r.get("brokenImages").size(), "broken images: " + r.get("brokenImages"));
        assertTrue(r.get("svgs").asInt() >= 8, "inline SVG figures: " + r);
        assertEquals(0, r.get("emptySvgs").asInt(), "every inline SVG is drawn: " + r);
        assertTrue(r.has("tableBottom"), "the page has the threshold table: " + r);
        assertEquals(4, r.get("tableRows").asInt(), "header and one row per n: " + r);
        assertTrue(r.get("tableTop").asDouble() >= 0 && r.get("tableBottom").asDouble() <= r.get("viewport").asDouble(),
                "the threshold table lies within the first screen: " + r);
    }

    @Test
    void harnessSeesABrokenImageAndAScriptError() throws Exception {
        JsonNode r = check(report.resolve("index.html"), "<img src=\"no-such-plot.png\"><script>noSuchFunction();</script>");
        assertEquals(1, r.get("brokenImages").size(), r.toString());
        assertEquals(2, r.get("errors").size(), "the missing image and the script error: " + r);
    }

    @Test
    void everyLinkedPngAndPdfIsBesideThePage() throws Exception {
        String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
        Matcher links = Pattern.compile("href=\"([^\"#]+\\.(?:png|pdf|md))\"").matcher(html);
        int n = 0;
        while (links.find()) {
            Path f = report.resolve(links.group(1));
            assertTrue(Files.size(f) > 1000, f + " exists and is not empty");
            n++;
        }
        assertTrue(n >= 16, n + " links");
        assertTrue(!Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "self-contained: nothing loaded from the network");
    }
}
