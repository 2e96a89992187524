package org.overparam.trainer.backend.cuda;

import java.util.List;
import org.overparam.trainer.backend.Precision;

/**
 * The Java side of {@code trainer/src/main/cuda/overparam_abi.h} and of the kernels' parameter lists;
 * tests check both against the sources and the compiled PTX, so a change on one side that the other
 * misses fails the build rather than a launch on a GPU.
 */
public final class KernelAbi {
    private KernelAbi() {
    }

    public static final int ISTATE_WIDTH = 4;
    public static final int ISTATE_STATUS = 0;
    public static final int ISTATE_STOP_STEP = 1;
    public static final int ISTATE_MAX_STEPS = 2;

    public static final int DSTATE_WIDTH = 4;
    public static final int DSTATE_TARGET = 0;
    public static final int DSTATE_BLOWUP = 1;
    public static final int DSTATE_TOLERANCE = 2;
    public static final int DSTATE_ETA = 3;

    public static final int STATUS_RUNNING = 0;
    public static final int STATUS_CONVERGED = 1;
    public static final int STATUS_MAX_STEPS = 2;
    public static final int STATUS_DIVERGED = 3;

    public static final int MODEL_RELU = 0;
    public static final int MODEL_WN = 1;

    /** A block's tile: {@code bm×bn} outputs, depth {@code bk} per stage, {@code threads} threads. */
    public enum Tile {
        SMALL("s", 64, 64, 16, 2, 2),
        LARGE("l", 128, 128, 16, 2, 4);

        private final String suffix;
        public final int bm;
        public final int bn;
        public final int bk;
        public final int warpsM;
        public final int warpsN;

        Tile(String suffix, int bm, int bn, int bk, int warpsM, int warpsN) {
            this.suffix = suffix;
            this.bm = bm;
            this.bn = bn;
            this.bk = bk;
            this.warpsM = warpsM;
            this.warpsN = warpsN;
        }

        public int threads() {
            return 32 * warpsM * warpsN;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** How the products are formed. */
    public enum Math {
        /** FP64 on tensor cores (mma.m8n8k4.f64): the float64 default. */
        TENSOR,
        /** Scalar FMAs: float32, and float64 as a cross-check of the tensor-core path. */
        FMA
    }

    /** The kernels' name infix for a precision and math: {@code f64}, {@code f64fma}, {@code f32}. */
    public static String variant(Precision precision, Math math) {
        if (precision == Precision.FLOAT32) {
            return "f32";
        }
        return math == Math.TENSOR ? "f64" : "f64fma";
    }

    public static String forwardKernel(Precision precision, Math math, Tile tile) {
        return "op_forward_" + variant(precision, math) + "_" + tile.suffix();
    }

    public static String backwardKernel(Precision precision, Math math, Tile tile) {
        return "op_backward_" + variant(precision, math) + "_" + tile.suffix();
    }

    /** {@code op_preact_*}: P = X Vᵀ of one trial (instruments). */
    public static String preactKernel(Precision precision, Math math, Tile tile) {
        return "op_preact_" + variant(precision, math) + "_" + tile.suffix();
    }

    /** {@code op_products_*}: the n×n kernel products of one trial from its P (instruments). */
    public static String productsKernel(Precision precision, Math math, Tile tile) {
        return "op_products_" + variant(precision, math) + "_" + tile.suffix();
    }

    /** Every kernel name in the fatbin. */
    public static List<String> kernelNames() {
        List<String> names = new java.util.ArrayList<>();
        for (String v : List.of("f64", "f64fma", "f32")) {
            for (Tile t : Tile.values()) {
                for (String k : List.of("forward", "backward", "preact", "products")) {
                    names.add("op_" + k + "_" + v + "_" + t.suffix());
                }
            }
        }
        return names;
    }

    /** The parameter types of {@code op_forward_*} (whatever the precision: pointers and doubles). */
    public static final List<KernelArgs.Type> FORWARD = List.of(
            KernelArgs.Type.POINTER, KernelArgs.Type.I64,   // x, xStride
            KernelArgs.Type.POINTER, KernelArgs.Type.I64,   // y, yStride
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // v, scale
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // bits, partial, e
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // counter, istate, dstate
            KernelArgs.Type.POINTER,                         // losses
            KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32, // chunk, slot, step
            KernelArgs.Type.F64,                             // divergence
            KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32); // n, d, m

    /** The parameter types of {@code op_backward_*}. */
    public static final List<KernelArgs.Type> BACKWARD = List.of(
            KernelArgs.Type.POINTER, KernelArgs.Type.I64,   // x, xStride
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // bits, e
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // v, g, c
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // scale, norm, q
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // growth, counter
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // istate, dstate
            KernelArgs.Type.F64,                             // invSqrtM
            KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32); // model, n, d, m

    /** The parameter types of {@code op_preact_*}: x, v, p, trial, n, d, m. */
    public static final List<KernelArgs.Type> PREACT = List.of(
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // x, v, p
            KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32); // trial, n, d, m

    /** The parameter types of {@code op_products_*}: p, g, norm, out, alpha, trial, n, m. */
    public static final List<KernelArgs.Type> PRODUCTS = List.of(
            KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, KernelArgs.Type.POINTER, // p, g, norm, out
            KernelArgs.Type.F64,                                                       // alpha
            KernelArgs.Type.I32, KernelArgs.Type.I32, KernelArgs.Type.I32);            // trial, n, m

    /** How many products {@code op_products_*} forms per model: S Sᵀ for relu; also S ω Sᵀ, A Aᵀ, A ω Aᵀ for wn. */
    public static int products(boolean weightNorm) {
        return weightNorm ? 4 : 1;
    }
}
