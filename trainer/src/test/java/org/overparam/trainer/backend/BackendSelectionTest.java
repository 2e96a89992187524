package org.overparam.trainer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.backend.choice.Backends;
import org.overparam.trainer.backend.cuda.CudaBackend;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** Which backend a sweep gets, and what its rows say about where they ran. */
class BackendSelectionTest {
    private static final Availability NO_GPU = Availability.unavailable("the CUDA driver library could not be loaded: libcuda.so.1: cannot open shared object file");
    private static final Availability ONE_GPU = Availability.available(List.of(new Availability.Device(0, "NVIDIA H100 80GB HBM3")));
    private static final DeviceBinder NEVER = devices -> {
        throw new AssertionError("no device should be bound");
    };

    @Test
    void cpuIsAlwaysTheCpu() {
        assertEquals(BackendKind.CPU, BackendSelection.choose(BackendKind.CPU, ONE_GPU).kind());
        assertEquals(BackendKind.CPU, BackendSelection.choose(BackendKind.CPU, NO_GPU).kind());
    }

    @Test
    void autoTakesTheGpuWhenThereIsOneAndSaysWhyNotOtherwise() {
        BackendSelection.Choice gpu = BackendSelection.choose(BackendKind.AUTO, ONE_GPU);
        assertEquals(BackendKind.CUDA, gpu.kind());
        assertTrue(gpu.reason().contains("cuda:0 NVIDIA H100 80GB HBM3"), gpu.reason());
        BackendSelection.Choice cpu = BackendSelection.choose(BackendKind.AUTO, NO_GPU);
        assertEquals(BackendKind.CPU, cpu.kind());
        assertEquals("backend: auto fell back to cpu: " + NO_GPU.reason(), cpu.reason());
    }

    @Test
    void cudaWithoutADeviceIsAnErrorNamingTheReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> BackendSelection.choose(BackendKind.CUDA, NO_GPU));
        assertEquals("backend: cuda requested, but CUDA is unavailable here: " + NO_GPU.reason(), e.getMessage());
        assertThrows(BackendUnavailableException.class,
                () -> Backends.open(BackendSettings.of(BackendKind.CUDA), NEVER, () -> NO_GPU));
    }

    @Test
    void autoWithoutADeviceOpensTheCpuBackend() throws InterruptedException {
        try (Backend b = Backends.open(BackendSettings.of(BackendKind.AUTO), NEVER, () -> NO_GPU)) {
            assertInstanceOf(CpuBackend.class, b);
            assertEquals("cpu", b.name());
            assertEquals("cpu", b.device());
        }
        try (Backend b = Backends.open(BackendSettings.DEFAULT, NEVER, () -> {
            throw new AssertionError("cpu needs no probe");
        })) {
            assertInstanceOf(CpuBackend.class, b);
        }
    }

    /** On this machine: whatever the probe finds, it answers without throwing, with a reason. */
    @Test
    void theProbeAnswersWithAReason() throws InterruptedException {
        Availability here = CudaBackend.probe();
        assertFalse(here.reason().isBlank());
        assertEquals(here.available(), !here.devices().isEmpty(), here.toString());
        assertTrue(CudaBackend.probe() == here, "asked once per JVM");
        if (!here.available()) {
            System.out.println("CUDA here: " + here.reason());
            try (Backend b = Backends.open(BackendSettings.of(BackendKind.AUTO), NEVER)) {
                assertEquals("cpu", b.name());
            }
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> Backends.open(BackendSettings.of(BackendKind.CUDA), NEVER));
            assertTrue(e.getMessage().endsWith(here.reason()), e.getMessage());
        }
    }

    @Test
    void cpuRowsSayCpuFloat64() {
        SphereData source = new SphereData(SphereTarget.SIGN, 1);
        TrialSpec spec = new TrialSpec(ModelKind.WN, 1.0, 32, 8, 5, 0.5, 1L, source.identity(), 20, 1e-8);
        try (Backend b = new CpuBackend()) {
            TrialResult r = b.run(List.of(spec), source).get(0);
            assertEquals("cpu", r.backend());
            assertEquals("cpu", r.device());
            assertEquals("float64", r.precision());
        }
    }

    @Test
    void settingsAreValidatedByName() {
        IllegalArgumentException f32 = assertThrows(IllegalArgumentException.class,
                () -> new BackendSettings(BackendKind.AUTO, Precision.FLOAT32, 1, 512));
        assertTrue(f32.getMessage().startsWith("backend.precision float32 needs backend.kind cuda"), f32.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BackendSettings(BackendKind.CUDA, Precision.FLOAT64, 0, 512));
        assertThrows(IllegalArgumentException.class, () -> new BackendSettings(BackendKind.CUDA, Precision.FLOAT64, 1, 70_000));
        assertEquals(BackendKind.AUTO, BackendKind.parse("auto"));
        assertEquals(null, BackendKind.parse("gpu"));
        assertEquals(Precision.FLOAT32, Precision.parse("float32"));
    }
}
