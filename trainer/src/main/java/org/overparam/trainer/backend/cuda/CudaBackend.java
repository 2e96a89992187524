package org.overparam.trainer.backend.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.Backend;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.CpuBackend;
import org.overparam.trainer.backend.DeviceBinder;
import org.overparam.trainer.backend.Precision;
import org.overparam.trainer.backend.TrialPacks;
import org.overparam.trainer.backend.pack.Pack;
import org.overparam.trainer.backend.pack.PackedTrainer;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The CUDA backend: trials of one shape are packed ({@link TrialPacks}) and trained together by the
 * kernels of {@code overparam.cu} on one device ({@link CudaPackDevice}), in float64 unless float32 is
 * asked for. A pack larger than the device's free memory allows is split; a single trial that does not
 * fit is recorded as failed. Other CUDA errors end the task (Spark retries it): after one the device's
 * context cannot be trusted. Models the kernels do not implement ({@link #trains(ModelKind)}) run on the CPU trainer.
 */
public final class CudaBackend implements Backend {
    /** The {@code backend} column of CUDA rows. */
    public static final String NAME = "cuda";
    /** The share of free device memory a pack may take (the rest: other tasks, fragmentation). */
    private static final double MEMORY_SHARE = 0.8;
    private static volatile Availability probed;

    private final GpuApi gpu;
    private final BackendSettings settings;
    private final KernelAbi.Math math;
    private final AutoCloseable release;
    private final PackedTrainer trainer;
    private final CpuBackend cpu;

    /**
     * A backend on {@code gpu}; {@code release} is closed with it (the device lease).
     *
     * @param math {@link KernelAbi.Math#TENSOR} for the float64 default, {@link KernelAbi.Math#FMA} to cross-check it
     */
    public CudaBackend(GpuApi gpu, BackendSettings settings, KernelAbi.Math math, AutoCloseable release) {
        this(gpu, settings, math, release, null);
    }

    /** As the other constructor, each trial stopped after {@code timeLimit} ({@code train.time_limit}; null: none). */
    public CudaBackend(GpuApi gpu, BackendSettings settings, KernelAbi.Math math, AutoCloseable release,
                       java.time.Duration timeLimit) {
        this.gpu = gpu;
        this.settings = settings;
        this.math = math;
        this.release = release;
        this.trainer = new PackedTrainer(org.overparam.trainer.linalg.RowMajorBlas.best(),
                org.overparam.trainer.ntk.SymmetricEigen.reproducible(), timeLimit);
        this.cpu = new CpuBackend(org.overparam.trainer.run.TrialRunner.withTimeLimit(timeLimit));
    }

    /** Opens the device of {@code binding} with the fatbin of this build. */
    public static CudaBackend open(DeviceBinder.Binding binding, BackendSettings settings) {
        return open(binding, settings, null);
    }

    /** Opens the device of {@code binding}, each trial stopped after {@code timeLimit} (null: none). */
    public static CudaBackend open(DeviceBinder.Binding binding, BackendSettings settings, java.time.Duration timeLimit) {
        byte[] fatbin = Fatbin.load().orElseThrow(() -> new IllegalStateException(noKernels()));
        return new CudaBackend(JCudaApi.open(binding.ordinal(), fatbin), settings, KernelAbi.Math.TENSOR, binding, timeLimit);
    }

    /**
     * Whether CUDA can run in this JVM: the fatbin is in the build, the driver library loads, and a
     * device of compute capability 8.0 or later is visible. Asked once per JVM.
     */
    public static Availability probe() {
        Availability a = probed;
        if (a == null) {
            synchronized (CudaBackend.class) {
                if (probed == null) {
                    probed = CudaProbe.run(Fatbin.load().isPresent());
                }
                a = probed;
            }
        }
        return a;
    }

    static String noKernels() {
        return "the CUDA kernels are not in this build (nvcc was not found when it was built; see trainer/build-kernels.sh)";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String device() {
        return gpu.device();
    }

    /**
     * Whether the kernels train this model, as the model declares
     * ({@link org.overparam.trainer.models.TrialModel#trainedByCudaKernels}: relu and wn). Trials of
     * the other models go to the CPU trainer, and their rows say {@code cpu}; a config asking for
     * {@code backend: cuda} with one of them is refused.
     */
    public static boolean trains(ModelKind model) {
        return org.overparam.trainer.models.TrialModels.of(model).trainedByCudaKernels();
    }

    /**
     * Whether the kernels train this trial: {@link #trains(ModelKind)} of its model, on the MSE (the kernels form
     * the residual {@code f − y}; a squared-hinge trial goes to the CPU trainer rather than train the wrong loss).
     */
    public static boolean trains(TrialSpec spec) {
        return trains(spec.model()) && spec.loss() == org.overparam.trainer.nets.Loss.MSE;
    }

    @Override
    public List<TrialResult> run(List<TrialSpec> trials, DataSource source) {
        TrialResult[] out = new TrialResult[trials.size()];
        List<TrialSpec> onDevice = new ArrayList<>();
        List<TrialSpec> onCpu = new ArrayList<>();
        for (TrialSpec t : trials) {
            (trains(t) ? onDevice : onCpu).add(t);
        }
        List<List<TrialResult>> done = new ArrayList<>();
        if (!onCpu.isEmpty()) {
            done.add(cpu.run(onCpu, source));
        }
        for (List<TrialSpec> pack : TrialPacks.group(onDevice, settings.maxPack())) {
            done.add(runPack(pack, source));
        }
        for (List<TrialResult> results : done) {
            for (TrialResult r : results) {
                for (int i = 0; i < trials.size(); i++) {
                    if (out[i] == null && trials.get(i) == r.spec()) {
                        out[i] = r;
                        break;
                    }
                }
            }
        }
        return Arrays.asList(out);
    }

    private List<TrialResult> runPack(List<TrialSpec> trials, DataSource source) {
        long start = System.nanoTime();
        TrialSpec first = trials.get(0);
        Dataset data;
        Pack pack;
        try {
            data = source.load(first.n(), first.d());
            pack = Pack.of(trials, data);
        } catch (Exception | OutOfMemoryError e) {
            return failed(trials, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), start);
        }
        int fit = fitting(trials.size(), first);
        if (fit < trials.size()) {
            return split(trials, source, Math.max(1, fit));
        }
        CudaPackDevice device;
        try {
            device = new CudaPackDevice(gpu, pack, settings.precision(), math, CudaPackDevice.TilePolicy.AUTO,
                    CudaPackDevice.DEFAULT_CHUNK);
        } catch (CudaException e) {
            if (!e.outOfMemory()) {
                throw e;
            }
            return trials.size() > 1 ? split(trials, source, (trials.size() + 1) / 2) : failed(trials, e.getMessage(), start);
        }
        try (device) {
            return trainer.run(pack, device, new PackedTrainer.Provenance(NAME, gpu.device(), settings.precision().key()), start);
        }
    }

    /** How many trials of this shape fit in the device's free memory now. */
    private int fitting(int wanted, TrialSpec shape) {
        long free = (long) (gpu.freeMemory() * MEMORY_SHARE);
        int lo = 0;
        int hi = wanted;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            long need = CudaPackDevice.bytesNeeded(mid, shape.n(), shape.d(), shape.m(), settings.precision(), CudaPackDevice.DEFAULT_CHUNK);
            if (need <= free) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private List<TrialResult> split(List<TrialSpec> trials, DataSource source, int size) {
        if (size >= trials.size()) {
            size = (trials.size() + 1) / 2;
        }
        List<TrialResult> out = new ArrayList<>();
        for (int from = 0; from < trials.size(); from += size) {
            out.addAll(runPack(trials.subList(from, Math.min(trials.size(), from + size)), source));
        }
        return out;
    }

    private List<TrialResult> failed(List<TrialSpec> trials, String message, long start) {
        long wallMs = (System.nanoTime() - start) / 1_000_000L;
        List<TrialResult> out = new ArrayList<>();
        for (TrialSpec spec : trials) {
            out.add(new TrialResult(spec.id(), spec, Outcome.FAILED, message, 0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, wallMs, NAME, "-", new int[0], new double[0], Map.of(), Map.of(), gpu.device(),
                    settings.precision().key()));
        }
        return out;
    }

    /** The precision rows of this backend record. */
    public Precision precision() {
        return settings.precision();
    }

    @Override
    public void close() {
        try {
            gpu.close();
        } finally {
            try {
                release.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot release the device", e);
            }
        }
    }
}
