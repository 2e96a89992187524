import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks sweep outputs for {@code scripts/cluster-smoke.sh} (run with Java's source launcher and
 * Spark's jars on the class path):
 * <pre>
 *   java -cp 'SPARK_HOME/jars/*' scripts/CheckTables.java --trials N --reference DIR
 *        [--same DIR]... [--partial DIR]... [--derived true]
 * </pre>
 * <ul>
 *   <li>{@code --reference} and every {@code --same} output hold exactly {@code N} trials rows, one
 *       per trial id, and every {@code --same} output equals the reference bit for bit: every column
 *       of {@code trials} but {@code wall_ms} and {@code code_version} (provenance: the time and the commit that
 *       ran it; doubles compared by their bits), and all of {@code curves}.</li>
 *   <li>A {@code --partial} output (a sweep caught mid-way) holds fewer than {@code N} rows, one per
 *       trial id, each equal to the reference's row for that id and each with its curve: a reader
 *       never sees a duplicated, half-written or curve-less trial.</li>
 * </ul>
 * With {@code --derived true}, every {@code --same} output's derived tables ({@code thresholds}, {@code scaling},
 * {@code rates}) must equal the reference's too, bit for bit, rows sorted by every column: a refactor is
 * proven by identical tables ({@code N} then counts the trials rows, which a width search fixes only by running).
 * Comparing an output of a newer version with one of an older: {@code --ignore COL,COL} leaves those columns out
 * of both sides (the new ones; a column only one side has is left out anyway), the legacy status {@code max_steps}
 * reads as {@code censored}, and {@code --stopped-early STATUS} (e.g. {@code stuck}) compares the rows of the
 * {@code --same} output with that status differently: the reference's row must be {@code censored} with at least as
 * many steps (it ran on where the newer rule stopped, and did not converge), and the trial's curve must equal the
 * reference's at every step both hold (the same trajectory, stopped earlier).
 * Prints one line per output; exits with 1 and the first difference on a failed check.
 */
public final class CheckTables {
    private static final String TIMING_COLUMN = "wall_ms";
    /** Which commit ran a trial: provenance, like its time, not part of its result. */
    private static final String VERSION_COLUMN = "code_version";

    public static void main(String[] args) {
        int expected = -1;
        String reference = null;
        List<String> same = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        boolean derived = false;
        Set<String> ignore = new HashSet<>();
        Set<String> stoppedEarly = new HashSet<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                fail("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--trials" -> expected = Integer.parseInt(args[i + 1]);
                case "--reference" -> reference = args[i + 1];
                case "--same" -> same.add(args[i + 1]);
                case "--partial" -> partial.add(args[i + 1]);
                case "--derived" -> derived = Boolean.parseBoolean(args[i + 1]);
                case "--ignore" -> ignore.addAll(List.of(args[i + 1].split(",")));
                case "--stopped-early" -> stoppedEarly.addAll(List.of(args[i + 1].split(",")));
                default -> fail("unknown option " + args[i]);
            }
        }
        if (expected < 1 || reference == null) {
            fail("usage: CheckTables --trials N --reference DIR [--same DIR]... [--partial DIR]...");
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("check-tables")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Output ref = Output.read(spark, reference, ignore);
            ref.requireComplete(expected);
            System.out.printf("check-tables: %s: %d trials rows, %d distinct trial ids, %d curve rows (reference)%n",
                    reference, ref.trials.size(), ref.trialsById.size(), ref.curves.size());
            for (String dir : same) {
                Output out = Output.read(spark, dir, ignore);
                out.requireComplete(expected);
                Output.requireCommonColumns(ref, out);
                int early = 0;
                if (stoppedEarly.isEmpty()) {
                    requireEqual(dir + " trials", ref.trials, out.trials);
                    requireEqual(dir + " curves", ref.curves, out.curves);
                } else {
                    early = out.requireEqualButStoppedEarly(ref, stoppedEarly);
                }
                System.out.printf("check-tables: %s: %d trials rows, %d distinct trial ids, %d curve rows;"
                        + " bit-identical to the reference (all columns but %s%s)%s%n",
                        dir, out.trials.size(), out.trialsById.size(), out.curves.size(), TIMING_COLUMN + ", " + VERSION_COLUMN,
                        ignore.isEmpty() ? "" : ", " + String.join(", ", new java.util.TreeSet<>(ignore)),
                        stoppedEarly.isEmpty() ? "" : "; " + early + " rows " + String.join("/", stoppedEarly)
                                + ": censored in the reference, the same curve up to where they stopped");
                if (derived) {
                    for (String table : DERIVED) {
                        List<Row> a = derivedRows(spark, reference, table);
                        List<Row> b = derivedRows(spark, dir, table);
                        requireEqual(dir + " " + table, a, b);
                        System.out.printf("check-tables: %s: %s, %d rows, bit-identical to the reference%n", dir, table, b.size());
                    }
                }
            }
            for (String dir : partial) {
                Output out = Output.read(spark, dir, ignore);
                out.requirePartialOf(ref, expected);
                System.out.printf("check-tables: %s: %d of %d trials committed, one row per trial id, each with"
                        + " its curve and equal to the reference's row%n", dir, out.trials.size(), expected);
            }
        } finally {
            spark.stop();
        }
    }

    /** One output folder's tables, collected: trials without the timing column, both sorted. */
    private record Output(String dir, List<Row> trials, Map<String, Row> trialsById, List<Row> curves,
                          Map<String, List<Row>> curvesById) {
        static Output read(SparkSession spark, String dir, Set<String> ignore) {
            org.apache.spark.sql.Dataset<Row> t = spark.read().parquet(dir + "/trials").drop(TIMING_COLUMN, VERSION_COLUMN)
                    .drop(ignore.toArray(String[]::new));
            t = t.withColumn("status", org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.col("status")
                    .equalTo("max_steps"), "censored").otherwise(org.apache.spark.sql.functions.col("status")));
            List<Row> trials = t.orderBy("trial_id").collectAsList();
            List<Row> curves = spark.read().parquet(dir + "/curves").drop(ignore.toArray(String[]::new))
                    .orderBy("trial_id", "step").collectAsList();
            Map<String, Row> byId = new HashMap<>();
            for (Row r : trials) {
                byId.put(r.getAs("trial_id"), r);
            }
            Map<String, List<Row>> curvesById = new HashMap<>();
            for (Row r : curves) {
                curvesById.computeIfAbsent(r.getAs("trial_id"), k -> new ArrayList<>()).add(r);
            }
            return new Output(dir, trials, byId, curves, curvesById);
        }

        /** Both sides hold the same columns, in the same order (after --ignore): else name the difference. */
        static void requireCommonColumns(Output a, Output b) {
            for (List<Row> pair : List.of(List.of(a.trials.get(0), b.trials.get(0)), List.of(a.curves.get(0), b.curves.get(0)))) {
                List<String> x = List.of(pair.get(0).schema().fieldNames());
                List<String> y = List.of(pair.get(1).schema().fieldNames());
                if (!x.equals(y)) {
                    Set<String> onlyX = new java.util.TreeSet<>(x);
                    onlyX.removeAll(y);
                    Set<String> onlyY = new java.util.TreeSet<>(y);
                    onlyY.removeAll(x);
                    fail(b.dir + ": columns differ from the reference's (only there: " + onlyX + ", only here: " + onlyY
                            + "); leave new columns out with --ignore");
                }
            }
        }

        /**
         * Every row equal to the reference's, but those whose status is one of {@code early}: those must be censored in
         * the reference with at least as many steps, and their curve rows equal the reference's at the steps both
         * hold. Returns how many rows were of those statuses.
         */
        int requireEqualButStoppedEarly(Output reference, Set<String> early) {
            int count = 0;
            for (Map.Entry<String, Row> e : trialsById.entrySet()) {
                Row mine = e.getValue();
                Row ref = reference.trialsById.get(e.getKey());
                if (ref == null) {
                    fail(dir + ": trial " + e.getKey() + " is not in the reference");
                }
                List<Row> myCurve = curvesById.getOrDefault(e.getKey(), List.of());
                List<Row> refCurve = reference.curvesById.getOrDefault(e.getKey(), List.of());
                if (!early.contains(mine.<String>getAs("status"))) {
                    if (!sameBits(ref, mine) || !sameRows(refCurve, myCurve)) {
                        fail(dir + ": trial " + e.getKey() + " differs from the reference:\n  reference " + ref + "\n  this      " + mine);
                    }
                    continue;
                }
                count++;
                int steps = mine.getAs("steps");
                if (!"censored".equals(ref.getAs("status")) || ref.<Integer>getAs("steps") < steps) {
                    fail(dir + ": trial " + e.getKey() + " stopped " + mine.getAs("status") + " at step " + steps
                            + " but the reference is " + ref.getAs("status") + " after " + ref.getAs("steps") + " steps");
                }
                Map<Integer, Row> refByStep = new HashMap<>();
                for (Row r : refCurve) {
                    refByStep.put(r.getAs("step"), r);
                }
                int shared = 0;
                for (Row r : myCurve) {
                    Row other = refByStep.get(r.<Integer>getAs("step"));
                    if (other != null) {
                        shared++;
                        if (!sameBits(other, r)) {
                            fail(dir + ": trial " + e.getKey() + ", curve at step " + r.getAs("step") + " differs:\n  reference "
                                    + other + "\n  this      " + r);
                        }
                    }
                }
                if (shared < 2) {
                    fail(dir + ": trial " + e.getKey() + " shares only " + shared + " curve steps with the reference");
                }
            }
            return count;
        }

        void requireComplete(int expected) {
            if (trials.size() != expected || trialsById.size() != expected) {
                fail(dir + ": expected " + expected + " trials rows with distinct ids, found " + trials.size()
                        + " rows with " + trialsById.size() + " distinct ids");
            }
            requireCurves();
        }

        void requirePartialOf(Output reference, int expected) {
            if (trials.isEmpty() || trials.size() >= expected) {
                fail(dir + ": expected a sweep caught mid-way (1.." + (expected - 1) + " rows), found " + trials.size());
            }
            if (trialsById.size() != trials.size()) {
                fail(dir + ": " + trials.size() + " rows but only " + trialsById.size() + " distinct trial ids");
            }
            for (Map.Entry<String, Row> e : trialsById.entrySet()) {
                Row ref = reference.trialsById.get(e.getKey());
                if (ref == null || !sameBits(ref, e.getValue())) {
                    fail(dir + ": trial " + e.getKey() + " differs from the reference:\n  " + e.getValue() + "\n  " + ref);
                }
                if (!sameRows(reference.curvesById.getOrDefault(e.getKey(), List.of()),
                        curvesById.getOrDefault(e.getKey(), List.of()))) {
                    fail(dir + ": the curve of trial " + e.getKey() + " differs from the reference's");
                }
            }
            requireCurves();
        }

        /** Every trial that trained has its curve (a failed trial has none). */
        private void requireCurves() {
            Set<String> missing = new HashSet<>();
            for (Row r : trials) {
                if (!"failed".equals(r.getAs("status")) && !curvesById.containsKey(r.<String>getAs("trial_id"))) {
                    missing.add(r.getAs("trial_id"));
                }
            }
            if (!missing.isEmpty()) {
                fail(dir + ": " + missing.size() + " trials without a curve, e.g. " + missing.iterator().next());
            }
        }
    }

    /** The tables an aggregation derives from the trials. */
    private static final List<String> DERIVED = List.of("thresholds", "scaling", "rates");

    /** A derived table's rows sorted by every column (an empty list where the output has none). */
    private static List<Row> derivedRows(SparkSession spark, String dir, String table) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir, table);
        try {
            if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
                fail(dir + ": no " + table + " table");
            }
        } catch (java.io.IOException e) {
            fail(dir + ": cannot read " + table + ": " + e.getMessage());
        }
        org.apache.spark.sql.Dataset<Row> rows = spark.read().parquet(path.toString());
        return rows.orderBy(java.util.Arrays.stream(rows.columns()).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
    }

    private static void requireEqual(String what, List<Row> expected, List<Row> actual) {
        if (expected.size() != actual.size()) {
            fail(what + ": " + actual.size() + " rows, the reference has " + expected.size());
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!sameBits(expected.get(i), actual.get(i))) {
                fail(what + ": row " + i + " differs:\n  reference " + expected.get(i) + "\n  this      " + actual.get(i));
            }
        }
    }

    private static boolean sameRows(List<Row> a, List<Row> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameBits(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Field by field; doubles by their bit patterns, so -0.0 differs from 0.0 and NaNs are compared exactly. */
    private static boolean sameBits(Row a, Row b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof Double dx && y instanceof Double dy) {
                if (Double.doubleToRawLongBits(dx) != Double.doubleToRawLongBits(dy)) {
                    return false;
                }
            } else if (!Objects.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    private static void fail(String message) {
        System.err.println("check-tables: FAILED: " + message);
        System.exit(1);
    }
}
