package org.overparam.sweep.tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;

/**
 * What {@link TableVerifier} found in an output folder: its committed batches, the damaged parts among them, and
 * data files no manifest names (leftovers of an interrupted commit, never read).
 *
 * @param root        the output folder, qualified
 * @param recorded    whether the folder records its commits ({@link CommitLog}); if not, every data file is read
 *                    unchecked (a folder written before manifests)
 * @param checksums   whether contents were checked (CRC32C), not only sizes
 * @param batches     the readable manifests
 * @param damage      the damaged parts, at most one per file
 * @param uncommitted data files under no manifest (or, when not recorded, every data file), relative to root
 * @param pending     redo journals of an interrupted replacement or compaction, finished by the next writer
 */
public record Verification(Path root, boolean recorded, boolean checksums, List<BatchManifest> batches, List<Damage> damage,
                           List<String> uncommitted, List<String> pending) {
    public Verification {
        batches = List.copyOf(batches);
        damage = List.copyOf(damage);
        uncommitted = List.copyOf(uncommitted);
        pending = List.copyOf(pending);
    }

    /** Whether no committed part is damaged. */
    public boolean intact() {
        return damage.isEmpty();
    }

    /** The tags of the batches with a damaged part. */
    public Set<String> damagedBatches() {
        Set<String> out = new TreeSet<>();
        damage.forEach(d -> out.add(d.batch()));
        return out;
    }

    /** The batches whose every part checked out. */
    public List<BatchManifest> intactBatches() {
        Set<String> bad = damagedBatches();
        return batches.stream().filter(b -> !bad.contains(b.batch())).toList();
    }

    /** Ids of the trials in intact batches. */
    public Set<String> intactTrialIds() {
        Set<String> ids = new LinkedHashSet<>();
        intactBatches().forEach(b -> ids.addAll(b.trialIds()));
        return ids;
    }

    /** Ids of the trials in damaged batches (those with a readable manifest). */
    public Set<String> damagedTrialIds() {
        Set<String> bad = damagedBatches();
        Set<String> ids = new LinkedHashSet<>();
        batches.stream().filter(b -> bad.contains(b.batch())).forEach(b -> ids.addAll(b.trialIds()));
        return ids;
    }

    /** The files of {@code table} to read: the intact batches' parts (every data file when not recorded). */
    public List<Path> readableFiles(String table) {
        List<Path> out = new ArrayList<>();
        if (!recorded) {
            for (String f : uncommitted) {
                if (f.startsWith(table + "/")) {
                    out.add(new Path(root, f));
                }
            }
            return out;
        }
        for (BatchManifest b : intactBatches()) {
            for (BatchManifest.Part p : b.parts()) {
                if (p.table().equals(table)) {
                    out.add(new Path(root, p.file()));
                }
            }
        }
        return out;
    }

    /** Damage grouped by batch, in batch order. */
    public Map<String, List<Damage>> damageByBatch() {
        Map<String, List<Damage>> out = new LinkedHashMap<>();
        damage.stream().sorted(java.util.Comparator.comparing(Damage::batch).thenComparing(Damage::file))
                .forEach(d -> out.computeIfAbsent(d.batch(), k -> new ArrayList<>()).add(d));
        return out;
    }

    /** One line on the damage, e.g. "trials/x.parquet is truncated (5,000 of 26,116 bytes), in batch b of 40 trials and 1 more damaged part". */
    public String damageLine() {
        if (damage.isEmpty()) {
            return "no damage";
        }
        Damage first = damageByBatch().values().iterator().next().get(0);
        String line = first.describe() + (first.kind() == Damage.Kind.MANIFEST ? ""
                : String.format(Locale.ROOT, ", in batch %s of %s", first.batch(), trials(first.trialIds().size())));
        int more = damage.size() - 1;
        return more == 0 ? line : line + String.format(Locale.ROOT, " and %d more damaged part%s", more, more == 1 ? "" : "s");
    }

    /** "1 trial", "40 trials". */
    public static String trials(long n) {
        return String.format(Locale.ROOT, "%,d trial%s", n, n == 1 ? "" : "s");
    }
}
