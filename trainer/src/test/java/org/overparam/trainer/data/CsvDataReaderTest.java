package org.overparam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.trainer.data.CsvDataReader.CsvFormatException;

/** {@link CsvDataReader} on small hand-written files. */
class CsvDataReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsLabelFromTheMiddleWithQuotesAndBlankLines() throws Exception {
        Path p = write("a.csv", String.join("\n",
                "a,\"label\", b ,c",
                "1.5,1,2,-3",
                "",
                "  \"4\" , \"-1\" ,5e-1,6",
                "   ",
                "7,0.25,8,\"9.0\"",
                ""));
        TabularData t = CsvDataReader.read(p, "label", Normalization.NONE, Integer.MAX_VALUE);
        assertEquals(3, t.rows());
        assertEquals(3, t.d());
        assertArrayEquals(new double[] {1.5, 2, -3, 4, 0.5, 6, 7, 8, 9}, t.features(), 0.0);
        assertArrayEquals(new double[] {1, -1, 0.25}, t.labels(), 0.0);
    }

    @Test
    void unitNormalizationScalesEachRowAndLeavesZeroRows() throws Exception {
        Path p = write("u.csv", "x1,x2,label,x3\n3,0,1,4\n0,0,2,0\n1,-2,3,2\n");
        TabularData t = CsvDataReader.read(p, "label", Normalization.UNIT, Integer.MAX_VALUE);
        // Rows (3,0,4)/5, (0,0,0) unchanged, (1,−2,2)/3: each value within 1 ulp of the exact quotient.
        double[] expected = {0.6, 0, 0.8, 0, 0, 0, 1.0 / 3, -2.0 / 3, 2.0 / 3};
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], t.features()[j], 2 * Math.ulp(1.0), "entry " + j);
        }
        assertArrayEquals(new double[] {1, 2, 3}, t.labels(), 0.0, "labels are never normalized");
        Dataset data = t.load(3, 3);
        assertEquals(1.0, data.rowNorm(0), 1e-15);
        assertEquals(1.0, data.rowNorm(2), 1e-15);
    }

    @Test
    void maxRowsLimitsTheRowsRead() throws Exception {
        Path p = write("m.csv", "label,x\n1,10\n2,20\n\n3,30\n4,40\n");
        TabularData t = CsvDataReader.read(p, "label", Normalization.NONE, 2);
        assertEquals(2, t.rows());
        assertArrayEquals(new double[] {10, 20}, t.features(), 0.0);
        assertEquals(2, t.maxExamples());
        TabularData all = CsvDataReader.read(p, "label", Normalization.NONE, Integer.MAX_VALUE);
        assertEquals(4, all.rows());
        assertEquals(all.identity(), t.identity(), "same file, same content hash");
    }

    @Test
    void missingLabelColumnIsReported() throws Exception {
        Path p = write("nolabel.csv", "a,b,target\n1,2,3\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> CsvDataReader.read(p, "label", Normalization.NONE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("'label'"), e.getMessage());
        assertTrue(e.getMessage().contains("nolabel.csv"), e.getMessage());
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws Exception {
        // Physical line 4 (header is line 1, a blank line 3 still counts).
        Path p = write("bad.csv", "a,label,b\n1,1,2\n\n3,1,oops\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> CsvDataReader.read(p, "label", Normalization.NONE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertTrue(e.getMessage().contains("oops"), e.getMessage());

        Path inf = write("inf.csv", "a,label\nInfinity,1\n");
        CsvFormatException e2 = assertThrows(CsvFormatException.class,
                () -> CsvDataReader.read(inf, "label", Normalization.NONE, Integer.MAX_VALUE));
        assertTrue(e2.getMessage().contains("line 2") && e2.getMessage().contains("'a'"), e2.getMessage());

        Path badLabel = write("badlabel.csv", "a,label\n1,\n");
        CsvFormatException e3 = assertThrows(CsvFormatException.class,
                () -> CsvDataReader.read(badLabel, "label", Normalization.NONE, Integer.MAX_VALUE));
        assertTrue(e3.getMessage().contains("line 2") && e3.getMessage().contains("'label'"), e3.getMessage());
    }

    @Test
    void wrongFieldCountNamesTheLine() throws Exception {
        Path p = write("count.csv", "a,label,b\n1,2,3\n4,5,6\n7,8\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> CsvDataReader.read(p, "label", Normalization.NONE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("2 fields"), e.getMessage());

        // A quoted comma is part of a field, so this row has 4 fields, not 3.
        Path q = write("quoted.csv", "a,label,b\n1,2,\"3,5\"\n");
        CsvFormatException eq = assertThrows(CsvFormatException.class,
                () -> CsvDataReader.read(q, "label", Normalization.NONE, Integer.MAX_VALUE));
        assertTrue(eq.getMessage().contains("line 2") && eq.getMessage().contains("'b'"), eq.getMessage());
    }

    @Test
    void emptyFilesAndLabelOnlyFilesAreRejected() throws Exception {
        Path empty = write("empty.csv", "");
        assertThrows(CsvFormatException.class, () -> CsvDataReader.read(empty, "label", Normalization.NONE, 10));
        Path only = write("only.csv", "label\n1\n");
        assertThrows(CsvFormatException.class, () -> CsvDataReader.read(only, "label", Normalization.NONE, 10));
        Path missing = dir.resolve("missing.csv");
        assertThrows(CsvFormatException.class, () -> CsvDataReader.read(missing, "label", Normalization.NONE, 10));
    }

    @Test
    void identityFollowsContentLabelAndNormalization() throws Exception {
        Path a = write("id1.csv", "x,label,z\n1,2,3\n");
        Path sameContent = write("id2.csv", "x,label,z\n1,2,3\n");
        Path changed = write("id3.csv", "x,label,z\n1,2,4\n");
        String ida = CsvDataReader.read(a, "label", Normalization.UNIT, 10).identity();
        assertEquals(ida, CsvDataReader.read(sameContent, "label", Normalization.UNIT, 10).identity(),
                "identity depends on content, not the path");
        assertNotEquals(ida, CsvDataReader.read(changed, "label", Normalization.UNIT, 10).identity());
        assertNotEquals(ida, CsvDataReader.read(a, "label", Normalization.NONE, 10).identity());
        assertNotEquals(ida, CsvDataReader.read(a, "z", Normalization.UNIT, 10).identity());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        Path p = write("bom.csv", "\uFEFFlabel,x\n1,2\n");
        TabularData t = CsvDataReader.read(p, "label", Normalization.NONE, 10);
        assertArrayEquals(new double[] {2}, t.features(), 0.0);
        assertEquals(Normalization.UNIT, Normalization.parse("unit"));
        assertEquals(null, Normalization.parse("l2"));
    }
}
