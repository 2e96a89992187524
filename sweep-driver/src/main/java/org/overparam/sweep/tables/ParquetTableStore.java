package org.overparam.sweep.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Parquet tables under one output folder (any Hadoop file system: local, HDFS, S3A):
 * {@code DIR/trials/} and {@code DIR/curves/}, each a folder of files named
 * {@code <batch>-part-*.parquet}. A batch is written by Spark into {@code DIR/_staging/<batch>/}, then
 * its files are renamed into place, curves first and trials last: a batch is committed exactly when
 * its trials file is present. Readers skip names starting with {@code _} or {@code .}.
 */
public final class ParquetTableStore implements TableStore {
    public static final String TRIALS = "trials";
    public static final String CURVES = "curves";
    private static final String STAGING = "_staging";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    public ParquetTableStore(SparkSession spark, String outputDir) {
        this.spark = spark;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path p = new Path(outputDir);
            this.fs = p.getFileSystem(conf);
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output folder " + outputDir, e);
        }
    }

    /** The output folder, fully qualified. */
    public Path root() {
        return root;
    }

    public Path tablePath(String table) {
        return new Path(root, table);
    }

    @Override
    public void recover() {
        try {
            fs.delete(new Path(root, STAGING), true);
            Set<String> committed = batchTags(TRIALS);
            for (FileStatus f : dataFiles(CURVES)) {
                if (!committed.contains(batchTag(f.getPath().getName()))) {
                    fs.delete(f.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + root, e);
        }
    }

    @Override
    public Set<String> committedTrialIds() {
        if (dataFiles(TRIALS).isEmpty()) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        for (Row r : spark.read().parquet(tablePath(TRIALS).toString()).select("trial_id").collectAsList()) {
            ids.add(r.getString(0));
        }
        return ids;
    }

    @Override
    public void commitBatch(String batchTag, Dataset<Row> trials, Dataset<Row> curves) {
        Path staging = new Path(new Path(root, STAGING), batchTag);
        trials.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(staging, TRIALS).toString());
        curves.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(staging, CURVES).toString());
        try {
            moveInto(new Path(staging, CURVES), CURVES, batchTag);
            moveInto(new Path(staging, TRIALS), TRIALS, batchTag);
            fs.delete(new Path(root, STAGING), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit batch " + batchTag + " into " + root, e);
        }
    }

    private void moveInto(Path stagedTable, String table, String batchTag) throws IOException {
        Path target = tablePath(table);
        fs.mkdirs(target);
        for (FileStatus f : fs.listStatus(stagedTable)) {
            String name = f.getPath().getName();
            if (name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) {
                Path dest = new Path(target, batchTag + "-" + name);
                if (!fs.rename(f.getPath(), dest)) {
                    throw new IOException("rename " + f.getPath() + " -> " + dest + " failed");
                }
            }
        }
    }

    private List<FileStatus> dataFiles(String table) {
        try {
            Path dir = tablePath(table);
            if (!fs.exists(dir)) {
                return List.of();
            }
            return List.of(fs.listStatus(dir, p -> p.getName().endsWith(".parquet")
                    && !p.getName().startsWith("_") && !p.getName().startsWith(".")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + table + " under " + root, e);
        }
    }

    private Set<String> batchTags(String table) {
        Set<String> tags = new HashSet<>();
        for (FileStatus f : dataFiles(table)) {
            tags.add(batchTag(f.getPath().getName()));
        }
        return tags;
    }

    /** File names are {@code <batchTag>-part-…}; batch tags contain no "-part-". */
    private static String batchTag(String fileName) {
        int i = fileName.indexOf("-part-");
        return i < 0 ? fileName : fileName.substring(0, i);
    }
}
