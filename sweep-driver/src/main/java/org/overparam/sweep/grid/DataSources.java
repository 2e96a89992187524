package org.overparam.sweep.grid;

import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.config.DataConfig;
import org.overparam.trainer.data.AckleyData;
import org.overparam.trainer.data.Cifar10Data;
import org.overparam.trainer.data.CsvDataReader;
import org.overparam.trainer.data.DataFileException;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.DyadicData;
import org.overparam.trainer.data.LabeledRows;
import org.overparam.trainer.data.MnistData;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.Preprocessing;
import org.overparam.trainer.data.SplitTable;
import org.overparam.trainer.data.TabularData;
import org.overparam.trainer.data.TeacherData;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.teacher.TrainedTeacher;

/**
 * Builds the data source of the data kinds beyond {@code sphere} and plain {@code csv}: generators
 * (wrapped in a held-out tail when {@code test_fraction > 0}) and files read once on the driver, keeping
 * at most the sweep's largest {@code n} training examples.
 */
final class DataSources {
    private DataSources() {
    }

    static DataSource resolve(DataConfig data, int maxN) throws ConfigException {
        if (data instanceof DataConfig.Dyadic) {
            return new DyadicData();
        }
        if (data instanceof DataConfig.Ackley a) {
            return heldOut(new AckleyData(a.seed()), a.testFraction());
        }
        if (data instanceof DataConfig.Teacher t) {
            return heldOut(new TeacherData(t.width(), t.sign(), t.seed()), t.testFraction());
        }
        if (data instanceof DataConfig.TrainedTeacher t) {
            return trainedTeacher(t, maxN);
        }
        return checkSize(images((DataConfig.Images) data, maxN), maxN);
    }

    /** The base read whole, the teacher trained on its training pool, the result cut to the sweep's largest n. */
    private static DataSource trainedTeacher(DataConfig.TrainedTeacher t, int maxN) throws ConfigException {
        SplitTable base = images(t.base(), Integer.MAX_VALUE);
        TrainedTeacher.Settings settings = new TrainedTeacher.Settings(t.width(), t.eta(), t.batch(), t.maxEpochs(), t.base().seed());
        long start = System.nanoTime();
        TrainedTeacher.Result r;
        try {
            r = TrainedTeacher.relabel(base, settings, maxN, RowMajorBlas.best());
        } catch (TrainedTeacher.NotFittedException e) {
            throw new ConfigException("data.teacher_epochs", e.getMessage());
        }
        System.out.printf(java.util.Locale.ROOT,
                "teacher: zero training error on %d %s examples after %d epochs (%.1f s); it agrees with the true label on %.1f%% of the %d held out%n",
                r.poolSize(), t.base().kind(), r.epochs(), (System.nanoTime() - start) / 1e9, 100 * r.heldOutAgreement(),
                r.table().heldOutRows());
        return checkSize(r.table(), maxN);
    }

    private static SplitTable images(DataConfig.Images images, int maxN) throws ConfigException {
        int[] classes = images.classes().isEmpty() ? null : images.classes().stream().mapToInt(Integer::intValue).toArray();
        SplitTable table;
        try {
            table = images.kind().equals("mnist")
                    ? MnistData.read(images.files().get(0), images.files().get(1), classes, images.preprocessing(),
                            images.testFraction(), images.seed(), maxN)
                    : Cifar10Data.read(images.files(), classes, images.preprocessing(), images.testFraction(), images.seed(), maxN);
        } catch (DataFileException e) {
            throw new ConfigException("data.path", e.getMessage());
        }
        return table;
    }

    /** A csv file split into a training pool and a held-out set (the normalization applies after the split). */
    static DataSource splitCsv(DataConfig.Csv csv, int maxN) throws ConfigException {
        TabularData all;
        try {
            all = CsvDataReader.read(csv.path(), csv.label(), Normalization.NONE, Integer.MAX_VALUE);
        } catch (CsvDataReader.CsvFormatException e) {
            throw new ConfigException(e.missingLabel() ? "data.label" : "data.path", e.getMessage());
        }
        LabeledRows rows = new LabeledRows() {
            @Override
            public int rows() {
                return all.rows();
            }

            @Override
            public int d() {
                return all.d();
            }

            @Override
            public int dy() {
                return 1;
            }

            @Override
            public void input(int i, double[] out, int off) {
                System.arraycopy(all.features(), i * all.d(), out, off, all.d());
            }

            @Override
            public void target(int i, double[] out, int off) {
                out[off] = all.labels()[i];
            }
        };
        String identity = all.identity().replace(",normalize=none)", ")");
        return checkSize(SplitTable.of(rows, new Preprocessing(csv.normalize(), false), csv.testFraction(), csv.seed(), maxN,
                identity), maxN);
    }

    private static DataSource checkSize(SplitTable table, int maxN) throws ConfigException {
        if (table.trainRows() < maxN) {
            throw new ConfigException("grid.n", "the largest n is " + maxN + " but " + table.identity() + " has only "
                    + table.trainRows() + " training examples (after holding out " + table.heldOutRows() + ")");
        }
        return table;
    }

    private static DataSource heldOut(DataSource source, double testFraction) {
        return testFraction > 0 ? new WithHeldOut(source, testFraction) : source;
    }
}
