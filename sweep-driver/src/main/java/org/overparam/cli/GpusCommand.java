package org.overparam.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.overparam.sweep.run.GpuReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overparam gpus}: what each task of this Spark application sees of the GPUs (the address Spark
 * assigned, CUDA on its executor, the device a {@code cuda} sweep's task would bind), to check a GPU
 * cluster's setup ({@code conf/spark-gpu.conf}, README "GPUs") before launching a sweep on it. Exit 0
 * when every task would train on a GPU, 1 otherwise.
 */
@Command(name = "gpus", mixinStandardHelpOptions = true,
        description = "Show, task by task, the GPU Spark assigns, CUDA on the executor and the device a cuda sweep would bind.")
final class GpusCommand implements Callable<Integer> {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: spark-submit's, else local[*].")
    String master;

    @Option(names = "--tasks", paramLabel = "N",
            description = "Tasks to run. Default: the GPU task slots (executors x GPUs per executor / GPU per task), else the cores.")
    Integer tasks;

    @Option(names = "--tasks-per-gpu", paramLabel = "K", defaultValue = "1",
            description = "Where Spark assigns no GPUs (local mode): tasks per visible GPU, as backend.tasks_per_gpu (default: ${DEFAULT-VALUE}).")
    int tasksPerGpu;

    @Override
    public Integer call() {
        if (tasks != null && tasks < 1) {
            System.err.println("overparam: --tasks must be >= 1, got " + tasks);
            return OverparamCli.BAD_INPUT;
        }
        if (tasksPerGpu < 1) {
            System.err.println("overparam: --tasks-per-gpu must be >= 1, got " + tasksPerGpu);
            return OverparamCli.BAD_INPUT;
        }
        SparkSession spark = Sessions.create("overparam gpus", master);
        try {
            int n = tasks != null ? tasks : GpuReport.defaultTasks(spark);
            List<GpuReport.TaskGpu> seen = GpuReport.collect(spark, n, tasksPerGpu);
            System.out.print(GpuReport.format(seen));
            return seen.stream().allMatch(GpuReport.TaskGpu::usable) ? 0 : 1;
        } finally {
            spark.stop();
        }
    }
}
