package org.overparam.sweep.run;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.SparkSession;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.DeviceBinder;
import org.overparam.trainer.backend.cuda.CudaBackend;

/**
 * What the tasks of a Spark application see of the GPUs, task by task: the address Spark assigned
 * ({@code spark.task.resource.gpu.amount}), the CUDA probe on the task's executor, and the device the
 * task would bind to ({@link TaskDevices}, as a {@code cuda} sweep's task does, without opening a context).
 * Run by {@code overparam gpus}, to check a cluster's GPU setup before a sweep is launched on it.
 */
public final class GpuReport {
    private GpuReport() {
    }

    /**
     * One task's view.
     *
     * @param assigned the addresses Spark assigned, comma-separated; empty where it assigned none
     * @param binding  {@code cuda:<ordinal>}, or why the task could not bind one
     * @param usable   whether a {@code cuda} task here would train on a GPU
     * @param start    {@link System#nanoTime()} on the executor when the task held its device
     * @param end      the same when it let it go
     */
    public record TaskGpu(int task, String executor, String host, String assigned, String probe, String binding,
                          boolean usable, long start, long end) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The tasks a {@code cuda} sweep runs at once: executors × GPUs per executor ÷ GPU per task where the
     * application declares GPUs, else the default parallelism.
     */
    public static int defaultTasks(SparkSession spark) {
        SparkConf conf = spark.sparkContext().getConf();
        double perExecutor = conf.getDouble("spark.executor.resource.gpu.amount", 0);
        double perTask = conf.getDouble("spark.task.resource.gpu.amount", 0);
        if (perExecutor > 0 && perTask > 0) {
            int executors = Math.max(1, Math.max(conf.getInt("spark.executor.instances", 0),
                    spark.sparkContext().getExecutorMemoryStatus().size() - 1));
            return Math.max(1, executors * (int) Math.floor(perExecutor / perTask + 1e-9));
        }
        return Math.max(1, spark.sparkContext().defaultParallelism());
    }

    /** Runs {@code tasks} tasks, one per partition, and returns their views in task order. */
    public static List<TaskGpu> collect(SparkSession spark, int tasks, int tasksPerGpu) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ids = IntStream.range(0, tasks).boxed().toList();
        List<TaskGpu> out = new ArrayList<>(jsc.parallelize(ids, tasks).mapPartitions(new Probe(tasksPerGpu)).collect());
        out.sort((a, b) -> Integer.compare(a.task(), b.task()));
        return out;
    }

    /** The table of {@code tasks} and a summary: addresses, tasks at once per address, usable tasks. */
    public static String format(List<TaskGpu> tasks) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-5s %-9s %-16s %-9s %-30s %s%n", "task", "executor", "host", "assigned", "binding", "CUDA on the executor"));
        for (TaskGpu t : tasks) {
            sb.append(String.format(Locale.ROOT, "%-5d %-9s %-16s %-9s %-30s %s%n", t.task(), t.executor(), t.host(),
                    t.assigned().isEmpty() ? "-" : t.assigned(), t.binding(), t.probe()));
        }
        Map<String, List<TaskGpu>> byAddress = new TreeMap<>();
        for (TaskGpu t : tasks) {
            if (!t.assigned().isEmpty()) {
                byAddress.computeIfAbsent(t.executor() + "/" + t.assigned(), k -> new ArrayList<>()).add(t);
            }
        }
        if (byAddress.isEmpty()) {
            sb.append("Spark assigned no GPU to any task (no spark.task.resource.gpu.amount: local mode, or a cluster without GPU"
                    + " resources); a cuda task binds a visible device itself, at most backend.tasks_per_gpu per device\n");
        } else {
            List<String> parts = new ArrayList<>();
            byAddress.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s: %d task(s), at most %d at once", k, v.size(), mostAtOnce(v))));
            sb.append("GPU addresses Spark assigned (executor/address): ").append(String.join("; ", parts)).append('\n');
        }
        long usable = tasks.stream().filter(TaskGpu::usable).count();
        sb.append(String.format(Locale.ROOT, "%d of %d tasks would train on a GPU%n", usable, tasks.size()));
        return sb.toString();
    }

    /** The largest number of these tasks (of one executor) that held their device at the same time. */
    public static int mostAtOnce(List<TaskGpu> tasks) {
        int most = 0;
        for (TaskGpu t : tasks) {
            int at = 0;
            for (TaskGpu o : tasks) {
                if (o.start() <= t.start() && t.start() < o.end()) {
                    at++;
                }
            }
            most = Math.max(most, at);
        }
        return most;
    }

    /** The task side: probe, assignment, binding. */
    private static final class Probe implements FlatMapFunction<Iterator<Integer>, TaskGpu> {
        private static final long serialVersionUID = 1L;
        private final int tasksPerGpu;

        Probe(int tasksPerGpu) {
            this.tasksPerGpu = tasksPerGpu;
        }

        @Override
        public Iterator<TaskGpu> call(Iterator<Integer> ids) throws Exception {
            List<TaskGpu> out = new ArrayList<>();
            while (ids.hasNext()) {
                int id = ids.next();
                Availability cuda = CudaBackend.probe();
                TaskContext task = TaskContext.get();
                ResourceInformation gpu = task == null ? null : task.resourcesJMap().get("gpu");
                String assigned = gpu == null ? "" : String.join(",", gpu.addresses());
                String executor = SparkEnv.get() == null ? "-" : SparkEnv.get().executorId();
                String host = java.net.InetAddress.getLocalHost().getHostName();
                long start = System.nanoTime();
                String binding;
                boolean usable = false;
                if (gpu == null && !cuda.available()) {
                    binding = "none";
                } else {
                    try (DeviceBinder.Binding b = new TaskDevices(tasksPerGpu).bind(cuda.devices())) {
                        start = System.nanoTime();
                        binding = "cuda:" + b.ordinal();
                        usable = cuda.available();
                    } catch (IllegalStateException e) {
                        binding = "error: " + e.getMessage();
                    }
                }
                out.add(new TaskGpu(id, executor, host, assigned, cuda.reason(), binding, usable, start, System.nanoTime()));
            }
            return out.iterator();
        }
    }
}
