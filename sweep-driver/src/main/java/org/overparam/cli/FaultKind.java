package org.overparam.cli;

/**
 * The classes of failure a command reports, each with its own exit code (README, "Exit codes"), the phrase that
 * opens its one line and what to do before going on. 0 is success, 2 bad input, 130/143 an interruption.
 */
enum FaultKind {
    /** Anything else: a bug, a Spark error; the line names the cause. */
    FAILED(1, "failed", ""),
    /** The output's (or Spark's scratch) file system is full, or a quota is reached. */
    DISK_FULL(3, "no space left on device", "free space and "),
    /** The output folder (or a file in it) may not be written or read. */
    PERMISSION_DENIED(4, "permission denied", "fix its permissions and "),
    /** The output's store is gone: unreachable (HDFS, S3A), unmounted, or the folder was removed. */
    STORE_LOST(5, "lost the output store", "once the store is back, "),
    /** A committed part file is missing, truncated or altered ({@code overparam verify DIR} lists them). */
    DAMAGED(6, "damaged output", ""),
    /** The driver's JVM ran out of heap. */
    OUT_OF_MEMORY(7, "out of memory on the driver", "give the driver more heap (JAVA_OPTS=-Xmx8g for scripts/overparam,"
            + " --driver-memory 8g for spark-submit) and ");

    /** {@code run}: every trial committed and intact, but the aggregation or the report after them failed. */
    static final int REPORT_FAILED = 8;

    private final int exitCode;
    private final String phrase;
    private final String remedy;

    FaultKind(int exitCode, String phrase, String remedy) {
        this.exitCode = exitCode;
        this.phrase = phrase;
        this.remedy = remedy;
    }

    int exitCode() {
        return exitCode;
    }

    /** The opening words of the line, e.g. "no space left on device". */
    String phrase() {
        return phrase;
    }

    /** What to do before the command that goes on, e.g. "free space and " (empty when nothing). */
    String remedy() {
        return remedy;
    }
}
