/*
 * A stand-in for a GPU, driven by the Java tests through the same calls the CUDA backend makes on a
 * real one (org.overparam.trainer.backend.cuda.GpuApi): allocate, copy, set, launch a kernel of
 * overparam.cu by name with its packed argument list. Commands arrive on stdin, answers leave on
 * stdout, all little-endian:
 *
 *   'A' u64 bytes                      -> u64 address   (filled with 0xFF bytes: NaN, to expose reads of unset memory)
 *   'F' u64 address
 *   'U' u64 address, u64 bytes, data
 *   'D' u64 address, u64 bytes         -> data
 *   'M' u64 address, u32 value, u64 count (32-bit words)
 *   'L' u16 name length, name, u32 grid x y z, u32 block x y z, u32 shared bytes, u32 argument bytes, arguments
 *                                      -> u32 0, or u32 length and an error message
 *   'Q'
 *
 * The argument bytes are consumed in order by the kernel's parameter types (8-byte pointers, 4-byte
 * int, 8-byte long long and double); a count that does not match the parameter list is an error.
 *
 * Build: g++ -std=c++20 -O2 -pthread -DOVERPARAM_EMULATE -I src/main/cuda -I src/test/cuda src/test/cuda/emulator.cpp
 */
#include "cuda_emulation.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <ucontext.h>
#include <tuple>
#include <vector>

#include "overparam.cu"

namespace emu {
dim3 threadIdx_;
dim3 blockIdx_;
dim3 blockDim_;
dim3 gridDim_;

namespace {
/*
 * The threads of the block being run: fibers on stacks of their own, switched at barriers, in
 * index order. On x86-64 a fiber switch saves the callee-saved registers and swaps stacks (a few
 * nanoseconds, where ucontext's swapcontext makes a system call per switch); elsewhere ucontext.
 */
constexpr size_t STACK = 256 * 1024;
std::vector<std::vector<char>> stacks;
std::vector<char> finished;
unsigned current;
std::function<void()> body;

#if defined(__x86_64__)
extern "C" void emu_switch(void** save, void* next);
asm(R"(
    .text
    .globl emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");
std::vector<void*> fiberSp;
void* schedulerSp;

void entry();

[[noreturn]] void trampoline() {
    entry();
    for (;;) {
        emu_switch(&fiberSp[current], schedulerSp);
    }
}

void start(unsigned t) {
    /* A fresh stack that emu_switch "returns" into trampoline from: six zero registers, then the address. */
    char* top = stacks[t].data() + STACK;
    uintptr_t sp = ((uintptr_t)top & ~(uintptr_t)15) - 8; /* trampoline is entered with rsp ≡ 8 (mod 16) */
    sp -= sizeof(void*);
    *(void**)sp = (void*)&trampoline;
    for (int r = 0; r < 6; ++r) {
        sp -= sizeof(void*);
        *(void**)sp = nullptr;
    }
    fiberSp[t] = (void*)sp;
}
void resume(unsigned t) { emu_switch(&schedulerSp, fiberSp[t]); }
void yield() { emu_switch(&fiberSp[current], schedulerSp); }
void prepare(unsigned threads) { fiberSp.assign(threads, nullptr); }
#else
std::vector<ucontext_t> fibers;
ucontext_t scheduler;
void entry();
void start(unsigned t) {
    getcontext(&fibers[t]);
    fibers[t].uc_stack.ss_sp = stacks[t].data();
    fibers[t].uc_stack.ss_size = STACK;
    fibers[t].uc_link = &scheduler;
    makecontext(&fibers[t], entry, 0);
}
void resume(unsigned t) { swapcontext(&scheduler, &fibers[t]); }
void yield() { swapcontext(&fibers[current], &scheduler); }
void prepare(unsigned threads) { fibers.resize(threads); }
#endif

struct Barrier {
    unsigned count = 0;
    unsigned arrived = 0;
    unsigned long generation = 0;
};
Barrier blockBarrier;
std::vector<Barrier> warpBarriers;
/* What each lane brings to a warp-wide mma: its A and B values and where its C values live. */
std::vector<double> warpA;
std::vector<double> warpB;
std::vector<double*> warpC0;
std::vector<double*> warpC1;
/* The barrier each fiber waits at (null when runnable) and the generation it waits to end. */
std::vector<Barrier*> waitingAt;
std::vector<unsigned long> waitingFor;

/* Arrives at `b`; returns true for the last thread to arrive (it has released the others). */
bool arrive(Barrier& b) {
    const unsigned long gen = b.generation;
    if (++b.arrived == b.count) {
        b.arrived = 0;
        ++b.generation;
        return true;
    }
    waitingAt[current] = &b;
    waitingFor[current] = gen;
    yield();
    return false;
}

void entry() {
    body();
    finished[current] = 1;
}
}  // namespace

void syncthreads() { arrive(blockBarrier); }

void mma884(double& c0, double& c1, double a, double b) {
    const unsigned tid = threadIdx_.x + blockDim_.x * (threadIdx_.y + blockDim_.y * threadIdx_.z);
    const unsigned w = tid / 32;
    const unsigned lane = tid % 32;
    warpA[tid] = a;
    warpB[tid] = b;
    warpC0[tid] = &c0;
    warpC1[tid] = &c1;
    if (!arrive(warpBarriers[w])) {
        return; /* the last lane of the warp computed this lane's C while it waited */
    }
    /* A is 8×4 row-major over lanes (lane = 4·row + k); B is 4×8 with lane = 4·col + k;
       lane l holds C[l/4][2(l%4)] and C[l/4][2(l%4)+1]. */
    const double* A = &warpA[w * 32];
    const double* B = &warpB[w * 32];
    (void)lane;
    for (unsigned l = 0; l < 32; ++l) {
        const unsigned row = l / 4;
        double* c[2] = {warpC0[w * 32 + l], warpC1[w * 32 + l]};
        for (unsigned j = 0; j < 2; ++j) {
            const unsigned col = 2 * (l % 4) + j;
            double sum = *c[j];
            for (unsigned k = 0; k < 4; ++k) {
                sum = std::fma(A[row * 4 + k], B[col * 4 + k], sum);
            }
            *c[j] = sum;
        }
    }
}

/* Runs `kernel` on every thread of every block: blocks one after another, threads as fibers. */
template <class F>
void launch(dim3 grid, dim3 block, const F& kernel) {
    const unsigned threads = block.x * block.y * block.z;
    if (threads == 0 || threads % 32 != 0 || threads > 1024) {
        throw std::runtime_error("block size must be a positive multiple of 32, at most 1024");
    }
    gridDim_ = grid;
    blockDim_ = block;
    body = [&kernel] { kernel(); };
    prepare(threads);
    finished.assign(threads, 0);
    while (stacks.size() < threads) {
        stacks.emplace_back(STACK);
    }
    warpBarriers.assign(threads / 32, Barrier{});
    for (auto& wb : warpBarriers) {
        wb.count = 32;
    }
    warpA.assign(threads, 0.0);
    warpB.assign(threads, 0.0);
    warpC0.assign(threads, nullptr);
    warpC1.assign(threads, nullptr);
    waitingAt.assign(threads, nullptr);
    waitingFor.assign(threads, 0);
    for (unsigned z = 0; z < grid.z; ++z) {
        for (unsigned y = 0; y < grid.y; ++y) {
            for (unsigned x = 0; x < grid.x; ++x) {
                blockIdx_ = dim3{x, y, z};
                blockBarrier = Barrier{};
                blockBarrier.count = threads;
                for (unsigned t = 0; t < threads; ++t) {
                    start(t);
                    finished[t] = 0;
                }
                unsigned live = threads;
                while (live > 0) {
                    live = 0;
                    for (unsigned t = 0; t < threads; ++t) {
                        if (finished[t]) {
                            continue;
                        }
                        if (waitingAt[t] != nullptr) {
                            if (waitingAt[t]->generation == waitingFor[t]) {
                                ++live; /* still held at its barrier */
                                continue;
                            }
                            waitingAt[t] = nullptr;
                        }
                        current = t;
                        threadIdx_ = dim3{t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
                        resume(t);
                        live += finished[t] ? 0 : 1;
                    }
                    if (live > 0 && live < threads && blockBarrier.arrived == live) {
                        throw std::runtime_error("__syncthreads() waits for threads of the block that returned");
                    }
                    bool runnable = false;
                    for (unsigned t = 0; t < threads && !runnable; ++t) {
                        runnable = !finished[t] && (waitingAt[t] == nullptr || waitingAt[t]->generation != waitingFor[t]);
                    }
                    if (live > 0 && !runnable) {
                        throw std::runtime_error("deadlock: every live thread waits at a barrier that cannot open");
                    }
                }
            }
        }
    }
}
}  // namespace emu

namespace {

typedef std::function<void(dim3, dim3, const unsigned char*, size_t)> Entry;

template <class A>
A take(const unsigned char* p, size_t len, size_t& off) {
    if (off + sizeof(A) > len) {
        throw std::runtime_error("too few argument bytes");
    }
    A a;
    std::memcpy(&a, p + off, sizeof(A));
    off += sizeof(A);
    return a;
}

template <class... Args>
Entry entry(void (*k)(Args...)) {
    return [k](dim3 grid, dim3 block, const unsigned char* p, size_t len) {
        size_t off = 0;
        std::tuple<Args...> args{take<Args>(p, len, off)...};
        if (off != len) {
            throw std::runtime_error("argument bytes: " + std::to_string(len) + " given, " + std::to_string(off) + " used");
        }
        emu::launch(grid, block, [&] { std::apply(k, args); });
    };
}

std::map<std::string, Entry> kernels() {
    std::map<std::string, Entry> t;
#define OP_EMU_ENTRIES(S)                                  \
    t["op_forward_" #S "_s"] = entry(&op_forward_##S##_s);   \
    t["op_forward_" #S "_l"] = entry(&op_forward_##S##_l);   \
    t["op_backward_" #S "_s"] = entry(&op_backward_##S##_s); \
    t["op_backward_" #S "_l"] = entry(&op_backward_##S##_l); \
    t["op_preact_" #S "_s"] = entry(&op_preact_##S##_s);     \
    t["op_preact_" #S "_l"] = entry(&op_preact_##S##_l);     \
    t["op_products_" #S "_s"] = entry(&op_products_##S##_s); \
    t["op_products_" #S "_l"] = entry(&op_products_##S##_l);
    OP_EMU_ENTRIES(f64)
    OP_EMU_ENTRIES(f64fma)
    OP_EMU_ENTRIES(f32)
    return t;
}

void readFully(void* p, size_t n) {
    if (n > 0 && std::fread(p, 1, n, stdin) != n) {
        std::exit(3);
    }
}

template <class V>
V get() {
    V v;
    readFully(&v, sizeof(V));
    return v;
}

template <class V>
void put(V v) {
    std::fwrite(&v, sizeof(V), 1, stdout);
}

}  // namespace

int main() {
    std::map<std::string, Entry> table = kernels();
    while (true) {
        int cmd = std::fgetc(stdin);
        if (cmd == EOF || cmd == 'Q') {
            return 0;
        }
        switch (cmd) {
            case 'A': {
                uint64_t bytes = get<uint64_t>();
                void* p = std::malloc(bytes == 0 ? 1 : bytes);
                std::memset(p, 0xFF, bytes);
                put<uint64_t>((uint64_t)(uintptr_t)p);
                break;
            }
            case 'F':
                std::free((void*)(uintptr_t)get<uint64_t>());
                break;
            case 'U': {
                uint64_t addr = get<uint64_t>();
                uint64_t bytes = get<uint64_t>();
                readFully((void*)(uintptr_t)addr, bytes);
                break;
            }
            case 'D': {
                uint64_t addr = get<uint64_t>();
                uint64_t bytes = get<uint64_t>();
                std::fwrite((void*)(uintptr_t)addr, 1, bytes, stdout);
                break;
            }
            case 'M': {
                uint64_t addr = get<uint64_t>();
                uint32_t value = get<uint32_t>();
                uint64_t count = get<uint64_t>();
                uint32_t* p = (uint32_t*)(uintptr_t)addr;
                for (uint64_t i = 0; i < count; ++i) {
                    p[i] = value;
                }
                break;
            }
            case 'L': {
                uint16_t len = get<uint16_t>();
                std::string name(len, '\0');
                readFully(name.data(), len);
                dim3 grid, block;
                grid.x = get<uint32_t>();
                grid.y = get<uint32_t>();
                grid.z = get<uint32_t>();
                block.x = get<uint32_t>();
                block.y = get<uint32_t>();
                block.z = get<uint32_t>();
                (void)get<uint32_t>(); /* dynamic shared memory: the kernels use static shared memory only */
                uint32_t argBytes = get<uint32_t>();
                std::vector<unsigned char> args(argBytes);
                readFully(args.data(), argBytes);
                std::string error;
                auto it = table.find(name);
                if (it == table.end()) {
                    error = "no kernel named " + name;
                } else {
                    try {
                        it->second(grid, block, args.data(), args.size());
                    } catch (const std::exception& e) {
                        error = name + ": " + e.what();
                    }
                }
                put<uint32_t>((uint32_t)error.size());
                std::fwrite(error.data(), 1, error.size(), stdout);
                break;
            }
            default:
                std::fprintf(stderr, "emulator: unknown command %d\n", cmd);
                return 2;
        }
        std::fflush(stdout);
    }
}
