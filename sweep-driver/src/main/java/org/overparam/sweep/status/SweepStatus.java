package org.overparam.sweep.status;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.ConfigLoader;
import org.overparam.sweep.config.ListedWidths;
import org.overparam.sweep.config.WidthPlan;
import org.overparam.sweep.grid.GridExpander;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SweepManifest;
import org.overparam.sweep.schedule.CostBalancer;
import org.overparam.sweep.tables.ParquetTableStore;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.WidthBracket;
import org.overparam.trainer.trial.TrialSpec;

/**
 * Where a sweep stands, from what its output folder holds (any Hadoop path; running, stopped or
 * finished): the committed trials against the plan, by status; for a width search each group's
 * current bracket; elapsed time (the manifest's write to the last commit) and an ETA from the cost
 * model (CostBalancer) calibrated on the committed trials; and whether a driver writes it now
 * ({@link WriterProbe}). Reads committed batches only, which are whole (ParquetTableStore).
 */
public final class SweepStatus {
    private final SparkSession spark;
    private final WriterProbe writerProbe;

    public SweepStatus(SparkSession spark, WriterProbe writerProbe) {
        this.spark = spark;
        this.writerProbe = writerProbe;
    }

    /** One group of a width search: tested widths, seeds converged at each, its bracket and what is left. */
    public record Group(String label, SortedMap<Integer, String> converged, WidthBracket bracket, boolean open,
                        int stagesLeft, double costLeft) {
    }

    /**
     * @param planned     trials the grid plans (a search: its first stage; later stages add trials)
     * @param statuses    committed trials by status
     * @param elapsedS    seconds from the manifest's write to the last commit (to now while a writer writes)
     * @param sinceLastS  seconds since the last commit
     * @param etaS        seconds left by the cost model, or NaN when nothing is committed yet
     * @param finished    every planned trial committed (a search: and no bracket left open)
     */
    public record Report(String sweep, String dir, boolean search, int planned, long committed, Map<String, Long> statuses,
                         int lastStage, List<Group> groups, double elapsedS, double sinceLastS, double etaS,
                         boolean finished, WriterProbe.Writer writer) {
    }

    /** The status of {@code dir}; a folder with no manifest is bad input (ConfigException naming DIR). */
    public Report of(String dir) throws IOException, ConfigException {
        return of(dir, null);
    }

    /**
     * The status of {@code dir} from the batches {@code verified} found intact (damaged ones left out; null: sizes
     * are checked here).
     */
    public Report of(String dir, org.overparam.sweep.tables.Verification verified) throws IOException, ConfigException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        root = fs.makeQualified(root);
        if (!SweepManifest.exists(fs, root)) {
            throw new ConfigException("DIR", dir + " is not a sweep output (no " + SweepManifest.FILE + ")");
        }
        SweepManifest manifest = SweepManifest.read(fs, root);
        String yaml;
        try (var in = fs.open(new Path(root, "sweep.yaml"))) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SweepPlan plan = GridExpander.plan(ConfigLoader.parse(yaml, java.nio.file.Path.of(".")), true);
        long start = fs.getFileStatus(new Path(root, SweepManifest.FILE)).getModificationTime();
        long last = start;
        Path trialsDir = new Path(root, ParquetTableStore.TRIALS);
        boolean any = false;
        if (fs.exists(trialsDir)) {
            for (FileStatus f : fs.listStatus(trialsDir)) {
                if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
                    any = true;
                    last = Math.max(last, f.getModificationTime());
                }
            }
        }
        List<Row> rows = any
                ? ModelVariant.labelModel(org.overparam.sweep.tables.CommittedTables.read(spark, trialsDir.toString(),
                        verified != null ? verified : org.overparam.sweep.tables.TableVerifier.verify(fs, root, false)))
                        .select(col("trial_id"), col("status"), col("stage"), col("m"), col("model"), col("alpha"), col("n"), col("d"), col("eta"),
                                col("data"), col("max_steps"), col("tolerance"), col("loss"))
                        .collectAsList()
                : List.of();
        Map<String, Long> statuses = new TreeMap<>();
        Map<String, Row> committedIds = new HashMap<>();
        int lastStage = 0;
        for (Row r : rows) {
            statuses.merge(org.overparam.sweep.tables.TrialStatuses.normalize(r.getString(1)), 1L, Long::sum);
            committedIds.put(r.getString(0), r);
            lastStage = Math.max(lastStage, r.getInt(2));
        }
        Map<String, TrialSpec> planned = new HashMap<>();
        for (TrialSpec t : plan.trials()) {
            planned.put(t.id(), t);
        }
        Expected expected = plan.config().widths().match(new WidthPlan.Cases<Expected>() {
            @Override
            public Expected listed(ListedWidths widths) {
                return new Expected(plan.trials(), List.of(), false);
            }

            @Override
            public Expected bisect(BisectSettings search) {
                return new Expected(plan.trials(), groups(plan, rows, planned, search), false);
            }

            @Override
            public Expected adaptive(AdaptiveSettings search) {
                return new Expected(List.of(), List.of(), true);
            }
        });
        List<TrialSpec> done = new ArrayList<>();
        List<TrialSpec> left = new ArrayList<>();
        for (TrialSpec t : expected.trials()) {
            (committedIds.containsKey(t.id()) ? done : left).add(t);
        }
        List<Group> groups = expected.groups();
        boolean adaptive = expected.stagesFromOutcomes();
        double costLeft = CostBalancer.cost(left) + groups.stream().mapToDouble(Group::costLeft).sum();
        // Cost of what is committed: the plan's trials, and a search's later stages at their widths.
        double costDone = CostBalancer.cost(done);
        for (Row r : rows) {
            if (!planned.containsKey(r.getString(0))) {
                TrialSpec template = templateOf(rows, planned, r);
                if (template != null) {
                    costDone += CostBalancer.cost(List.of(GridExpander.atWidth(plan, template, r.getInt(3))));
                }
            }
        }
        WriterProbe.Writer writer = writerProbe.probe(fs, root);
        long now = Instant.now().toEpochMilli();
        boolean writing = writer.state() == WriterProbe.Writer.State.WRITING;
        double elapsed = ((writing ? now : last) - start) / 1000.0;
        double perCost = costDone > 0 ? (last - start) / 1000.0 / costDone : Double.NaN;
        boolean finished = left.isEmpty() && groups.stream().noneMatch(Group::open);
        double eta = finished ? 0 : perCost * costLeft;
        if (adaptive) {
            // An adaptive search's stages depend on its outcomes: done once the run aggregated after its last commit.
            Path scaling = new Path(root, "scaling");
            finished = fs.exists(scaling) && fs.getFileStatus(scaling).getModificationTime() >= last;
            eta = finished ? 0 : Double.NaN;
        }
        return new Report(manifest.sweep(), root.toString(), plan.config().searched(), adaptive ? 0 : plan.trials().size(), rows.size(), statuses,
                lastStage, groups, elapsed, (now - last) / 1000.0, eta, finished, writer);
    }

    /**
     * What a width plan lets the status foresee: the trials planned from the start, a bisect search's open
     * groups, and whether the stages depend on outcomes no estimate can foresee (an adaptive search).
     */
    private record Expected(List<TrialSpec> trials, List<Group> groups, boolean stagesFromOutcomes) {
    }

    /** A stage-1 trial of {@code r}'s group (same model label, α, n, d, η), from the plan. */
    private static TrialSpec templateOf(List<Row> rows, Map<String, TrialSpec> planned, Row r) {
        String key = groupKey(r);
        for (Row o : rows) {
            if (planned.containsKey(o.getString(0)) && groupKey(o).equals(key)) {
                return planned.get(o.getString(0));
            }
        }
        return null;
    }

    /**
     * A row's threshold group ({@link FitGroup#THRESHOLD_COLUMNS}; the model column holds the model with its
     * variant), as text: positions 4–12 of the rows read above.
     */
    private static String groupKey(Row r) {
        return java.util.stream.IntStream.rangeClosed(4, 12).mapToObj(i -> String.valueOf(r.get(i)))
                .collect(java.util.stream.Collectors.joining("|"));
    }

    private static List<Group> groups(SweepPlan plan, List<Row> rows, Map<String, TrialSpec> planned, BisectSettings search) {
        double level = plan.config().thresholds().level();
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparing(SweepStatus::groupKey))
                .forEach(r -> byGroup.computeIfAbsent(groupKey(r), k -> new ArrayList<>()).add(r));
        List<Group> out = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            SortedMap<Integer, int[]> counts = new TreeMap<>();
            TrialSpec template = null;
            for (Row r : e.getValue()) {
                int[] c = counts.computeIfAbsent(r.getInt(3), k -> new int[2]);
                c[0] += "converged".equals(r.getString(1)) ? 1 : 0;
                c[1]++;
                template = template != null ? template : planned.get(r.getString(0));
            }
            SortedMap<Integer, Double> success = new TreeMap<>();
            SortedMap<Integer, String> converged = new TreeMap<>();
            counts.forEach((m, c) -> {
                success.put(m, c[0] / (double) c[1]);
                converged.put(m, c[0] + "/" + c[1]);
            });
            WidthBracket bracket = WidthBracket.of(success, level);
            boolean open = bracket.next(search.resolution()).isPresent();
            int stagesLeft = 0;
            double cost = 0;
            if (open) {
                // Each stage halves ln(succeeding/failing): stages until the ratio is within the resolution.
                double ratio = Math.log((double) bracket.succeeding() / bracket.failing()) / Math.log(search.resolution());
                stagesLeft = Math.max(1, (int) Math.ceil(Math.log(ratio) / Math.log(2)));
                int seeds = plan.config().seeds().size();
                int mid = bracket.next(search.resolution()).getAsInt();
                if (template != null) {
                    cost = stagesLeft * seeds * CostBalancer.cost(List.of(GridExpander.atWidth(plan, template, mid)));
                }
            }
            Row r0 = e.getValue().get(0);
            String label = r0.getString(4) + (r0.isNullAt(5) ? "" : " α=" + r0.get(5)) + " n=" + r0.get(6) + " d=" + r0.get(7) + " η=" + r0.get(8);
            out.add(new Group(label, converged, bracket, open, stagesLeft, cost));
        }
        return out;
    }
}
