package org.overparam.sweep.report;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.trainer.trial.ModelKind;

/**
 * One kind of figure of the report: draws itself from the sweep's trials and curves (model labels with
 * their variants) into a {@link FigureSink}, or nothing when the trials lack what it shows.
 */
interface ReportFigure {
    void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException;

    /** The models whose paper this figure reproduces; empty for a figure of every model that measured its columns. */
    default List<ModelKind> models() {
        return List.of();
    }
}
