package org.overparam.trainer.backend.choice;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.overparam.trainer.backend.Availability;
import org.overparam.trainer.backend.Backend;
import org.overparam.trainer.backend.BackendKind;
import org.overparam.trainer.backend.BackendSelection;
import org.overparam.trainer.backend.BackendSettings;
import org.overparam.trainer.backend.CpuBackend;
import org.overparam.trainer.backend.DeviceBinder;
import org.overparam.trainer.backend.cuda.CudaBackend;

/**
 * Opens the backend a sweep's settings ask for, on the calling task: {@link BackendSelection} decides
 * from {@link CudaBackend#probe()}, a CUDA backend is bound to a device by the {@link DeviceBinder}.
 * When {@code auto} falls back to the CPU, the reason is logged once per JVM (and every row says
 * {@code backend = cpu}).
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private Backends() {
    }

    /**
     * @throws BackendUnavailableException when {@code cuda} is requested and cannot run here
     */
    public static Backend open(BackendSettings settings, DeviceBinder binder) throws InterruptedException {
        return open(settings, binder, CudaBackend::probe);
    }

    /** As {@link #open(BackendSettings, DeviceBinder)}, each trial stopped after {@code timeLimit} ({@code train.time_limit}; null: none). */
    public static Backend open(BackendSettings settings, DeviceBinder binder, java.time.Duration timeLimit) throws InterruptedException {
        return open(settings, binder, CudaBackend::probe, timeLimit);
    }

    /** As {@link #open(BackendSettings, DeviceBinder)}, with the CUDA availability given (for tests). */
    public static Backend open(BackendSettings settings, DeviceBinder binder, Supplier<Availability> cuda)
            throws InterruptedException {
        return open(settings, binder, cuda, null);
    }

    /** As {@link #open(BackendSettings, DeviceBinder, Supplier)}, each trial stopped after {@code timeLimit} (null: none). */
    public static Backend open(BackendSettings settings, DeviceBinder binder, Supplier<Availability> cuda,
                               java.time.Duration timeLimit) throws InterruptedException {
        Availability availability = settings.kind() == BackendKind.CPU ? Availability.unavailable("not asked for") : cuda.get();
        BackendSelection.Choice choice = BackendSelection.choose(settings.kind(), availability);
        if (choice.kind() == BackendKind.CPU) {
            if (settings.kind() == BackendKind.AUTO && LOGGED.add(choice.reason())) {
                LOG.log(System.Logger.Level.WARNING, choice.reason());
            }
            return new CpuBackend(org.overparam.trainer.run.TrialRunner.withTimeLimit(timeLimit));
        }
        DeviceBinder.Binding binding = binder.bind(availability.devices());
        try {
            return CudaBackend.open(binding, settings, timeLimit);
        } catch (RuntimeException | Error e) {
            binding.close();
            throw e;
        }
    }
}
