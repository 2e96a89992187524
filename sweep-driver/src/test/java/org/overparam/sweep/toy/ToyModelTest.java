package org.overparam.sweep.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.cli.OverparamCli;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;

/**
 * Adding a model is one class and one registry line (docs/models.md): {@link RandomFeaturesModel}, registered
 * by one line in {@code src/test/toy-model/META-INF/services/org.overparam.trainer.models.TrialModel}, which
 * only this test's surefire execution puts on the class path. With nothing else changed, a config names it,
 * a sweep trains it on Spark, and the aggregation puts the theory its class declares beside its fitted
 * exponent.
 */
class ToyModelTest {
    private static final String CONFIG = """
            name: toy
            model: rf
            data: {kind: sphere, target: gaussian, seed: 0}
            grid:
              m: [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
              n: [4, 8, 16]
              d: [32]
              eta: [1.0]
              eta_per: {rf: n}
            seeds: 2
            train: {steps: 4000, tolerance: 1.0e-3}
            thresholds: {delta: 0.25, bootstrap: 0}
            """;

    @Test
    void oneClassAndOneRegistryLineMakeAModelThatRunsEndToEnd(@TempDir Path tmp) throws Exception {
        List<TrialModel> all = TrialModels.all();
        assertEquals("rf", all.get(all.size() - 1).key(), "the services file's model comes after the built-in ones");
        assertSame(RandomFeaturesModel.KIND, TrialModels.parse("rf"));

        Path config = Files.writeString(tmp.resolve("toy.yaml"), CONFIG);
        Path out = tmp.resolve("out");
        assertEquals(0, OverparamCli.execute("run", config.toString(), "--out", out.toString(), "--master", "local[2]"));

        SparkSession spark = SparkTestSupport.session("local[1]");
        List<Row> scaling = spark.read().parquet(out.resolve("scaling").toString()).collectAsList();
        assertEquals(1, scaling.size());
        Row fit = scaling.get(0);
        assertEquals("rf", fit.getAs("model"));
        assertEquals(1.0, (double) fit.getAs("theory_exponent"), 0.0, "the exponent the class declares");
        assertEquals("rank: m ≥ n random features interpolate n points", fit.getAs("theory"));
        assertEquals(3L, spark.read().parquet(out.resolve("trials").toString()).select("n").distinct().count());
        List<Row> thresholds = spark.read().parquet(out.resolve("thresholds").toString())
                .select("n", "m_star").distinct().orderBy("n").collectAsList();
        assertEquals(3, thresholds.size());
        double previous = 0;
        for (Row r : thresholds) {
            assertTrue(!r.isNullAt(1), "a threshold at every n: " + thresholds + "\n"
                    + spark.read().parquet(out.resolve("trials").toString()).groupBy("n", "m").pivot("status").count().orderBy("n", "m").collectAsList());
            double mStar = r.getDouble(1);
            assertTrue(mStar >= previous, "m_star grows with n: " + thresholds);
            previous = mStar;
        }
        assertTrue(Files.exists(out.resolve("report/index.html")));
    }
}
