package org.overparam.trainer.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.backend.Precision;

/**
 * The host–kernel contract, checked without a GPU: the constants of {@code overparam_abi.h} against
 * {@link KernelAbi}, every kernel's parameter list in the compiled PTX against the argument lists the
 * host builds, and the fatbin in the build (sm_80 and sm_90 cubins, compute_90 PTX). The compiled parts
 * need the build to have found nvcc; where it did not, they are skipped with the build's reason.
 */
class KernelAbiTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ABI = MODULE.resolve("src/main/cuda/overparam_abi.h");
    private static final Path PTX = MODULE.resolve("target/cuda/overparam.ptx");

    private static Map<String, Integer> defines() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define (OP_\\w+) (\\d+)").matcher(Files.readString(ABI));
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    @Test
    void theHeaderAndKernelAbiAgree() throws IOException {
        Map<String, Integer> h = defines();
        Map<String, Integer> twin = new LinkedHashMap<>();
        twin.put("OP_ISTATE_WIDTH", KernelAbi.ISTATE_WIDTH);
        twin.put("OP_ISTATE_STATUS", KernelAbi.ISTATE_STATUS);
        twin.put("OP_ISTATE_STOP_STEP", KernelAbi.ISTATE_STOP_STEP);
        twin.put("OP_ISTATE_MAX_STEPS", KernelAbi.ISTATE_MAX_STEPS);
        twin.put("OP_DSTATE_WIDTH", KernelAbi.DSTATE_WIDTH);
        twin.put("OP_DSTATE_TARGET", KernelAbi.DSTATE_TARGET);
        twin.put("OP_DSTATE_BLOWUP", KernelAbi.DSTATE_BLOWUP);
        twin.put("OP_DSTATE_TOLERANCE", KernelAbi.DSTATE_TOLERANCE);
        twin.put("OP_DSTATE_ETA", KernelAbi.DSTATE_ETA);
        twin.put("OP_STATUS_RUNNING", KernelAbi.STATUS_RUNNING);
        twin.put("OP_STATUS_CONVERGED", KernelAbi.STATUS_CONVERGED);
        twin.put("OP_STATUS_MAX_STEPS", KernelAbi.STATUS_MAX_STEPS);
        twin.put("OP_STATUS_DIVERGED", KernelAbi.STATUS_DIVERGED);
        twin.put("OP_MODEL_RELU", KernelAbi.MODEL_RELU);
        twin.put("OP_MODEL_WN", KernelAbi.MODEL_WN);
        for (KernelAbi.Tile t : KernelAbi.Tile.values()) {
            String p = "OP_" + t.name() + "_";
            twin.put(p + "BM", t.bm);
            twin.put(p + "BN", t.bn);
            twin.put(p + "BK", t.bk);
            twin.put(p + "WARPS_M", t.warpsM);
            twin.put(p + "WARPS_N", t.warpsN);
        }
        for (Map.Entry<String, Integer> e : twin.entrySet()) {
            assertEquals(e.getValue(), h.get(e.getKey()), e.getKey());
        }
        assertEquals(h.keySet(), twin.keySet(), "every constant of the header has its Java twin");
    }

    /** The {@code .entry} declarations of the PTX: name to parameter types, and the declared block size. */
    private static Map<String, List<String>> entries(String ptx, Map<String, Integer> maxThreads) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\.entry (\\w+)\\(([^)]*)\\)\\s*\\.maxntid (\\d+), 1, 1").matcher(ptx);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = Pattern.compile("\\.param \\.(\\w+)").matcher(m.group(2));
            while (p.find()) {
                types.add(p.group(1));
            }
            out.put(m.group(1), types);
            maxThreads.put(m.group(1), Integer.parseInt(m.group(3)));
        }
        return out;
    }

    private static String builtPtx() throws IOException {
        Path skipped = MODULE.resolve("target/cuda/SKIPPED");
        Assumptions.assumeFalse(Files.exists(skipped), () -> "the build compiled no kernels: " + read(skipped));
        Assumptions.assumeTrue(Files.exists(PTX), "no PTX: the build has not compiled the kernels (run mvn package)");
        return Files.readString(PTX);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void everyKernelTakesTheArgumentsTheHostPasses() throws IOException {
        Map<String, Integer> maxThreads = new HashMap<>();
        Map<String, List<String>> entries = entries(builtPtx(), maxThreads);
        assertEquals(new java.util.TreeSet<>(KernelAbi.kernelNames()), new java.util.TreeSet<>(entries.keySet()),
                "the PTX defines exactly the kernels the host knows");
        for (Precision precision : Precision.values()) {
            for (KernelAbi.Math math : KernelAbi.Math.values()) {
                for (KernelAbi.Tile tile : KernelAbi.Tile.values()) {
                    String f = KernelAbi.forwardKernel(precision, math, tile);
                    String b = KernelAbi.backwardKernel(precision, math, tile);
                    assertEquals(KernelAbi.FORWARD.stream().map(KernelArgs.Type::ptx).toList(), entries.get(f), f);
                    assertEquals(KernelAbi.BACKWARD.stream().map(KernelArgs.Type::ptx).toList(), entries.get(b), b);
                    assertEquals(tile.threads(), maxThreads.get(f), f + " block size");
                    assertEquals(tile.threads(), maxThreads.get(b), b + " block size");
                    String pre = KernelAbi.preactKernel(precision, math, tile);
                    String prod = KernelAbi.productsKernel(precision, math, tile);
                    assertEquals(KernelAbi.PREACT.stream().map(KernelArgs.Type::ptx).toList(), entries.get(pre), pre);
                    assertEquals(KernelAbi.PRODUCTS.stream().map(KernelArgs.Type::ptx).toList(), entries.get(prod), prod);
                    assertEquals(tile.threads(), maxThreads.get(pre), pre + " block size");
                    assertEquals(tile.threads(), maxThreads.get(prod), prod + " block size");
                }
            }
        }
    }

    @Test
    void theBuildPacksCubinsForSm80AndSm90AndPtx() throws IOException {
        builtPtx();
        Optional<byte[]> fatbin = Fatbin.load();
        assertTrue(fatbin.isPresent(), "the fatbin is on the classpath at " + Fatbin.RESOURCE);
        List<Fatbin.Image> images = Fatbin.images(fatbin.get());
        System.out.println("fatbin images: " + images);
        assertTrue(images.contains(new Fatbin.Image("elf", 80)), images.toString());
        assertTrue(images.contains(new Fatbin.Image("elf", 90)), images.toString());
        assertTrue(images.contains(new Fatbin.Image("ptx", 90)), images.toString());
    }

    @Test
    void argumentListsAreCheckedAsTheyAreBuilt() {
        KernelArgs args = KernelArgs.of("op_backward_f64_s", KernelAbi.BACKWARD);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> args.i32(3));
        assertTrue(wrong.getMessage().contains("argument 0 is I32, the kernel takes POINTER"), wrong.getMessage());
        KernelArgs partial = KernelArgs.of("op_forward_f64_s", KernelAbi.FORWARD);
        IllegalStateException missing = assertThrows(IllegalStateException.class, partial::values);
        assertTrue(missing.getMessage().contains("0 arguments given, the kernel takes 20"), missing.getMessage());
        assertFalse(KernelAbi.kernelNames().isEmpty());
    }

    @Test
    void anythingButAFatbinIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Fatbin.images(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
    }
}
