package org.overparam.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.tables.TrialTables;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.models.GridKey;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.trial.ModelKind;

/**
 * The model registry ({@link TrialModels}) against everything else that lists models, keys and columns:
 * the config loader's keys, docs/config.md's key table, the table schemas and docs/tables.md. A model,
 * key or metric added in one place and not the others fails here.
 */
class ModelRegistryTest {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyModelKindIsRegisteredOnceUnderItsName() {
        List<TrialModel> all = TrialModels.all();
        assertEquals(List.of(ModelKind.RELU, ModelKind.WN, ModelKind.BN, ModelKind.GRELU, ModelKind.DEEP_RELU, ModelKind.SMOOTH),
                all.stream().map(TrialModel::kind).toList(), "the built-in models, in docs order");
        for (ModelKind kind : all.stream().map(TrialModel::kind).toList()) {
            TrialModel model = TrialModels.of(kind);
            assertNotNull(model, kind.key());
            assertEquals(kind, model.kind());
            assertEquals(kind, TrialModels.parse(model.key()));
            assertFalse(model.trialMetrics().isEmpty(), model.key() + " measures nothing");
            assertFalse(model.curveMetrics().isEmpty(), model.key() + " traces nothing");
            assertTrue(model.gridKeys().containsAll(model.requiredKeys()), model.key() + ": a required key it does not use");
        }
    }

    @Test
    void theConfigLoaderAcceptsExactlyTheModelsKeys() {
        Set<String> used = new TreeSet<>();
        for (TrialModel model : TrialModels.all()) {
            used.addAll(GridKey.keys(model.gridKeys()));
        }
        used.remove(GridKey.ALPHA.key());
        assertEquals(used, new TreeSet<>(ModelAxesLoader.KEYS), "keys the loader parses vs keys some model uses");
    }

    @Test
    void docsConfigListsEachKeyWithTheModelsThatUseIt() throws IOException {
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String row : rows(section(read("docs/config.md"), "Model-specific grid keys", "The model must suit"))) {
            List<String> cells = cells(row);
            for (String key : codes(cells.get(0))) {
                documented.put(key.replaceFirst("^grid\\.", ""), names(cells.get(1)));
                defaults.put(key.replaceFirst("^grid\\.", ""), cells.get(2).replace("`", ""));
            }
        }
        for (GridKey key : GridKey.values()) {
            if (key != GridKey.ALPHA) {
                assertTrue(defaults.get(key.key()).contains(key.defaultValue()),
                        "docs/config.md: default of " + key.key() + " is '" + defaults.get(key.key()) + "', the key says '" + key.defaultValue() + "'");
            }
        }
        Map<String, Set<String>> registry = new LinkedHashMap<>();
        for (GridKey key : GridKey.values()) {
            if (key != GridKey.ALPHA) {
                registry.put(key.key(), users(m -> m.gridKeys().contains(key)));
            }
        }
        assertEquals(registry, documented, "docs/config.md's model-specific key table");
        assertEquals(Set.of(ModelKind.WN.key()), users(TrialModel::usesAlpha));
        String modelRow = rows(read("docs/config.md")).stream().filter(r -> r.startsWith("| `model` |")).findFirst().orElseThrow();
        assertEquals(users(m -> true), new TreeSet<>(codes(cells(modelRow).get(2))), "docs/config.md's model key");
    }

    @Test
    void docsTablesAndSchemasListEachMetricOfEachModel() throws IOException {
        String tables = read("docs/tables.md");
        String trials = section(tables, "## `trials`", "## `thresholds`");
        // bn, grelu, deep-relu and smooth: a column per metric, with the models measuring it
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        for (String row : rows(section(trials, "### Metrics of", "The theorems hide"))) {
            List<String> cells = cells(row);
            for (String column : codes(cells.get(0))) {
                documented.put(column, names(cells.get(1)));
            }
        }
        // relu and wn: the instrument columns, measured on both (some wn-only)
        Set<String> instrumentColumns = new TreeSet<>();
        for (String row : rows(section(trials, "### Instrument columns", "### Metrics of"))) {
            instrumentColumns.addAll(codes(cells(row).get(0)));
        }
        Set<String> schema = Arrays.stream(TrialTables.TRIALS.fields()).map(StructField::name).collect(Collectors.toSet());
        for (TrialMetric metric : TrialMetric.values()) {
            Set<String> measuring = users(m -> m.trialMetrics().contains(metric));
            assertFalse(measuring.isEmpty(), metric.column() + " is measured by no model");
            assertTrue(schema.contains(metric.column()), metric.column() + " is not a trials column");
            boolean twoLayer = measuring.stream().allMatch(k -> TrialModels.of(TrialModels.parse(k)).trainedByCudaKernels());
            if (documented.containsKey(metric.column())) {
                assertEquals(measuring, documented.get(metric.column()), "docs/tables.md: models of " + metric.column());
            } else {
                assertTrue(twoLayer && instrumentColumns.contains(metric.column()),
                        metric.column() + " (of " + measuring + ") is not documented in docs/tables.md");
            }
        }
        for (TrialModel model : TrialModels.all()) {
            assertTrue(schema.containsAll(model.summaryColumns()), model.key() + "'s summary columns " + model.summaryColumns());
        }
        Set<String> curveDocs = new TreeSet<>();
        Map<String, Set<String>> curveModels = new LinkedHashMap<>();
        for (String row : rows(section(tables, "## `curves`", "Instrumented steps"))) {
            List<String> cells = cells(row);
            String column = codes(cells.get(0)).get(0);
            curveDocs.add(column);
            Matcher prefix = Pattern.compile("^([a-z-]+(, [a-z-]+)*): ").matcher(cells.get(2));
            if (prefix.find()) {
                curveModels.put(column, names(prefix.group(1)));
            }
        }
        Set<String> curveSchema = Arrays.stream(TrialTables.CURVES.fields()).map(StructField::name).collect(Collectors.toSet());
        for (CurveMetric metric : CurveMetric.values()) {
            Set<String> tracing = users(m -> m.curveMetrics().contains(metric));
            assertFalse(tracing.isEmpty(), metric.column() + " is traced by no model");
            assertTrue(curveSchema.contains(metric.column()), metric.column() + " is not a curves column");
            assertTrue(curveDocs.contains(metric.column()), metric.column() + " is not documented under curves");
            if (curveModels.containsKey(metric.column())) {
                assertEquals(tracing, curveModels.get(metric.column()), "docs/tables.md curves: models of " + metric.column());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Set<String> users(java.util.function.Predicate<TrialModel> uses) {
        return TrialModels.all().stream().filter(uses).map(TrialModel::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String read(String docsPath) throws IOException {
        Path p = Path.of("..").resolve(docsPath);
        if (!Files.exists(p)) {
            p = Path.of(docsPath);
        }
        return Files.readString(p);
    }

    /** The text from the first line containing {@code from} to the next containing {@code to}. */
    private static String section(String text, String from, String to) {
        int start = text.indexOf(from);
        assertTrue(start >= 0, "no section '" + from + "'");
        int end = text.indexOf(to, start + from.length());
        assertTrue(end >= 0, "no end '" + to + "' after '" + from + "'");
        return text.substring(start, end);
    }

    /** The body rows of the markdown tables in {@code text} (header and separator rows left out). */
    private static List<String> rows(String text) {
        List<String> out = new ArrayList<>();
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (line.startsWith("| ---") || !inTable) {
                inTable = true;   // the header row, then the separator
                continue;
            }
            out.add(line);
        }
        return out;
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        for (String cell : row.substring(1, row.length() - 1).split("\\|")) {
            out.add(cell.trim());
        }
        return out;
    }

    private static List<String> codes(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> names(String cell) {
        return Arrays.stream(cell.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }
}
