/*
 * The contract between the kernels (overparam.cu) and their Java host
 * (org.overparam.trainer.backend.cuda.KernelAbi, which a test checks against this file):
 * per-trial state layout, status codes, model codes and tile shapes.
 */
#ifndef OVERPARAM_ABI_H
#define OVERPARAM_ABI_H

/* istate: int[B * OP_ISTATE_WIDTH] */
#define OP_ISTATE_WIDTH 4
#define OP_ISTATE_STATUS 0     /* OP_STATUS_* */
#define OP_ISTATE_STOP_STEP 1  /* the step at which the trial stopped (valid once status != RUNNING) */
#define OP_ISTATE_MAX_STEPS 2  /* the step budget */

/* dstate: double[B * OP_DSTATE_WIDTH] */
#define OP_DSTATE_WIDTH 4
#define OP_DSTATE_TARGET 0     /* tolerance * loss0, set at step 0 */
#define OP_DSTATE_BLOWUP 1     /* divergence factor * loss0, set at step 0 */
#define OP_DSTATE_TOLERANCE 2
#define OP_DSTATE_ETA 3

/* How a trial stands; the order of org.overparam.trainer.gd.Outcome is not assumed. */
#define OP_STATUS_RUNNING 0
#define OP_STATUS_CONVERGED 1
#define OP_STATUS_MAX_STEPS 2
#define OP_STATUS_DIVERGED 3

#define OP_MODEL_RELU 0
#define OP_MODEL_WN 1

/* Tile shapes (rows x columns x depth of a block's output tile, warps along rows and columns). */
#define OP_SMALL_BM 64
#define OP_SMALL_BN 64
#define OP_SMALL_BK 16
#define OP_SMALL_WARPS_M 2
#define OP_SMALL_WARPS_N 2
#define OP_LARGE_BM 128
#define OP_LARGE_BN 128
#define OP_LARGE_BK 16
#define OP_LARGE_WARPS_M 2
#define OP_LARGE_WARPS_N 4

#endif
