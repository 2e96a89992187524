package org.overparam.sweep.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where the report's figures and texts go: each chart with data is written to {@code DIR/report} as PNG and PDF
 * and kept, with its SVG, in the order drawn (the order of index.html).
 */
final class FigureSink {
    private final FileSystem fs;
    private final Path reportDir;
    private final List<Figure> figures = new ArrayList<>();

    FigureSink(FileSystem fs, Path reportDir) {
        this.fs = fs;
        this.reportDir = reportDir;
    }

    /** The figures saved so far, in order. */
    List<Figure> figures() {
        return List.copyOf(figures);
    }

    void save(Chart chart, String section, String file, String caption) throws IOException {
        if (!chart.hasData()) {
            return;
        }
        // Model labels carry a variant ("smooth d_y=1,activation=gelu"): keep file names to safe characters.
        file = file.replaceAll("[^A-Za-z0-9._-]", "_");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        chart.writePng(png);
        try (OutputStream out = fs.create(new Path(reportDir, file), true)) {
            png.writeTo(out);
        }
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        chart.writePdf(pdf);
        Figure figure = new Figure(section, file, caption, "");
        try (OutputStream out = fs.create(new Path(reportDir, figure.pdf()), true)) {
            pdf.writeTo(out);
        }
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        chart.writeSvg(svg);
        figures.add(new Figure(section, file, caption, svg.toString(StandardCharsets.UTF_8)));
    }

    void writeText(String file, String text) throws IOException {
        try (OutputStream out = fs.create(new Path(reportDir, file), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
