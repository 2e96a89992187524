/*
 * Just enough of CUDA to run overparam.cu on the CPU, for tests on machines without a GPU: every
 * thread of a block is a fiber (ucontext) of one OS thread, __syncthreads() a barrier that switches
 * fibers, __shared__ a static (blocks run one after another), and the warp-wide mma.m8n8k4.f64 is
 * computed from the fragments the 32 lanes of a warp exchange, with the fragment layout of the PTX ISA. It checks the kernels' arithmetic,
 * indexing, tiling, edges and reductions; not timing, occupancy, the memory model, nor the hardware's
 * own reading of the fragments.
 */
#ifndef OVERPARAM_CUDA_EMULATION_H
#define OVERPARAM_CUDA_EMULATION_H

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>

struct dim3 {
    unsigned int x = 1, y = 1, z = 1;
};

namespace emu {
extern dim3 threadIdx_; /* of the fiber running now */
extern dim3 blockIdx_;
extern dim3 blockDim_;
extern dim3 gridDim_;
void syncthreads();
void mma884(double& c0, double& c1, double a, double b);
}  // namespace emu

#define threadIdx emu::threadIdx_
#define blockIdx emu::blockIdx_
#define blockDim emu::blockDim_
#define gridDim emu::gridDim_
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))
#define __restrict__ __restrict
#define __syncthreads() emu::syncthreads()
#define __threadfence() std::atomic_thread_fence(std::memory_order_seq_cst)

inline unsigned int atomicAdd(unsigned int* p, unsigned int v) {
    return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

using std::fabs;
using std::isfinite;
using std::isnan;
using std::sqrt;

#endif
