// Emulates the CUDA built-ins the kernels use, so kernels/*.cu compile with g++ as C++ and run on the host.
// g++ force-includes this header before each kernel file (see Makefile). The threads of a block run as
// fibres on one OS thread and really interleave at __syncthreads and at warp operations; blocks run one
// after another. Device memory is host memory that only the emulator hands out.
#pragma once

#include <math.h>
#include <stddef.h>
#include <string.h>
#include <utility>
#include <type_traits>

#define ENGINE_CUDA_EMULATOR 1

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __restrict__ __restrict
#define __launch_bounds__(...)
// One block runs at a time (under the launch lock), so a function-local static is exactly a block's shared memory.
#define __shared__ static

namespace emu
{
struct uint3
{
    unsigned x, y, z;
};

struct dim3
{
    unsigned x, y, z;
};

// One CUDA thread: its index and the fibre it runs on.
struct Thread
{
    uint3 index;
    unsigned linear;      // x + y * blockDim.x + z * blockDim.x * blockDim.y
    void* stack_pointer;  // saved while the fibre is switched out
    int waiting;          // 0 running or runnable, 1 at a block barrier, 2 at a warp barrier
    unsigned wait_generation;
    bool done;
};

// State of the block being run; plain globals, as kernels run under the launch lock on one OS thread.
extern Thread* current_thread;
extern uint3 block_index;
extern dim3 block_dim;
extern dim3 grid_dim;

void sync_block();
void sync_warp();
void* dynamic_shared();
// Shares 8 bytes from each lane of the calling warp; returns what lane `source` shared (own value when out of range).
unsigned long long exchange(unsigned long long value, int source);

template <typename T>
T shuffle(T value, int source)
{
    static_assert(sizeof(T) <= 8, "shuffles move at most 8 bytes");
    unsigned long long bits = 0;
    memcpy(&bits, &value, sizeof(T));
    bits = exchange(bits, source);
    T result;
    memcpy(&result, &bits, sizeof(T));
    return result;
}

inline int lane() { return (int)(current_thread->linear & 31); }

// ---- kernel registry: entry points are launched by name with an array of argument pointers --------

using Invoker = void (*)(void* const* arguments);

struct Signature
{
    int count;
    const unsigned* sizes;
};

struct Registration
{
    Registration(const char* name, Invoker invoke, Signature signature);
};

template <typename F, F f>
struct Entry;

template <typename... A, void (*f)(A...)>
struct Entry<void (*)(A...), f>
{
    static constexpr unsigned sizes[sizeof...(A) + 1] = {static_cast<unsigned>(sizeof(A))..., 0};

    static void invoke(void* const* arguments) { call(arguments, std::index_sequence_for<A...>{}); }

    template <size_t... I>
    static void call(void* const* arguments, std::index_sequence<I...>)
    {
        f(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(arguments[I])...);
    }

    static Signature signature() { return {static_cast<int>(sizeof...(A)), sizes}; }
};
} // namespace emu

#define EMULATOR_REGISTER_KERNEL(name) \
    static const ::emu::Registration emulator_registration_##name( \
        #name, &::emu::Entry<decltype(&name), &name>::invoke, ::emu::Entry<decltype(&name), &name>::signature());

#define threadIdx (::emu::current_thread->index)
#define blockIdx (::emu::block_index)
#define blockDim (::emu::block_dim)
#define gridDim (::emu::grid_dim)
#define warpSize 32

inline void __syncthreads() { ::emu::sync_block(); }
inline void __syncwarp(unsigned = 0xffffffffu) { ::emu::sync_warp(); }
// Memory is coherent on one OS thread.
inline void __threadfence() {}

// Warp shuffles: all live lanes of the warp take part (the mask is assumed to name them all).
template <typename T>
T __shfl_sync(unsigned, T value, int source, int width = 32)
{
    int base = ::emu::lane() & ~(width - 1);
    return ::emu::shuffle(value, base + (source & (width - 1)));
}

template <typename T>
T __shfl_down_sync(unsigned, T value, unsigned delta, int width = 32)
{
    int lane = ::emu::lane(), within = lane & (width - 1);
    return ::emu::shuffle(value, within + (int)delta < width ? lane + (int)delta : lane);
}

template <typename T>
T __shfl_up_sync(unsigned, T value, unsigned delta, int width = 32)
{
    int lane = ::emu::lane(), within = lane & (width - 1);
    return ::emu::shuffle(value, within >= (int)delta ? lane - (int)delta : lane);
}

template <typename T>
T __shfl_xor_sync(unsigned, T value, int mask, int width = 32)
{
    int lane = ::emu::lane(), source = lane ^ mask;
    return ::emu::shuffle(value, (source & ~(width - 1)) == (lane & ~(width - 1)) ? source : lane);
}

// Atomics: fibres switch only at barriers, so a read-modify-write is never interrupted.
template <typename T>
T emulated_atomic_add(T* address, T value)
{
    T old = *address;
    *address = old + value;
    return old;
}

inline float atomicAdd(float* address, float value) { return emulated_atomic_add(address, value); }
inline double atomicAdd(double* address, double value) { return emulated_atomic_add(address, value); }
inline int atomicAdd(int* address, int value) { return emulated_atomic_add(address, value); }
inline unsigned atomicAdd(unsigned* address, unsigned value) { return emulated_atomic_add(address, value); }
inline unsigned long long atomicAdd(unsigned long long* address, unsigned long long value) { return emulated_atomic_add(address, value); }

template <typename T>
T emulated_atomic_cas(T* address, T compare, T value)
{
    T old = *address;
    if (old == compare) *address = value;
    return old;
}

inline int atomicCAS(int* address, int compare, int value) { return emulated_atomic_cas(address, compare, value); }
inline unsigned long long atomicCAS(unsigned long long* address, unsigned long long compare, unsigned long long value)
{
    return emulated_atomic_cas(address, compare, value);
}

inline int atomicExch(int* address, int value)
{
    int old = *address;
    *address = value;
    return old;
}

inline int atomicMax(int* address, int value)
{
    int old = *address;
    if (value > old) *address = value;
    return old;
}

// CUDA's device-only math and bit casts.
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
// Never contracted into a fused multiply-add (the Makefile also passes -ffp-contract=off).
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }

inline float __int_as_float(int bits)
{
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

inline double __longlong_as_double(long long bits)
{
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}
