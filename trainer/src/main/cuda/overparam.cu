/*
 * overparam's GPU kernels: one full-batch gradient-descent step of the two-layer ReLU nets of
 * theory.md §1 (relu) and §2 (wn), for a pack of B trials of one shape (n, d, m) at once; the trial
 * index is blockIdx.z. Two launches per step:
 *
 *   op_forward_*   P = X Vᵀ (n×m) by a tiled GEMM whose epilogue keeps only what the backward pass
 *                  needs: the activation pattern 1{P ≥ 0} as bits and, per row, the partial outputs
 *                  Σ_k s_k σ(P_ik) of the block's columns. P itself is never stored. The last block of
 *                  a trial to finish sums the partials into f, forms e = f − y and ½‖e‖², and applies the
 *                  stop rule of GradientDescent (converged, diverged, step budget).
 *   op_backward_*  Q = (e ∘ 1)ᵀ X (m×d) by the same GEMM, with e ∘ 1 formed from the bits while the tile
 *                  is loaded. The last block of a row of tiles applies the update to its neurons, using
 *                  h_k = Σ_i e_i σ(P_ik) = Q_k · v_k (so no second pass over P is needed):
 *                    wn:   ∇v_k = s_k (Q_k − h_k v_k/‖v_k‖²),  ∇g_k = c_k h_k/(√m ‖v_k‖),
 *                          s_k = c_k g_k/(√m ‖v_k‖), and the norm-growth identity (eq. 2.3) check;
 *                    relu: ∇w_k = s_k Q_k with s_k = c_k/√m.
 *
 * Two more launches serve the instruments (theory.md §6) at the steps they observe, one trial at a time:
 *
 *   op_preact_*    P = X Vᵀ of one trial, stored (n×m; a scratch buffer of the pack).
 *   op_products_*  the n×n products B Bᵀ behind H, V, G, Λ (org.overparam.trainer.ntk.GramMatrices),
 *                  B formed from P as it is loaded: indicators 1{P ≥ 0} or σ(P)/‖v‖, weighted by √ω_k
 *                  or not (four products for wn, one for relu); only the upper triangle's blocks compute.
 *
 * Every sum that determines a result is taken in a fixed order (no atomics on floating-point values;
 * the only atomic is the integer ticket that elects the last block), so a trial's trajectory is the
 * same on every run and whatever else is packed with it.
 *
 * FP64 products use the tensor-core DMMA instruction mma.sync.m8n8k4.f64 (sm_80 and later); FP32, and
 * FP64 on request, use plain FMAs with the same fragment ownership. Compiled by trainer/build-kernels.sh
 * into a fatbin (sm_80, sm_90, compute_90 PTX) loaded by org.overparam.trainer.backend.cuda.
 * The test suite also compiles this file for the CPU (OVERPARAM_EMULATE, src/test/cuda) and runs it.
 */
#include "overparam_abi.h"

#if defined(OVERPARAM_EMULATE)
#include "cuda_emulation.h"
#endif

namespace op {

typedef unsigned int u32;
typedef long long i64;

/* ---------------------------------------------------------------------------------------------- */
/* Tile shapes                                                                                     */

template <int BM_, int BN_, int BK_, int WARPS_M_, int WARPS_N_>
struct Tiles {
    static constexpr int BM = BM_;
    static constexpr int BN = BN_;
    static constexpr int BK = BK_;
    static constexpr int WARPS_M = WARPS_M_;
    static constexpr int WARPS_N = WARPS_N_;
    static constexpr int THREADS = 32 * WARPS_M * WARPS_N;
    static constexpr int WTM = BM / WARPS_M; /* a warp's tile */
    static constexpr int WTN = BN / WARPS_N;
    static constexpr int MT = WTM / 8; /* 8×8 MMA tiles per warp */
    static constexpr int NT = WTN / 8;
    static_assert(BM % (8 * WARPS_M) == 0 && BN % (8 * WARPS_N) == 0, "warp tiles are made of 8x8 tiles");
    static_assert(BK % 4 == 0, "the MMA depth is 4");
    static_assert(BN % 32 == 0, "the activation bits of a row of a tile fill whole 32-bit words");
    static_assert((BM * BK) % THREADS == 0 && (BN * BK) % THREADS == 0, "every thread stages whole elements");
};

typedef Tiles<OP_SMALL_BM, OP_SMALL_BN, OP_SMALL_BK, OP_SMALL_WARPS_M, OP_SMALL_WARPS_N> Small;
typedef Tiles<OP_LARGE_BM, OP_LARGE_BN, OP_LARGE_BK, OP_LARGE_WARPS_M, OP_LARGE_WARPS_N> Large;

/* How the products are formed: DMMA tensor cores (FP64 only) or scalar FMAs. */
struct Tensor {};
struct Fma {};

/*
 * A staged operand tile of MN rows (output rows for A, output columns for B) by BK depth in shared
 * memory. KC: the global matrix is contiguous along the depth, so threads load along it and the tile
 * is stored [mn][k]; otherwise it is contiguous along mn and stored [k][mn]. Both strides are ≡ 4
 * (mod 16) doubles, so the fragment reads of a half-warp (4 depths × 4 rows) hit 16 distinct banks.
 */
template <int MN, int BK, bool KC>
struct Stage {
    static constexpr int LD = KC ? BK + 4 : MN + 4;
    static constexpr int SIZE = KC ? MN * LD : BK * LD;
    __device__ __forceinline__ static int at(int mn, int k) { return KC ? mn * LD + k : k * LD + mn; }
    /* The e-th element of the tile in the order that reads global memory contiguously. */
    __device__ __forceinline__ static void coord(int e, int& mn, int& k) {
        if (KC) {
            mn = e / BK;
            k = e % BK;
        } else {
            k = e / MN;
            mn = e % MN;
        }
    }
};

/* ---------------------------------------------------------------------------------------------- */
/* Operand loaders: value(mn, k) in global coordinates, zero outside the matrix                    */

/* Rows of a row-major matrix with `cols` columns, the depth running along a row (X for P, V for P). */
template <typename T>
struct RowsAlongK {
    const T* p;
    int rows;
    int cols;
    __device__ __forceinline__ T operator()(int r, int k) const {
        return (r < rows && k < cols) ? p[(size_t)r * cols + k] : T(0);
    }
};

/* Columns of a row-major matrix with `rows` rows, the depth running down a column (X for Q). */
template <typename T>
struct ColumnsAlongK {
    const T* p;
    int rows;
    int cols;
    __device__ __forceinline__ T operator()(int c, int k) const {
        return (c < cols && k < rows) ? p[(size_t)k * cols + c] : T(0);
    }
};

/* (e ∘ 1)ᵀ for Q: value(neuron r, example i) = e_i 1{P_ir ≥ 0}, from the forward pass's bits. */
template <typename T>
struct MaskedResidual {
    const u32* bits;
    const T* e;
    int n;
    int m;
    int words;
    __device__ __forceinline__ T operator()(int r, int i) const {
        if (r >= m || i >= n) {
            return T(0);
        }
        u32 w = bits[(size_t)i * words + (r >> 5)];
        return ((w >> (r & 31)) & 1u) ? e[i] : T(0);
    }
};

/* ---------------------------------------------------------------------------------------------- */
/* The warp-level 8×8×4 product                                                                    */

/*
 * D = A·B + C for an 8×4 A, 4×8 B and 8×8 C held across a warp: lane l holds A[l/4][l%4],
 * B[l%4][l/4] and C[l/4][2(l%4)], C[l/4][2(l%4)+1] (PTX ISA, mma.m8n8k4 with .f64).
 */
__device__ __forceinline__ void dmma884(double& c0, double& c1, double a, double b) {
#if defined(__CUDA_ARCH__)
    asm volatile("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%0,%1};\n"
                 : "+d"(c0), "+d"(c1)
                 : "d"(a), "d"(b));
#elif defined(OVERPARAM_EMULATE)
    emu::mma884(c0, c1, a, b);
#else
    (void)c0; (void)c1; (void)a; (void)b; /* host pass of nvcc: never called */
#endif
}

/* One depth-4 step of a warp's MT×NT tiles: tensor cores. */
template <typename T, class Cfg, bool AK, bool BKC>
__device__ __forceinline__ void micro_step(T (&acc)[Cfg::MT][Cfg::NT][2], const T* sa, const T* sb,
                                           int k4, int wm0, int wn0, int lane, Tensor) {
    typedef Stage<Cfg::BM, Cfg::BK, AK> SA;
    typedef Stage<Cfg::BN, Cfg::BK, BKC> SB;
    T a[Cfg::MT];
    T b[Cfg::NT];
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
        a[mi] = sa[SA::at(wm0 + mi * 8 + (lane >> 2), k4 + (lane & 3))];
    }
#pragma unroll
    for (int ni = 0; ni < Cfg::NT; ++ni) {
        b[ni] = sb[SB::at(wn0 + ni * 8 + (lane >> 2), k4 + (lane & 3))];
    }
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
            dmma884(acc[mi][ni][0], acc[mi][ni][1], a[mi], b[ni]);
        }
    }
}

/* One depth-4 step with scalar FMAs, same ownership of C as the tensor-core step. */
template <typename T, class Cfg, bool AK, bool BKC>
__device__ __forceinline__ void micro_step(T (&acc)[Cfg::MT][Cfg::NT][2], const T* sa, const T* sb,
                                           int k4, int wm0, int wn0, int lane, Fma) {
    typedef Stage<Cfg::BM, Cfg::BK, AK> SA;
    typedef Stage<Cfg::BN, Cfg::BK, BKC> SB;
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) {
        T a[Cfg::MT];
        T b0[Cfg::NT];
        T b1[Cfg::NT];
#pragma unroll
        for (int mi = 0; mi < Cfg::MT; ++mi) {
            a[mi] = sa[SA::at(wm0 + mi * 8 + (lane >> 2), k4 + kk)];
        }
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
            int col = wn0 + ni * 8 + 2 * (lane & 3);
            b0[ni] = sb[SB::at(col, k4 + kk)];
            b1[ni] = sb[SB::at(col + 1, k4 + kk)];
        }
#pragma unroll
        for (int mi = 0; mi < Cfg::MT; ++mi) {
#pragma unroll
            for (int ni = 0; ni < Cfg::NT; ++ni) {
                acc[mi][ni][0] += a[mi] * b0[ni];
                acc[mi][ni][1] += a[mi] * b1[ni];
            }
        }
    }
}

/*
 * The block's BM×BN tile of C = Σ_k A(r, k) B(c, k) over depth K, rows from m0 and columns from n0,
 * into the warp's registers. Operand tiles are staged through shared memory, the next one held in
 * registers while the current one is multiplied.
 */
template <typename T, class Cfg, bool AK, bool BKC, class Math, class LA, class LB>
__device__ __forceinline__ void block_product(T (&acc)[Cfg::MT][Cfg::NT][2], const LA& la, const LB& lb,
                                              int m0, int n0, int K, T* sa, T* sb) {
    typedef Stage<Cfg::BM, Cfg::BK, AK> SA;
    typedef Stage<Cfg::BN, Cfg::BK, BKC> SB;
    constexpr int EA = Cfg::BM * Cfg::BK / Cfg::THREADS;
    constexpr int EB = Cfg::BN * Cfg::BK / Cfg::THREADS;
    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int wm0 = (warp / Cfg::WARPS_N) * Cfg::WTM;
    const int wn0 = (warp % Cfg::WARPS_N) * Cfg::WTN;
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
            acc[mi][ni][0] = T(0);
            acc[mi][ni][1] = T(0);
        }
    }
    T ra[EA];
    T rb[EB];
    const int tiles = (K + Cfg::BK - 1) / Cfg::BK;
#pragma unroll
    for (int j = 0; j < EA; ++j) {
        int mn, k;
        SA::coord(tid + j * Cfg::THREADS, mn, k);
        ra[j] = la(m0 + mn, k);
    }
#pragma unroll
    for (int j = 0; j < EB; ++j) {
        int mn, k;
        SB::coord(tid + j * Cfg::THREADS, mn, k);
        rb[j] = lb(n0 + mn, k);
    }
    for (int t = 0; t < tiles; ++t) {
#pragma unroll
        for (int j = 0; j < EA; ++j) {
            int mn, k;
            SA::coord(tid + j * Cfg::THREADS, mn, k);
            sa[SA::at(mn, k)] = ra[j];
        }
#pragma unroll
        for (int j = 0; j < EB; ++j) {
            int mn, k;
            SB::coord(tid + j * Cfg::THREADS, mn, k);
            sb[SB::at(mn, k)] = rb[j];
        }
        __syncthreads();
        if (t + 1 < tiles) {
            const int k0 = (t + 1) * Cfg::BK;
#pragma unroll
            for (int j = 0; j < EA; ++j) {
                int mn, k;
                SA::coord(tid + j * Cfg::THREADS, mn, k);
                ra[j] = la(m0 + mn, k0 + k);
            }
#pragma unroll
            for (int j = 0; j < EB; ++j) {
                int mn, k;
                SB::coord(tid + j * Cfg::THREADS, mn, k);
                rb[j] = lb(n0 + mn, k0 + k);
            }
        }
#pragma unroll
        for (int k4 = 0; k4 < Cfg::BK; k4 += 4) {
            micro_step<T, Cfg, AK, BKC>(acc, sa, sb, k4, wm0, wn0, lane, Math());
        }
        __syncthreads();
    }
}

/* A block-wide sum in a fixed order (the same tree on every run). `red` holds THREADS doubles. */
template <int THREADS>
__device__ __forceinline__ double block_sum(double v, double* red) {
    const int tid = threadIdx.x;
    red[tid] = v;
    __syncthreads();
#pragma unroll 1
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (tid < s) {
            red[tid] += red[tid + s];
        }
        __syncthreads();
    }
    double r = red[0];
    __syncthreads();
    return r;
}

/* A load that bypasses L1: the value was written by another block of the same launch. */
template <typename T>
__device__ __forceinline__ T load_coherent(const T* p) {
#if defined(__CUDA_ARCH__)
    return __ldcg(p);
#else
    return *(const volatile T*)p;
#endif
}

/*
 * Elects the last block of a group to finish: every block makes its global writes visible, then takes
 * a ticket; the block holding the last ticket resets the counter and returns true (on every thread).
 */
__device__ __forceinline__ bool last_block(u32* counter, u32 blocks, int* flag) {
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) {
        u32 ticket = atomicAdd(counter, 1u);
        *flag = ticket == blocks - 1 ? 1 : 0;
        if (*flag) {
            *counter = 0u;
        }
    }
    __syncthreads();
    bool last = *flag != 0;
    if (last) {
        __threadfence();
    }
    return last;
}

__device__ __forceinline__ bool finite(double x) { return isfinite(x); }

/* ---------------------------------------------------------------------------------------------- */
/* Forward: bits of 1{P ≥ 0}, partial outputs, then (last block) residual, loss and stop rule       */

template <typename T, class Cfg>
struct ForwardShared {
    typedef Stage<Cfg::BM, Cfg::BK, true> SA;
    typedef Stage<Cfg::BN, Cfg::BK, true> SB;
    static constexpr int OPERANDS = (SA::SIZE + SB::SIZE) * (int)sizeof(T);
    static constexpr int EPILOGUE = Cfg::BM * Cfg::BN + Cfg::BM * Cfg::WARPS_N * 4 * (int)sizeof(T);
    static constexpr int LOSS = Cfg::THREADS * (int)sizeof(double);
    static constexpr int BYTES = OPERANDS > EPILOGUE ? (OPERANDS > LOSS ? OPERANDS : LOSS)
                                                     : (EPILOGUE > LOSS ? EPILOGUE : LOSS);
};

template <typename T, class Cfg, class Math>
__device__ __forceinline__ void forward(const T* __restrict__ x, i64 xStride, const T* __restrict__ y, i64 yStride,
                                        const T* __restrict__ v, const T* __restrict__ scale, u32* __restrict__ bits,
                                        T* __restrict__ partial, T* __restrict__ e, u32* __restrict__ counter,
                                        int* __restrict__ istate, double* __restrict__ dstate,
                                        double* __restrict__ losses, int chunk, int slot, int step,
                                        double divergence, int n, int d, int m) {
    typedef ForwardShared<T, Cfg> Sh;
    __shared__ __align__(16) unsigned char smem[Sh::BYTES];
    __shared__ int lastFlag;
    const int b = blockIdx.z;
    if (istate[b * OP_ISTATE_WIDTH + OP_ISTATE_STATUS] != OP_STATUS_RUNNING) {
        return; /* the whole block: a stopped trial is frozen */
    }
    const int words = (m + 31) / 32;
    const int tilesN = gridDim.x;
    x += (size_t)b * xStride;
    y += (size_t)b * yStride;
    v += (size_t)b * m * d;
    scale += (size_t)b * m;
    bits += (size_t)b * n * words;
    partial += (size_t)b * tilesN * n;
    e += (size_t)b * n;

    const int m0 = blockIdx.y * Cfg::BM; /* rows: examples i */
    const int n0 = blockIdx.x * Cfg::BN; /* columns: neurons k */
    T* sa = reinterpret_cast<T*>(smem);
    T* sb = sa + Sh::SA::SIZE;
    T acc[Cfg::MT][Cfg::NT][2];
    RowsAlongK<T> la = {x, n, d};
    RowsAlongK<T> lb = {v, m, d};
    block_product<T, Cfg, true, true, Math>(acc, la, lb, m0, n0, d, sa, sb);

    /* Epilogue: the signs as bytes and each thread's share of its rows' outputs, in a fixed order. */
    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int wm0 = (warp / Cfg::WARPS_N) * Cfg::WTM;
    const int wn0 = (warp % Cfg::WARPS_N) * Cfg::WTN;
    unsigned char* flags = smem;                                        /* [BM][BN] */
    T* red = reinterpret_cast<T*>(smem + Cfg::BM * Cfg::BN);            /* [BM][WARPS_N*4] */
    constexpr int SHARES = Cfg::WARPS_N * 4;
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
        const int row = wm0 + mi * 8 + (lane >> 2);
        const bool rowIn = m0 + row < n;
        T out = T(0);
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
#pragma unroll
            for (int j = 0; j < 2; ++j) {
                const int col = wn0 + ni * 8 + 2 * (lane & 3) + j;
                const int k = n0 + col;
                const T u = acc[mi][ni][j];
                const bool in = rowIn && k < m;
                flags[row * Cfg::BN + col] = (in && u >= T(0)) ? 1 : 0;
                if (in && u > T(0)) {
                    out += scale[k] * u;
                }
            }
        }
        red[row * SHARES + (warp % Cfg::WARPS_N) * 4 + (lane & 3)] = out;
    }
    __syncthreads();
    for (int r = tid; r < Cfg::BM; r += Cfg::THREADS) {
        if (m0 + r < n) {
            T s = T(0);
            for (int q = 0; q < SHARES; ++q) {
                s += red[r * SHARES + q];
            }
            partial[(size_t)blockIdx.x * n + m0 + r] = s;
        }
    }
    constexpr int ROW_WORDS = Cfg::BN / 32;
    for (int w = tid; w < Cfg::BM * ROW_WORDS; w += Cfg::THREADS) {
        const int r = w / ROW_WORDS;
        const int c = w % ROW_WORDS;
        if (m0 + r < n && n0 + c * 32 < m) {
            u32 word = 0u;
            for (int t = 0; t < 32; ++t) {
                word |= (u32)flags[r * Cfg::BN + c * 32 + t] << t;
            }
            bits[(size_t)(m0 + r) * words + n0 / 32 + c] = word;
        }
    }

    if (!last_block(counter + b, gridDim.x * gridDim.y, &lastFlag)) {
        return;
    }
    /* The last block of trial b: f_i = Σ_tiles partial, e = f − y, loss = ½‖e‖², stop rule. */
    double* lred = reinterpret_cast<double*>(smem);
    double local = 0.0;
    for (int i = tid; i < n; i += Cfg::THREADS) {
        T f = T(0);
        for (int t = 0; t < tilesN; ++t) {
            f += load_coherent(partial + (size_t)t * n + i);
        }
        const T ei = f - y[i];
        e[i] = ei;
        local += (double)ei * (double)ei;
    }
    const double loss = 0.5 * block_sum<Cfg::THREADS>(local, lred);
    if (tid == 0) {
        int* is = istate + b * OP_ISTATE_WIDTH;
        double* ds = dstate + b * OP_DSTATE_WIDTH;
        losses[(size_t)b * chunk + slot] = loss;
        int status = OP_STATUS_RUNNING;
        if (step == 0) {
            if (!finite(loss)) {
                status = OP_STATUS_DIVERGED;
            } else {
                ds[OP_DSTATE_TARGET] = ds[OP_DSTATE_TOLERANCE] * loss;
                ds[OP_DSTATE_BLOWUP] = divergence * loss;
            }
        }
        if (status == OP_STATUS_RUNNING) {
            if (loss <= ds[OP_DSTATE_TARGET]) {
                status = OP_STATUS_CONVERGED;
            } else if (!finite(loss) || loss > ds[OP_DSTATE_BLOWUP]) {
                status = OP_STATUS_DIVERGED;
            } else if (step == is[OP_ISTATE_MAX_STEPS]) {
                status = OP_STATUS_MAX_STEPS;
            }
        }
        if (status != OP_STATUS_RUNNING) {
            is[OP_ISTATE_STOP_STEP] = step;
            is[OP_ISTATE_STATUS] = status;
        }
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Backward: Q = (e ∘ 1)ᵀ X, then (last block of a row of tiles) the update of its neurons          */

template <typename T, class Cfg>
struct BackwardShared {
    typedef Stage<Cfg::BM, Cfg::BK, false> SA;
    typedef Stage<Cfg::BN, Cfg::BK, false> SB;
    static constexpr int BYTES = (SA::SIZE + SB::SIZE) * (int)sizeof(T);
};

/* The update of neuron k of one trial from its full row Q_k (written by the blocks of this launch). */
template <typename T>
__device__ __forceinline__ void update_neuron(int k, int d, int model, double eta, double invSqrtM,
                                              const T* q, T* v, T* g, const T* c, T* scale, T* norm,
                                              double* growth) {
    const T* qk = q + (size_t)k * d;
    T* vk = v + (size_t)k * d;
    const T et = (T)eta;
    if (model == OP_MODEL_RELU) {
        const T a = et * scale[k];
        for (int j = 0; j < d; ++j) {
            vk[j] -= a * load_coherent(qk + j);
        }
        return;
    }
    const T nrm = norm[k];
    const T sk = scale[k];
    const T ck = c[k];
    T h = T(0);
    for (int j = 0; j < d; ++j) {
        h += load_coherent(qk + j) * vk[j];
    }
    const T proj = h / (nrm * nrm);
    const T step = et * sk;
    T grad2 = T(0);
    T after = T(0);
    for (int j = 0; j < d; ++j) {
        const T t = load_coherent(qk + j) - proj * vk[j];
        const T gj = sk * t;
        grad2 += gj * gj;
        const T vj = vk[j] - step * t;
        vk[j] = vj;
        after += vj * vj;
    }
    const T gk = g[k] - et * ck * h * (T)invSqrtM / nrm;
    g[k] = gk;
    const T nrmAfter = sqrt(after);
    norm[k] = nrmAfter;
    scale[k] = ck * gk * (T)invSqrtM / nrmAfter;
    /* theory.md eq. 2.3: ‖v(s+1)‖² = ‖v(s)‖² + η²‖∇_v L‖²; the worst violation, NaN once seen. */
    const double err = fabs((double)after - (double)(nrm * nrm) - eta * eta * (double)grad2) / (double)after;
    if (err > growth[k] || isnan(err)) {
        growth[k] = err; /* the rule of WeightNormNet: once NaN, it stays NaN */
    }
}

template <typename T, class Cfg, class Math>
__device__ __forceinline__ void backward(const T* __restrict__ x, i64 xStride, const u32* __restrict__ bits,
                                         const T* __restrict__ e, T* __restrict__ v, T* __restrict__ g,
                                         const T* __restrict__ c, T* __restrict__ scale, T* __restrict__ norm,
                                         T* __restrict__ q, double* __restrict__ growth, u32* __restrict__ counter,
                                         const int* __restrict__ istate, const double* __restrict__ dstate,
                                         double invSqrtM, int model, int n, int d, int m) {
    typedef BackwardShared<T, Cfg> Sh;
    __shared__ __align__(16) unsigned char smem[Sh::BYTES];
    __shared__ int lastFlag;
    const int b = blockIdx.z;
    if (istate[b * OP_ISTATE_WIDTH + OP_ISTATE_STATUS] != OP_STATUS_RUNNING) {
        return;
    }
    const int words = (m + 31) / 32;
    x += (size_t)b * xStride;
    bits += (size_t)b * n * words;
    e += (size_t)b * n;
    v += (size_t)b * m * d;
    g += (size_t)b * m;
    c += (size_t)b * m;
    scale += (size_t)b * m;
    norm += (size_t)b * m;
    q += (size_t)b * m * d;
    growth += (size_t)b * m;

    const int m0 = blockIdx.y * Cfg::BM; /* rows: neurons k */
    const int n0 = blockIdx.x * Cfg::BN; /* columns: input coordinates j */
    T* sa = reinterpret_cast<T*>(smem);
    T* sb = sa + Sh::SA::SIZE;
    T acc[Cfg::MT][Cfg::NT][2];
    MaskedResidual<T> la = {bits, e, n, m, words};
    ColumnsAlongK<T> lb = {x, n, d};
    block_product<T, Cfg, false, false, Math>(acc, la, lb, m0, n0, n, sa, sb);

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int wm0 = (warp / Cfg::WARPS_N) * Cfg::WTM;
    const int wn0 = (warp % Cfg::WARPS_N) * Cfg::WTN;
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
        const int k = m0 + wm0 + mi * 8 + (lane >> 2);
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
#pragma unroll
            for (int j = 0; j < 2; ++j) {
                const int col = n0 + wn0 + ni * 8 + 2 * (lane & 3) + j;
                if (k < m && col < d) {
                    q[(size_t)k * d + col] = acc[mi][ni][j];
                }
            }
        }
    }
    if (!last_block(counter + (size_t)b * gridDim.y + blockIdx.y, gridDim.x, &lastFlag)) {
        return;
    }
    const double eta = dstate[b * OP_DSTATE_WIDTH + OP_DSTATE_ETA];
    for (int r = tid; r < Cfg::BM; r += Cfg::THREADS) {
        const int k = m0 + r;
        if (k < m) {
            update_neuron<T>(k, d, model, eta, invSqrtM, q, v, g, c, scale, norm, growth);
        }
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Instruments: P = X Vᵀ of one trial, then the n×n products behind its kernels (theory.md §6)     */

/* P = X Vᵀ (n×m) of trial `trial`, by the forward pass's product (the same tile: the same sums), stored. */
template <typename T, class Cfg, class Math>
__device__ __forceinline__ void preactivations(const T* __restrict__ x, const T* __restrict__ v, T* __restrict__ p,
                                               int trial, int n, int d, int m) {
    typedef ForwardShared<T, Cfg> Sh;
    __shared__ __align__(16) unsigned char smem[Sh::OPERANDS];
    v += (size_t)trial * m * d;
    const int m0 = blockIdx.y * Cfg::BM; /* rows: examples i */
    const int n0 = blockIdx.x * Cfg::BN; /* columns: neurons k */
    T* sa = reinterpret_cast<T*>(smem);
    T* sb = sa + Sh::SA::SIZE;
    T acc[Cfg::MT][Cfg::NT][2];
    RowsAlongK<T> la = {x, n, d};
    RowsAlongK<T> lb = {v, m, d};
    block_product<T, Cfg, true, true, Math>(acc, la, lb, m0, n0, d, sa, sb);
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int wm0 = (warp / Cfg::WARPS_N) * Cfg::WTM;
    const int wn0 = (warp % Cfg::WARPS_N) * Cfg::WTN;
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
        const int i = m0 + wm0 + mi * 8 + (lane >> 2);
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
#pragma unroll
            for (int j = 0; j < 2; ++j) {
                const int k = n0 + wn0 + ni * 8 + 2 * (lane & 3) + j;
                if (i < n && k < m) {
                    p[(size_t)i * m + k] = acc[mi][ni][j];
                }
            }
        }
    }
}

/*
 * An operand B (n×m) of the kernel products B Bᵀ, formed from P as it is loaded: B_ik = w_k 1{P_ik ≥ 0}
 * (indicators) or B_ik = w_k σ(P_ik)/‖v_k‖ (normalized ReLU), with w_k = 1 or w_k = √ω_k = |α g_k/‖v_k‖|
 * (org.overparam.trainer.ntk.GramMatrices, eq. 3.3–3.4).
 */
template <typename T>
struct KernelOperand {
    const T* p;
    const T* g;
    const T* norm;
    T alpha;
    int n;
    int m;
    bool weighted;
    bool relu;
    __device__ __forceinline__ T operator()(int i, int k) const {
        if (i >= n || k >= m) {
            return T(0);
        }
        const T u = p[(size_t)i * m + k];
        if (!(u >= T(0))) {
            return T(0);
        }
        const T w = weighted ? (T)fabs(alpha * g[k] / norm[k]) : T(1);
        return relu ? w * u / norm[k] : w;
    }
};

/*
 * Product blockIdx.z of trial `trial` from its P: 0 S Sᵀ, 1 S diag(ω) Sᵀ, 2 A Aᵀ, 3 A diag(ω) Aᵀ, each
 * n×n into out[z]. Only the blocks on and above the diagonal compute; those above it also write their
 * mirror image, so every element has one writer.
 */
template <typename T, class Cfg, class Math>
__device__ __forceinline__ void kernel_products(const T* __restrict__ p, const T* __restrict__ g, const T* __restrict__ norm,
                                                T* __restrict__ out, double alpha, int trial, int n, int m) {
    static_assert(Cfg::BM == Cfg::BN, "square tiles: the lower blocks mirror the upper ones");
    typedef ForwardShared<T, Cfg> Sh;
    __shared__ __align__(16) unsigned char smem[Sh::OPERANDS];
    if (blockIdx.y > blockIdx.x) {
        return;
    }
    const int product = blockIdx.z;
    g += (size_t)trial * m;
    norm += (size_t)trial * m;
    out += (size_t)product * n * n;
    const int m0 = blockIdx.y * Cfg::BM; /* rows: examples i */
    const int n0 = blockIdx.x * Cfg::BN; /* columns: examples j */
    T* sa = reinterpret_cast<T*>(smem);
    T* sb = sa + Sh::SA::SIZE;
    T acc[Cfg::MT][Cfg::NT][2];
    KernelOperand<T> op = {p, g, norm, (T)alpha, n, m, (product & 1) != 0, product >= 2};
    block_product<T, Cfg, true, true, Math>(acc, op, op, m0, n0, m, sa, sb);
    const bool mirror = blockIdx.y != blockIdx.x;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int wm0 = (warp / Cfg::WARPS_N) * Cfg::WTM;
    const int wn0 = (warp % Cfg::WARPS_N) * Cfg::WTN;
#pragma unroll
    for (int mi = 0; mi < Cfg::MT; ++mi) {
        const int i = m0 + wm0 + mi * 8 + (lane >> 2);
#pragma unroll
        for (int ni = 0; ni < Cfg::NT; ++ni) {
#pragma unroll
            for (int j = 0; j < 2; ++j) {
                const int c = n0 + wn0 + ni * 8 + 2 * (lane & 3) + j;
                if (i < n && c < n) {
                    out[(size_t)i * n + c] = acc[mi][ni][j];
                    if (mirror) {
                        out[(size_t)c * n + i] = acc[mi][ni][j];
                    }
                }
            }
        }
    }
}

} /* namespace op */

/* ---------------------------------------------------------------------------------------------- */
/* Entry points (names and parameter lists: org.overparam.trainer.backend.cuda.KernelAbi)           */

#define OP_FORWARD_PARAMS(T)                                                                            \
    const T *x, long long xStride, const T *y, long long yStride, const T *v, const T *scale,           \
        unsigned int *bits, T *partial, T *e, unsigned int *counter, int *istate, double *dstate,         \
        double *losses, int chunk, int slot, int step, double divergence, int n, int d, int m
#define OP_FORWARD_ARGS x, xStride, y, yStride, v, scale, bits, partial, e, counter, istate, dstate, \
        losses, chunk, slot, step, divergence, n, d, m
#define OP_BACKWARD_PARAMS(T)                                                                           \
    const T *x, long long xStride, const unsigned int *bits, const T *e, T *v, T *g, const T *c,        \
        T *scale, T *norm, T *q, double *growth, unsigned int *counter, const int *istate,               \
        const double *dstate, double invSqrtM, int model, int n, int d, int m
#define OP_BACKWARD_ARGS x, xStride, bits, e, v, g, c, scale, norm, q, growth, counter, istate, dstate, \
        invSqrtM, model, n, d, m

#define OP_ENTRY_POINTS(SUFFIX, T, MATH)                                                                   \
    extern "C" __global__ void __launch_bounds__(op::Small::THREADS) op_forward_##SUFFIX##_s(OP_FORWARD_PARAMS(T)) {    \
        op::forward<T, op::Small, op::MATH>(OP_FORWARD_ARGS);                                              \
    }                                                                                                      \
    extern "C" __global__ void __launch_bounds__(op::Large::THREADS) op_forward_##SUFFIX##_l(OP_FORWARD_PARAMS(T)) {    \
        op::forward<T, op::Large, op::MATH>(OP_FORWARD_ARGS);                                              \
    }                                                                                                      \
    extern "C" __global__ void __launch_bounds__(op::Small::THREADS) op_backward_##SUFFIX##_s(OP_BACKWARD_PARAMS(T)) {  \
        op::backward<T, op::Small, op::MATH>(OP_BACKWARD_ARGS);                                            \
    }                                                                                                      \
    extern "C" __global__ void __launch_bounds__(op::Large::THREADS) op_backward_##SUFFIX##_l(OP_BACKWARD_PARAMS(T)) {  \
        op::backward<T, op::Large, op::MATH>(OP_BACKWARD_ARGS);                                            \
    }

#define OP_PREACT_PARAMS(T) const T *x, const T *v, T *p, int trial, int n, int d, int m
#define OP_PREACT_ARGS x, v, p, trial, n, d, m
#define OP_PRODUCTS_PARAMS(T) const T *p, const T *g, const T *norm, T *out, double alpha, int trial, int n, int m
#define OP_PRODUCTS_ARGS p, g, norm, out, alpha, trial, n, m

#define OP_INSTRUMENT_ENTRY_POINTS(SUFFIX, T, MATH)                                                        \
    extern "C" __global__ void __launch_bounds__(op::Small::THREADS) op_preact_##SUFFIX##_s(OP_PREACT_PARAMS(T)) {      \
        op::preactivations<T, op::Small, op::MATH>(OP_PREACT_ARGS);                                        \
    }                                                                                                      \
    extern "C" __global__ void __launch_bounds__(op::Large::THREADS) op_preact_##SUFFIX##_l(OP_PREACT_PARAMS(T)) {      \
        op::preactivations<T, op::Large, op::MATH>(OP_PREACT_ARGS);                                        \
    }                                                                                                      \
    extern "C" __global__ void __launch_bounds__(op::Small::THREADS) op_products_##SUFFIX##_s(OP_PRODUCTS_PARAMS(T)) {  \
        op::kernel_products<T, op::Small, op::MATH>(OP_PRODUCTS_ARGS);                                     \
    }                                                                                                      \
    extern "C" __global__ void __launch_bounds__(op::Large::THREADS) op_products_##SUFFIX##_l(OP_PRODUCTS_PARAMS(T)) {  \
        op::kernel_products<T, op::Large, op::MATH>(OP_PRODUCTS_ARGS);                                     \
    }

/* float64 on tensor cores (the default), float64 with FMAs (a cross-check), float32 with FMAs. */
OP_ENTRY_POINTS(f64, double, Tensor)
OP_ENTRY_POINTS(f64fma, double, Fma)
OP_ENTRY_POINTS(f32, float, Fma)
OP_INSTRUMENT_ENTRY_POINTS(f64, double, Tensor)
OP_INSTRUMENT_ENTRY_POINTS(f64fma, double, Fma)
OP_INSTRUMENT_ENTRY_POINTS(f32, float, Fma)
