package org.overparam.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a numeric CSV file with a header row into {@link TabularData}: the {@code label} column is
 * the target, every other column a feature. Fields may be double-quoted; blank lines are skipped.
 * Errors name the file, line and column.
 */
public final class CsvDataReader {
    private CsvDataReader() {
    }

    /** Thrown for an unreadable or malformed file; the message names file, line and column. */
    public static final class CsvFormatException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean missingLabel;

        public CsvFormatException(String message) {
            this(message, false);
        }

        CsvFormatException(String message, boolean missingLabel) {
            super(message);
            this.missingLabel = missingLabel;
        }

        /** True when the file lacks the label column (a config problem rather than a file problem). */
        public boolean missingLabel() {
            return missingLabel;
        }
    }

    /**
     * Reads at most {@code maxRows} data rows ({@code Integer.MAX_VALUE} for all).
     */
    public static TabularData read(Path path, String label, Normalization normalization, int maxRows)
            throws CsvFormatException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + path + ": " + e.getMessage());
        }
        String sha = sha256(bytes);
        try (BufferedReader in = new BufferedReader(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new CsvFormatException(path + " is empty (a header row is needed)");
            }
            List<String> header = split(stripBom(headerLine));
            int labelCol = header.indexOf(label);
            if (labelCol < 0) {
                throw new CsvFormatException(path + ": no column named '" + label + "' in header " + header, true);
            }
            int d = header.size() - 1;
            if (d < 1) {
                throw new CsvFormatException(path + ": needs at least one feature column besides '" + label + "'");
            }
            List<double[]> rows = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null && rows.size() < maxRows) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = split(line);
                if (fields.size() != header.size()) {
                    throw new CsvFormatException(path + " line " + lineNo + ": " + fields.size()
                            + " fields, header has " + header.size());
                }
                double[] row = new double[d];
                int j = 0;
                for (int c = 0; c < fields.size(); c++) {
                    double v = parse(fields.get(c), path, lineNo, header.get(c));
                    if (c == labelCol) {
                        labels.add(v);
                    } else {
                        row[j++] = v;
                    }
                }
                rows.add(row);
            }
            int n = rows.size();
            double[] x = new double[n * d];
            double[] y = new double[n];
            double ball = 0;
            for (double[] row : rows) {
                double s = 0;
                for (double v : row) {
                    s += v * v;
                }
                ball = Math.max(ball, Math.sqrt(s));
            }
            for (int i = 0; i < n; i++) {
                double[] row = rows.get(i);
                double scale = normalization == Normalization.BALL && ball > 0 ? 1.0 / ball : 1.0;
                if (normalization == Normalization.UNIT) {
                    double s = 0;
                    for (double v : row) {
                        s += v * v;
                    }
                    scale = s > 0 ? 1.0 / Math.sqrt(s) : 1.0;
                }
                for (int k = 0; k < d; k++) {
                    x[i * d + k] = row[k] * scale;
                }
                y[i] = labels.get(i);
            }
            String identity = "csv(sha256=" + sha + ",label=" + label + ",normalize=" + normalization.key() + ")";
            return new TabularData(n, d, x, y, identity);
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static double parse(String field, Path path, int lineNo, String column) throws CsvFormatException {
        String s = field.trim();
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CsvFormatException(path + " line " + lineNo + ", column '" + column
                    + "': not a finite number: '" + s + "'");
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Splits one CSV record on commas, honouring double quotes (with "" as an escaped quote). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
