import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The trials' core time of sweep outputs: per folder, the sum of the trials' {@code wall_ms} (each trial's own time;
 * a packed trial's share of its pack's), the trials and their steps. The first folder is labelled {@code off}, the
 * second {@code on} (packing: {@code scripts/bench-cpu.sh}, {@code BENCH_ONLY=packed}); more are labelled by position.
 * <pre>
 *   java @conf/jvm-options -cp "$(cat sweep-driver/target/classpath.txt)" scripts/CoreTime.java OUT_A OUT_B
 * </pre>
 */
public final class CoreTime {
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("core-time: give one or more sweep output folders");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("core-time")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            for (int i = 0; i < args.length; i++) {
                Row r = spark.read().parquet(args[i] + "/trials").selectExpr("sum(wall_ms)", "count(*)", "sum(steps)").first();
                String mode = i == 0 ? "off" : i == 1 ? "on" : Integer.toString(i);
                System.out.printf(Locale.ROOT, "core_time mode=%s core_s=%.3f trials=%d steps=%d dir=%s%n", mode,
                        r.getLong(0) / 1000.0, r.getLong(1), r.getLong(2), args[i]);
            }
        } finally {
            spark.stop();
        }
    }
}
