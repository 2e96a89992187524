package org.overparam.sweep.report;

/**
 * One written plot: its section, the PNG's file name (a PDF of the same name sits beside it), its
 * caption, and its SVG text (inlined in index.html).
 */
public record Figure(String section, String file, String caption, String svg) {
    /** The PDF beside the PNG. */
    public String pdf() {
        return file.replaceAll("\\.png$", ".pdf");
    }
}
