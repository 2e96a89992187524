package org.overparam.sweep.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.report.Figure;
import org.overparam.sweep.report.ReportWriter;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.threshold.ThresholdEstimator;

/**
 * A real bisect search on local Spark against the full grid of every width in its range: the same
 * m_star within the resolution, no (group, width, seed) trial run twice, the stage of every row, a
 * resumed search equal to an uninterrupted one, and the report's threshold plots.
 */
class BisectWidthSearchTest {
    private static final String COMMON = """
            model: wn
            data: {kind: sphere, target: gaussian}
            seeds: 4
            train: {steps: 2000, tolerance: 1.0e-4}
            instruments: {kernels: true, every: log}
            """;
    private static final String SEARCH = "name: bisect\n" + COMMON + """
            grid: {alpha: [1.0], n: [6, 12], d: [6], eta: [0.5]}
            search: {m: bisect, lo: 2, hi: 16, resolution: 1.19, ladder: 0}
            """;
    private static final String GRID = "name: full\n" + COMMON + """
            grid: {alpha: [1.0], m: {from: 2, to: 16, steps: 15}, n: [6, 12], d: [6], eta: [0.5]}
            """;
    private static final double RESOLUTION = 1.19;

    private static SparkSession spark;
    private static SweepPlan searchPlan;
    @TempDir
    static Path tmp;
    private static Path searched;
    private static Path grid;
    private static WidthSearch.Counts outcome;
    private static Aggregation.Tables tables;

    @BeforeAll
    static void runSearchAndGrid() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        searchPlan = SparkTestSupport.plan(SEARCH);
        searched = tmp.resolve("bisect");
        outcome = search(searchPlan, searched, false);
        grid = tmp.resolve("grid");
        SparkTestSupport.run(spark, SparkTestSupport.plan(GRID), grid, false, 512);
        tables = new Aggregation(spark, searched.toString()).run(searchPlan.config().thresholds());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static WidthSearch.Counts search(SweepPlan plan, Path out, boolean resume) throws Exception {
        return SparkTestSupport.search(spark, plan, out, resume, 512, 3);
    }

    /** n → m_star of the rows of {@code out}, by the estimator itself. */
    private static Map<Integer, Double> mStarByN(Path out) {
        Map<Integer, List<ThresholdEstimator.Observation>> byN = new TreeMap<>();
        for (Row r : SparkTestSupport.trials(spark, out).collectAsList()) {
            byN.computeIfAbsent(r.getAs("n"), k -> new ArrayList<>()).add(new ThresholdEstimator.Observation(
                    r.<Integer>getAs("m"), r.<Long>getAs("seed"), "converged".equals(r.getAs("status")), r.<Integer>getAs("stage")));
        }
        Map<Integer, Double> out2 = new TreeMap<>();
        byN.forEach((n, obs) -> out2.put(n, new ThresholdEstimator(0.1, 0).estimate(obs, "n" + n).mStar()));
        return out2;
    }

    @Test
    void bisectAndFullGridAgreeOnMStarWithinTheResolution() {
        Map<Integer, Double> bisect = mStarByN(searched);
        Map<Integer, Double> full = mStarByN(grid);
        assertEquals(Set.of(6, 12), bisect.keySet());
        for (int n : bisect.keySet()) {
            double b = bisect.get(n);
            double g = full.get(n);
            assertTrue(Math.abs(Math.log(b / g)) <= Math.log(RESOLUTION) + 1e-12,
                    "n = " + n + ": bisect m_star " + b + ", full grid " + g);
        }
        Map<Integer, Double> table = tables.thresholds().select("n", "m_star").distinct().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("n"), r -> r.getAs("m_star")));
        assertEquals(bisect, table, "DIR/thresholds holds the estimator's m_star");
        long fullTrials = SparkTestSupport.trials(spark, grid).count();
        assertTrue(outcome.planned() < fullTrials, "the search runs fewer trials: " + outcome.planned() + " vs " + fullTrials);
    }

    @Test
    void noTrialRunsTwiceAndEveryRowRecordsItsStage() {
        List<Row> rows = SparkTestSupport.trials(spark, searched).collectAsList();
        assertEquals(outcome.ran(), rows.size());
        assertEquals(rows.size(), rows.stream().map(r -> r.getAs("trial_id")).distinct().count(), "one row per trial id");
        Map<String, Long> perTrial = rows.stream().collect(Collectors.groupingBy(
                r -> r.getAs("n") + "|" + r.getAs("m") + "|" + r.getAs("seed"), Collectors.counting()));
        assertTrue(perTrial.values().stream().allMatch(c -> c == 1), "one row per (group, m, seed): " + perTrial);

        List<Integer> coarse = new BisectSettings(2, 16, RESOLUTION).coarseWidths();
        Map<Integer, Set<Integer>> widthsByStage = rows.stream().collect(Collectors.groupingBy(
                r -> r.<Integer>getAs("stage"), TreeMap::new, Collectors.mapping(r -> r.<Integer>getAs("m"), Collectors.toSet())));
        assertEquals(Set.copyOf(coarse), widthsByStage.get(1), "stage 1 is the coarse grid");
        assertTrue(widthsByStage.size() >= 3, "at least two bisection stages: " + widthsByStage);
        assertEquals(outcome.stages(), widthsByStage.size());
        for (Map.Entry<Integer, Set<Integer>> e : widthsByStage.entrySet()) {
            if (e.getKey() > 1) {
                assertTrue(e.getValue().stream().noneMatch(coarse::contains), "stage " + e.getKey() + " adds new widths: " + e.getValue());
            }
        }
        // Every group ends bracketed within the resolution (or between adjacent integers).
        for (Row r : tables.thresholds().select("n", "m_fail", "m_succeed", "m_star_status").distinct().collectAsList()) {
            assertEquals("bracketed", r.getAs("m_star_status"), r.toString());
            int lo = r.getAs("m_fail");
            int hi = r.getAs("m_succeed");
            assertTrue((double) hi / lo <= RESOLUTION || hi - lo == 1, r.toString());
        }
    }

    @Test
    void resumedSearchRecomputesItsStagesAndEqualsTheUninterruptedOne() throws Exception {
        Path copy = tmp.resolve("interrupted");
        copyTree(searched, copy);
        // The last stage's batch never committed: its trials files (the commit point) are gone.
        String lastStage = "-s" + outcome.stages() + "-b";
        List<Path> lost = list(copy.resolve("trials")).stream().filter(p -> p.getFileName().toString().contains(lastStage)).toList();
        assertEquals(1, lost.size(), "one batch in the last stage");
        long lostRows = SparkTestSupport.trials(spark, copy).count();
        Files.delete(lost.get(0));
        lostRows -= SparkTestSupport.trials(spark, copy).count();

        WidthSearch.Counts resumed = search(searchPlan, copy, true);
        assertEquals(lostRows, resumed.ran(), "only the lost trials run again");
        assertEquals(outcome.stages(), resumed.stages());
        assertEquals(SparkTestSupport.comparableTrials(spark, searched), SparkTestSupport.comparableTrials(spark, copy),
                "same rows, stages included");
        assertEquals(SparkTestSupport.sortedCurves(spark, searched), SparkTestSupport.sortedCurves(spark, copy));
    }

    @Test
    void reportDrawsTheThresholdPlotsAsPngsAndLinksThem() throws Exception {
        List<Figure> figures = new ReportWriter(spark, searched.toString()).write();
        Path report = searched.resolve("report");
        Set<String> files = figures.stream().map(Figure::file).collect(Collectors.toSet());
        List<String> expected = new ArrayList<>(List.of("success_vs_m_wn_alpha1_d6_eta0.5.png", "m_star_vs_n_wn_d6_eta0.5.png",
                "rate_ratio_vs_n.png", "rate_vs_prediction.png", "kernels_at_init_vs_m_wn_n6_d6.png", "kernels_at_init_vs_m_wn_n12_d6.png",
                "final_flips_vs_m.png"));
        for (int n : List.of(6, 12)) {
            for (String kind : List.of("loss", "lambda", "flips", "move")) {
                expected.add(kind + "_wn_alpha1_n" + n + "_d6_eta0.5.png");
            }
        }
        assertTrue(files.containsAll(expected), "missing " + expected.stream().filter(f -> !files.contains(f)).toList());
        String html = Files.readString(report.resolve("index.html"));
        byte[] pngMagic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (String f : files) {
            byte[] bytes = Files.readAllBytes(report.resolve(f));
            assertArrayEquals(pngMagic, Arrays.copyOf(bytes, 8), f + " is a PNG");
            assertTrue(bytes.length > 10_000, f + " has content: " + bytes.length + " bytes");
            assertTrue(html.contains("href=\"" + f + "\""), "index.html links " + f);
        }
        String summary = Files.readString(report.resolve("summary.md"));
        for (String section : List.of("## Thresholds", "### Success by width", "## Scaling", "## Rates against predictions")) {
            assertTrue(summary.contains(section), section + " in summary.md");
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
