package org.overparam.sweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One line or scatter plot, built series by series and written as a PNG (XChart). Points that a log
 * axis cannot show (≤ 0, NaN) are dropped; a chart with no drawable point is not written.
 */
public final class Chart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private final XYChart chart;
    private final boolean logX;
    private final boolean logY;
    private int series;

    public Chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        this.logX = logX;
        this.logY = logY;
        this.chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler.ChartTheme theme = Styler.ChartTheme.Matlab;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(6);
    }

    /** Adds a line; returns false when none of its points can be drawn. */
    public boolean line(String name, double[] x, double[] y) {
        return add(name, x, y, XYSeries.XYSeriesRenderStyle.Line, false);
    }

    /** Adds a dashed reference line (e.g. a theory value). */
    public boolean reference(String name, double[] x, double[] y) {
        return add(name, x, y, XYSeries.XYSeriesRenderStyle.Line, true);
    }

    /** Adds points. */
    public boolean scatter(String name, double[] x, double[] y) {
        return add(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter, false);
    }

    private boolean add(String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style, boolean dashed) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX) && drawable(y[i], logY)) {
                points.add(new double[] {x[i], y[i]});
            }
        }
        if (points.isEmpty()) {
            return false;
        }
        double[] px = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] py = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(style);
        if (style == XYSeries.XYSeriesRenderStyle.Line) {
            s.setMarker(px.length <= 12 && !dashed ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineStyle(dashed
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f)
                    : new BasicStroke(2f));
            if (dashed) {
                s.setLineColor(Color.DARK_GRAY);
            }
        }
        series++;
        return true;
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** Whether any series was added. */
    public boolean hasData() {
        return series > 0;
    }

    public void writePng(OutputStream out) throws IOException {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
}
