package org.overparam.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the given master, else spark-submit's, else {@code local[*]}. */
final class Sessions {
    private Sessions() {
    }

    static SparkSession create(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        conf.setIfMissing("spark.sql.adaptive.enabled", "true");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
