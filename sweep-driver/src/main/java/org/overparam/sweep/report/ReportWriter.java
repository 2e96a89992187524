package org.overparam.sweep.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.run.SweepManifest;
import org.overparam.sweep.tables.DistinctRows;
import org.overparam.sweep.tables.ParquetTableStore;

/**
 * Writes {@code DIR/report/}: plots of a sweep's thresholds, training dynamics and theory comparisons
 * (PNG, and PDF beside each), a self-contained {@code index.html} that leads with the answer (what ran,
 * for an adaptive search the atlas of every variant's m*(n) and joint fit ({@link Atlas}), the threshold
 * table, m_star against n; {@link HtmlReport}) with the plots inlined as SVG, and a
 * Markdown {@code summary.md}. Aggregation runs in Spark
 * (medians over seeds); only the aggregates reach the driver. This class orders the work; each kind of figure
 * is a {@link ReportFigure} of its own, a paper's figures owned by the models they belong to ({@link ReportFigure#models}),
 * and saved through a {@link FigureSink}. Plots:
 * <ul>
 *   <li>per group (model, α, n, d, η), one series per width m: loss/loss0, flipped activations,
 *       largest weight movement and λmin(Λ(s)) against the GD step;</li>
 *   <li>across groups: λmin of the kernels at init against m with the infinite-width values; final
 *       flips and movement against m; measured rate against each theorem's prediction;</li>
 *   <li>from the derived tables, when {@code overparam aggregate} wrote them: success probability
 *       against m per n, m_star against n with the fitted power law and the theory's slopes, measured
 *       over predicted rate against n ({@link ThresholdFigures}).</li>
 * </ul>
 * A group with more than {@link #MAX_WIDTHS} widths (a width search) gets lines for that many, spread
 * evenly in log m.
 */
public final class ReportWriter {
    /** Groups beyond this many get no per-group plots (the summary still lists them). */
    public static final int MAX_GROUPS = 12;
    /** Per-group plots draw at most this many widths (one per palette colour), spread in log m (a search tests more). */
    public static final int MAX_WIDTHS = 7;
    /** λmin(Λ(s)) at most this fraction of the group's largest is zero to rounding (a singular kernel). */
    static final double SINGULAR = 1e-10;
    /** The columns of a group of the per-group plots: the model with its variant in one label, α, n, d, η. */
    static final List<String> GROUP = List.of("model", "alpha", "n", "d", "eta");
    /** The figures that follow the per-group ones, in the report's order; a paper's own among them. */
    private static final List<ReportFigure> FIGURES = List.of(new KernelsAtInitFigure(), new FinalDynamicsFigures(),
            new ErrorVsOmegaFigure(), new MarginsFigure(), new DeepDynamicsFigures(), new RateFigure());

    private final SparkSession spark;
    private final Path dir;
    private final Path reportDir;
    private final FileSystem fs;

    public ReportWriter(SparkSession spark, String outputDir) throws IOException {
        this.spark = spark;
        Path p = new Path(outputDir);
        this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.setWriteChecksum(false);
        this.dir = fs.makeQualified(p);
        this.reportDir = new Path(dir, "report");
    }

    /** Writes the report and returns the figures written. */
    public List<Figure> write() throws IOException {
        // Groups are model and variant (ModelVariant): the model column carries both, e.g. "grelu L=3,d_y=1".
        Dataset<Row> rawTrials = DistinctRows.trials(spark, new Path(dir, ParquetTableStore.TRIALS).toString(), System.err);
        java.util.Set<String> models = new java.util.HashSet<>(rawTrials.select("model").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        Dataset<Row> trials = labelled(rawTrials).cache();
        Dataset<Row> curves = DistinctRows.curves(spark, new Path(dir, ParquetTableStore.CURVES).toString(), System.err);
        fs.mkdirs(reportDir);
        FigureSink sink = new FigureSink(fs, reportDir);
        List<Row> groups = trials.select(GROUP.stream().map(Column::new).toArray(Column[]::new)).distinct()
                .orderBy(GROUP.stream().map(Column::new).toArray(Column[]::new)).collectAsList();
        String derived = "";
        List<Row> thresholdRows = List.of();
        List<Row> scalingRows = List.of();
        List<Atlas.Variant> atlas = List.of();
        if (fs.exists(new Path(dir, Aggregation.THRESHOLDS)) && fs.exists(new Path(dir, Aggregation.SCALING))
                && fs.exists(new Path(dir, Aggregation.RATES))) {
            Dataset<Row> thresholdTable = spark.read().parquet(new Path(dir, Aggregation.THRESHOLDS).toString());
            Dataset<Row> scalingTable = spark.read().parquet(new Path(dir, Aggregation.SCALING).toString());
            // An adaptive search's joint fits open the report (the atlas); the rest shows the least-squares fits as before.
            Atlas found = Atlas.of(scalingTable, thresholdTable);
            if (!found.isEmpty()) {
                sink.save(found.chart(), Atlas.SECTION, Atlas.FILE, Atlas.CAPTION);
                Path ladderDir = new Path(dir, Aggregation.LADDER);
                List<Row> ladderRows = fs.exists(ladderDir) ? spark.read().parquet(ladderDir.toString()).collectAsList() : List.of();
                Chart parameters = ParametersFigure.of(found, ladderRows);
                if (parameters != null) {
                    sink.save(parameters, Atlas.SECTION, ParametersFigure.FILE, ParametersFigure.CAPTION);
                }
                atlas = found.variants();
            }
            Chart ladder = LadderFigure.of(scalingTable);
            if (ladder != null) {
                sink.save(ladder, found.isEmpty() ? "Budget ladder" : LadderFigure.SECTION, LadderFigure.FILE, LadderFigure.CAPTION);
            }
            Dataset<Row> thresholds = labelled(thresholdTable);
            Dataset<Row> scaling = labelled(Atlas.leastSquares(scalingTable));
            Dataset<Row> rates = labelled(spark.read().parquet(new Path(dir, Aggregation.RATES).toString()));
            List<ThresholdFigures.Plot> plots = new ArrayList<>(ThresholdFigures.successVsWidth(thresholds, MAX_GROUPS));
            plots.addAll(ThresholdFigures.mStarVsN(thresholds, scaling));
            plots.addAll(ThresholdFigures.rateRatios(rates));
            for (ThresholdFigures.Plot p : plots) {
                sink.save(p.chart(), p.section(), p.file(), p.caption());
            }
            derived = Summary.thresholds(thresholds, scaling, rates);
            thresholdRows = thresholds.orderBy("model", "alpha", "d", "eta", "n", "m").collectAsList();
            scalingRows = scaling.collectAsList();
        }
        new GroupDynamicsFigures(groups).draw(trials, curves, sink);
        for (ReportFigure figure : FIGURES) {
            // A paper's figure is drawn when the sweep trained a model it belongs to.
            if (figure.models().isEmpty() || figure.models().stream().anyMatch(k -> models.contains(k.key()))) {
                figure.draw(trials, curves, sink);
            }
        }
        List<Figure> figures = sink.figures();
        sink.writeText("summary.md", Summary.markdown(trials, groups.size(), Math.min(groups.size(), MAX_GROUPS)) + Summary.atlas(atlas) + derived);
        sink.writeText("index.html", HtmlReport.page(HtmlReport.Overview.of(trials, dir, sweepName(), groups.size(), planned()), thresholdRows, scalingRows, figures, atlas));
        trials.unpersist();
        return figures;
    }

    /** The sweep's name from the manifest, else the folder's name. */
    private String sweepName() {
        try {
            return SweepManifest.exists(fs, dir) ? SweepManifest.read(fs, dir).sweep() : dir.getName();
        } catch (IOException e) {
            return dir.getName();
        }
    }

    /** The trial count the manifest plans, or -1 when it cannot be read (a width search plans stage by stage). */
    private long planned() {
        try {
            return SweepManifest.exists(fs, dir)
                    ? SweepManifest.read(fs, dir).trials() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@code rows} with the model column naming the variant too, and no variant column. */
    private static Dataset<Row> labelled(Dataset<Row> rows) {
        return ModelVariant.labelModel(rows).drop(ModelVariant.COLUMN);
    }

    public Path reportDir() {
        return reportDir;
    }
}
