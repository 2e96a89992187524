package org.overparam.sweep.serve;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.AdaptiveFits;
import org.overparam.sweep.analysis.LadderFits;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.analysis.ThresholdTable;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.status.StatusFormat;
import org.overparam.sweep.status.SweepStatus;
import org.overparam.sweep.status.WriterProbe;
import org.overparam.sweep.tables.DistinctRows;
import org.overparam.sweep.tables.ParquetTableStore;

/**
 * What the live page shows, as JSON, kept up to date in the background: {@link SweepStatus} (committed trials
 * by status, progress, ETA, a bisect search's brackets, the writer's liveness) and, computed in memory from
 * the committed trials and written nowhere, each group's thresholds ({@link ThresholdTable}, the sweep's
 * {@code thresholds:} settings) and, for an adaptive search, each fit group's joint fit ({@link AdaptiveFits}).
 * A poll lists {@code DIR/trials} (and the report folder) every {@code pollMs}; the status is recomputed when
 * a batch committed or every {@link #STATUS_EVERY_MS} (elapsed time, writer), the thresholds and fits only
 * when a batch committed. Requests read the last snapshot and never wait for Spark. Reads committed
 * batches only (the trials a batch's rename put in place) and never touches the writer's lock.
 */
public final class LiveStatus implements AutoCloseable {
    /** The status is recomputed at least this often, commits or not (the writer's heartbeat, elapsed time). */
    static final long STATUS_EVERY_MS = 10_000;
    /** The report's figures the page shows when they exist, by name prefix (ReportWriter: Atlas, ParametersFigure, LadderFigure, ThresholdFigures). */
    static final List<String> FIGURES = List.of("atlas.png", "atlas_parameters.png", "ladder.png", "m_star_vs_n_");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final String dir;
    private final WriterProbe writerProbe;
    private final ReportFiles reportFiles;
    private final FileSystem fs;
    private final Path root;
    private final long pollMs;
    private final ScheduledExecutorService poller;
    private final AtomicReference<String> json = new AtomicReference<>();
    private final AtomicLong refreshes = new AtomicLong();
    private String lastSignature = "";
    private long lastStatusAt;
    private SweepStatus.Report status;
    private ArrayNode thresholds;
    private ArrayNode fits;
    private String error;

    /**
     * Starts polling {@code dir} with {@code spark} (its own session: a serve process's, or a new session of a
     * shared context in tests).
     */
    public LiveStatus(SparkSession spark, String dir, WriterProbe writerProbe, long pollMs) throws IOException {
        this.spark = spark;
        this.dir = dir;
        this.writerProbe = writerProbe;
        Path p = new Path(dir);
        this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        this.root = fs.makeQualified(p);
        this.reportFiles = new ReportFiles(fs, root);
        this.pollMs = pollMs;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overparam-serve-poll");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Computes the first snapshot now (so a bad DIR is reported before the server starts) and polls after.
     *
     * @throws ConfigException when {@code dir} is not a sweep output
     */
    public void start() throws ConfigException, IOException {
        status = new SweepStatus(spark, writerProbe).of(dir);
        lastStatusAt = System.currentTimeMillis();
        refresh();
        poller.scheduleWithFixedDelay(this::refresh, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** The last snapshot as JSON (never blocks). */
    public String json() {
        return json.get();
    }

    /** How many snapshots were made so far. */
    public long refreshes() {
        return refreshes.get();
    }

    private synchronized void refresh() {
        try {
            String signature = signature();
            long now = System.currentTimeMillis();
            boolean committed = !signature.equals(lastSignature);
            if (committed || now - lastStatusAt >= STATUS_EVERY_MS || status == null) {
                status = new SweepStatus(spark, writerProbe).of(dir);
                lastStatusAt = now;
            }
            if (committed) {
                derived();
                lastSignature = signature;
            }
            error = null;
        } catch (Exception e) {
            // A batch renamed away under a read (a --retry replacing rows), a transient file system error: keep the
            // last snapshot, say what happened, try again at the next poll.
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        json.set(snapshot());
        refreshes.incrementAndGet();
    }

    /** The committed trial files (names, sizes, times) and the report figures' times: changes when a batch commits. */
    private String signature() throws IOException {
        StringBuilder b = new StringBuilder();
        Path trials = new Path(root, ParquetTableStore.TRIALS);
        if (fs.exists(trials)) {
            for (FileStatus f : fs.listStatus(trials)) {
                if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
                    b.append(f.getPath().getName()).append(':').append(f.getLen()).append(':').append(f.getModificationTime()).append(';');
                }
            }
        }
        return b.toString();
    }

    /** The thresholds and, for an adaptive search, the joint fits, in memory from the committed trials. */
    private void derived() throws IOException, ConfigException {
        thresholds = JSON.createArrayNode();
        fits = JSON.createArrayNode();
        if (status.committed() == 0) {
            return;
        }
        Aggregation settingsOf = new Aggregation(spark, dir);
        ThresholdSettings settings = settingsOf.sweepSettings();
        AdaptiveFits.Settings adaptive = settingsOf.sweepAdaptive(settings.delta());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Dataset<Row> trials = DistinctRows.trials(spark, new Path(root, ParquetTableStore.TRIALS).toString(), quiet).cache();
        try {
            Dataset<Row> configured = adaptive == null ? trials : trials.filter(col("max_steps").equalTo(adaptive.steps()));
            List<Row> rows = ModelVariant.labelModel(ThresholdTable.of(configured, settings))
                    .orderBy("model", "alpha", "d", "eta", "data", "max_steps", "n", "m").collectAsList();
            thresholdRows(rows);
            if (adaptive != null) {
                // The budget ladder of each group as it stands: p at every rung the committed trials reach.
                Map<String, Row> ladders = new java.util.HashMap<>();
                for (Row r : ModelVariant.labelModel(LadderFits.of(spark, trials, settings.delta(), true).summaries()).collectAsList()) {
                    ladders.put(label(r), r);
                }
                for (Row r : ModelVariant.labelModel(AdaptiveFits.of(spark, trials, adaptive).scaling())
                        .orderBy("model", "alpha", "d", "eta").collectAsList()) {
                    ObjectNode f = fits.addObject();
                    f.put("group", label(r));
                    ladder(f, ladders.get(label(r)));
                    number(f, "p", r.getAs("exponent"));
                    number(f, "lo", r.getAs("exponent_lo"));
                    number(f, "hi", r.getAs("exponent_hi"));
                    f.put("trials", r.<Integer>getAs("trials"));
                    f.put("targetReached", Boolean.TRUE.equals(r.getAs("target_reached")));
                    number(f, "lapse", r.getAs("lapse"));
                    number(f, "s", r.getAs("slope_s"));
                    f.put("misfit", r.<String>getAs("misfit"));
                }
            }
        } finally {
            trials.unpersist();
        }
    }

    /**
     * The ladder of a fit: {@code ladder}, p at each rung ("4000:0.71 8000:0.43 …"), and {@code ladderVerdict},
     * "budget-converged from T steps: p = … [lo, hi]" or "not budget-converged: " and why; both null without a ladder.
     */
    static void ladder(ObjectNode f, Row r) {
        if (r == null || r.isNullAt(r.fieldIndex("ladder_budgets"))) {
            f.putNull("ladder");
            f.putNull("ladderVerdict");
            return;
        }
        f.put("ladder", LadderFits.rungText(r.getList(r.fieldIndex("ladder_budgets")), r.getList(r.fieldIndex("ladder_p")), "–"));
        f.put("budgetConverged", Boolean.TRUE.equals(r.getAs("budget_converged")));
        f.put("ladderVerdict", Boolean.TRUE.equals(r.getAs("budget_converged"))
                ? String.format(Locale.ROOT, "budget-converged from %s steps: p = %.3g [%.3g, %.3g]", r.getAs("settled_budget"),
                        r.<Double>getAs("p_budget"), r.<Double>getAs("p_budget_lo"), r.<Double>getAs("p_budget_hi"))
                : "not budget-converged: " + r.getAs("ladder_reason"));
    }

    /** One row per (group, n) from the per-width rows: the threshold, its interval, its bracket and the seeds converged per width. */
    private void thresholdRows(List<Row> rows) {
        Map<String, List<Row>> byGroup = new java.util.LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(label(r) + "|" + r.getAs("n"), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> g : byGroup.values()) {
            Row first = g.get(0);
            ObjectNode t = thresholds.addObject();
            t.put("group", label(first));
            t.put("n", first.<Integer>getAs("n"));
            t.put("widths", first.<Integer>getAs("widths"));
            number(t, "mStar", first.getAs("m_star"));
            number(t, "lo", first.getAs("m_star_lo"));
            number(t, "hi", first.getAs("m_star_hi"));
            t.put("status", first.<String>getAs("m_star_status"));
            Integer fail = first.getAs("m_fail");
            Integer succeed = first.getAs("m_succeed");
            t.put("bracket", succeed == null ? (fail == null ? "—" : "> " + fail) : fail == null ? "≤ " + succeed : "(" + fail + ", " + succeed + "]");
            List<String> seeds = new ArrayList<>();
            for (Row r : g) {
                seeds.add(r.getAs("m") + ":" + r.getAs("converged") + "/" + r.getAs("seeds"));
            }
            t.put("converged", String.join(" ", seeds));
        }
    }

    /** A group's name as the report writes it: the model with its variant, α, d, η. */
    private static String label(Row r) {
        Object alpha = r.getAs("alpha");
        return String.format(Locale.ROOT, "%s%s d=%s η=%s", r.<String>getAs("model"), alpha == null ? "" : " α=" + alpha,
                r.getAs("d"), r.getAs("eta"));
    }

    private static void number(ObjectNode o, String key, Object v) {
        if (v instanceof Number x && Double.isFinite(x.doubleValue())) {
            o.put(key, x.doubleValue());
        } else {
            o.putNull(key);
        }
    }

    private String snapshot() {
        ObjectNode o = JSON.createObjectNode();
        SweepStatus.Report r = status;
        o.put("updatedAt", Instant.now().toString());
        o.put("error", error);
        if (r != null) {
            o.put("sweep", r.sweep());
            o.put("dir", r.dir());
            o.put("state", r.finished() ? "finished" : r.writer().state() == WriterProbe.Writer.State.WRITING ? "running"
                    : r.writer().state() == WriterProbe.Writer.State.NOT_WRITING ? "stopped" : "unknown");
            o.put("search", r.search());
            o.put("planned", r.planned());
            o.put("committed", r.committed());
            ObjectNode st = o.putObject("statuses");
            new TreeMap<>(r.statuses()).forEach(st::put);
            o.put("lastStage", r.lastStage());
            number(o, "elapsedS", r.elapsedS());
            number(o, "sinceLastS", r.sinceLastS());
            number(o, "etaS", r.etaS());
            o.put("finished", r.finished());
            o.putObject("writer").put("state", r.writer().state().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .put("detail", r.writer().detail());
            ArrayNode brackets = o.putArray("brackets");
            for (SweepStatus.Group g : r.groups()) {
                var br = g.bracket();
                List<String> w = new ArrayList<>();
                g.converged().forEach((m, c) -> w.add(m + ":" + c));
                brackets.addObject().put("group", g.label())
                        .put("bracket", br.isBracketed() ? "(" + br.failing() + ", " + br.succeeding() + "]"
                                : br.succeeding() != null ? "≤ " + br.succeeding() : "> " + br.largest())
                        .put("open", g.open()).put("stagesLeft", g.stagesLeft()).put("converged", String.join(" ", w));
            }
            o.put("text", StatusFormat.format(r));
        }
        o.set("thresholds", thresholds == null ? JSON.createArrayNode() : thresholds);
        o.set("fits", fits == null ? JSON.createArrayNode() : fits);
        ObjectNode figures = o.putObject("figures");
        reportFiles.figures(FIGURES).forEach(figures::put);
        reportFiles.find("index.html").ifPresentOrElse(f -> o.put("reportModified", f.modified()), () -> o.putNull("reportModified"));
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops polling; a refresh in progress finishes first (interrupting it would leave its Spark job half-cancelled). */
    @Override
    public void close() {
        poller.shutdown();
        try {
            poller.awaitTermination(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
