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
 * One line or scatter plot, built series by series and written as PNG, SVG or PDF (XChart). Points that a log
 * axis cannot show (≤ 0, NaN) are dropped; a chart with no drawable point is not written.
 */
public final class Chart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private final XYChart chart;
    private final boolean logX;
    private final boolean logY;
    private int series;
    private int colors;
    private int hidden;
    private boolean log2X;
    private Color lastColor = Color.DARK_GRAY;
    private XYSeries lastSeries;
    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP};
    private double xMin = Double.POSITIVE_INFINITY;
    private double xMax = Double.NEGATIVE_INFINITY;
    private double yMin = Double.POSITIVE_INFINITY;
    private double yMax = Double.NEGATIVE_INFINITY;
    private boolean yFixed;

    public Chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        this(title, xTitle, yTitle, logX, logY, WIDTH, HEIGHT);
    }

    /** A chart of {@code width × height} pixels (the default is 900 × 560). */
    public Chart(String title, String xTitle, String yTitle, boolean logX, boolean logY, int width, int height) {
        this.logX = logX;
        this.logY = logY;
        this.chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
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
        // Solid light grid lines: the theme's dotted ones become thousands of tiny shapes in SVG and PDF.
        chart.getStyler().setPlotGridLinesStroke(new BasicStroke(0.6f));
        chart.getStyler().setPlotGridLinesColor(new Color(215, 215, 215));
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

    /**
     * Draws x on a base-2 log scale labelled at powers of two (XChart's log axes label decades only,
     * which leaves a range like n = 10…80 with one label). Only on a chart made with a log x axis;
     * call before adding series.
     */
    public void log2X() {
        if (!logX || series > 0) {
            throw new IllegalStateException("log2X() needs a log x axis and no series yet");
        }
        log2X = true;
        chart.getStyler().setXAxisLogarithmic(false);
        chart.setCustomXAxisTickLabelsFormatter(v -> {
            long k = Math.round(v);
            if (Math.abs(v - k) > 1e-9) {
                return " ";
            }
            double x = Math.pow(2, k);
            return x >= 1 ? Long.toString((long) x) : Double.toString(x);
        });
    }

    /** Moves the legend (default: right of the plot). */
    public void legend(Styler.LegendPosition position) {
        chart.getStyler().setLegendPosition(position);
    }

    /** The next colour of the theme's series palette, for series that must share a colour (a line and its intervals). */
    public Color nextColor() {
        return PALETTE[colors++ % PALETTE.length];
    }

    /**
     * Twelve distinct series colours (Tableau's ten without its grey, which the reference lines use, and three darker
     * ones), so that the atlas's twelve fit groups — seven variants, four of them with both losses — never share one.
     */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0xbcbd22), new Color(0x17becf),
        new Color(0x393b79), new Color(0x843c39), new Color(0x637939)};

    /** Fixes the y axis to {@code [min, max]}. */
    public void yRange(double min, double max) {
        yFixed = true;
        chart.getStyler().setYAxisMin(min);
        chart.getStyler().setYAxisMax(max);
    }

    /** Leaves the series added last out of the legend (a line drawn for a series the legend names already). */
    public void hideLast() {
        if (lastSeries != null) {
            lastSeries.setShowInLegend(false);
        }
    }

    /** Adds a line in {@code color}, with circle markers when {@code markers}. */
    public boolean line(String name, double[] x, double[] y, Color color, boolean markers) {
        XYSeries s = addSeries(name, x, y, XYSeries.XYSeriesRenderStyle.Line);
        if (s == null) {
            return false;
        }
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(2f));
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setMarkerColor(color);
        return true;
    }

    /** Adds points in {@code color} with diamond markers. */
    public boolean points(String name, double[] x, double[] y, Color color) {
        XYSeries s = addSeries(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter);
        if (s == null) {
            return false;
        }
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
        return true;
    }

    /** Adds points in {@code color} with the given marker (e.g. triangles for values known only to lie beyond an end). */
    public boolean points(String name, double[] x, double[] y, Color color, org.knowm.xchart.style.markers.Marker marker) {
        XYSeries s = addSeries(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter);
        if (s == null) {
            return false;
        }
        s.setMarker(marker);
        s.setMarkerColor(color);
        return true;
    }

    /** The names of the series shown in the legend, in the order added. */
    public List<String> seriesNames() {
        return chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList();
    }

    /** Adds a dashed reference line in {@code color} with its own dash pattern (several references in one chart). */
    public boolean reference(String name, double[] x, double[] y, Color color, float[] dash) {
        XYSeries s = addSeries(name, x, y, XYSeries.XYSeriesRenderStyle.Line);
        if (s == null) {
            return false;
        }
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        return true;
    }

    /**
     * Draws at each {@code x[i]} a vertical segment from {@code lo[i]} to {@code hi[i]} (an interval) in
     * {@code color}, outside the legend; segments a log axis cannot show are left out.
     */
    public void intervals(double[] x, double[] lo, double[] hi, Color color) {
        for (int i = 0; i < x.length; i++) {
            if (!drawable(x[i], logX) || !drawable(lo[i], logY) || !drawable(hi[i], logY)) {
                continue;
            }
            XYSeries s = chart.addSeries("\u200b" + (hidden++), new double[] {xValue(x[i]), xValue(x[i])}, new double[] {yValue(lo[i]), yValue(hi[i])});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color);
            s.setLineStyle(new BasicStroke(1.5f));
            s.setShowInLegend(false);
        }
    }

    /** A series of the drawable points, or null when there are none. */
    private XYSeries addSeries(String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style) {
        lastSeries = null;
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX) && drawable(y[i], logY)) {
                points.add(new double[] {xValue(x[i]), yValue(y[i])});
            }
        }
        if (points.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
        s.setXYSeriesRenderStyle(style);
        series++;
        lastSeries = s;
        return s;
    }

    /** Records a drawn y value (for the log axis's range). */
    private double yValue(double y) {
        yMin = Math.min(yMin, y);
        yMax = Math.max(yMax, y);
        return y;
    }

    /** Where {@code x} is drawn: itself, or its base-2 logarithm after {@link #log2X()}. */
    private double xValue(double x) {
        double v = log2X ? Math.log(x) / Math.log(2) : x;
        xMin = Math.min(xMin, v);
        xMax = Math.max(xMax, v);
        return v;
    }

    private boolean add(String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style, boolean dashed) {
        lastSeries = null;
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX) && drawable(y[i], logY)) {
                points.add(new double[] {xValue(x[i]), yValue(y[i])});
            }
        }
        if (points.isEmpty()) {
            return false;
        }
        double[] px = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] py = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(style);
        lastSeries = s;
        if (!dashed) {
            // Past the palette's last colour, series differ by marker shape (and lines by dashes) too.
            int cycle = colors / PALETTE.length;
            lastColor = nextColor();
            s.setLineColor(lastColor);
            s.setMarkerColor(lastColor);
            s.setMarker(style == XYSeries.XYSeriesRenderStyle.Scatter ? MARKERS[(series) % MARKERS.length]
                    : px.length <= 12 ? MARKERS[cycle % MARKERS.length] : SeriesMarkers.NONE);
        }
        if (style == XYSeries.XYSeriesRenderStyle.Line) {
            if (dashed) {
                s.setMarker(SeriesMarkers.NONE);
            }
            int cycle = (colors - 1) / PALETTE.length;
            s.setLineStyle(dashed
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f)
                    : cycle == 0 ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {10f, 3f, 2f, 3f}, 0f));
            if (dashed) {
                s.setLineColor(Color.DARK_GRAY);
            }
        }
        series++;
        return true;
    }

    /** The colour of the last line or scatter series added (a reference drawn beside it can share it). */
    public Color lastColor() {
        return lastColor;
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** Whether any series was added. */
    public boolean hasData() {
        return series > 0;
    }

    /** Writes the chart as a PNG (for viewers and Markdown). */
    public void writePng(OutputStream out) throws IOException {
        fixAxes();
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes the chart as SVG (inlined in index.html: crisp at any zoom). */
    public void writeSvg(OutputStream out) throws IOException {
        fixAxes();
        org.knowm.xchart.VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /**
     * Writes the chart as PDF (vector, for papers) with VectorGraphics2D's PDF processor (XChart's own
     * PDF export needs pdfbox, which is left out of the jar).
     */
    public void writePdf(OutputStream out) throws IOException {
        fixAxes();
        de.erichseifert.vectorgraphics2d.VectorGraphics2D g = new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        new de.erichseifert.vectorgraphics2d.pdf.PDFProcessor(true)
                .getDocument(g.getCommands(), new de.erichseifert.vectorgraphics2d.util.PageSize(0, 0, chart.getWidth(), chart.getHeight()))
                .writeTo(out);
    }

    /** Adds a series drawn as markers only (values logged at a few steps: no line implies what happened between). */
    public boolean markers(String name, double[] x, double[] y) {
        return add(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter, false);
    }

    private void fixAxes() {
        if (logY && !yFixed && yMin <= yMax) {
            // XChart labels a log axis at powers of ten only: reach the decades on both sides, so that
            // data within one decade still get two labels.
            double lo = Math.pow(10, Math.floor(Math.log10(yMin)));
            double hi = Math.pow(10, Math.ceil(Math.log10(yMax)));
            chart.getStyler().setYAxisMin(lo);
            chart.getStyler().setYAxisMax(hi > lo ? hi : lo * 10);
        }
        if (log2X && xMin <= xMax) {
            // Whole powers of two at both ends, so that the labelled ticks fall inside the axis.
            chart.getStyler().setXAxisMin(Math.floor(xMin));
            chart.getStyler().setXAxisMax(Math.max(Math.ceil(xMax), Math.floor(xMin) + 1));
        }
    }
}
