// Shared by every kernel family: integer types, the strided index helper, vector packs, the math
// overloads, block reductions and the two macros that differ between NVRTC and the emulator.
// Plain CUDA C++: NVRTC compiles it as it is; the emulator compiles it with g++ under
// emulator/cuda_emulator.h, which defines ENGINE_CUDA_EMULATOR.
#pragma once

typedef long long i64;
typedef unsigned long long u64;
typedef unsigned int u32;

// Most dimensions a strided operand may have after the host has merged contiguous dimensions.
#define MAX_RANK 8
// Most operands one layout describes (where: condition, a, b and y).
#define MAX_OPERANDS 4

// Dimensions and per-operand element strides of the elements a kernel walks in row-major order
// (KernelLayout.cs packs the same bytes). rank 0 means every operand is contiguous: element i is at i.
struct Layout
{
    int rank;
    int dims[MAX_RANK];
    i64 strides[MAX_OPERANDS][MAX_RANK];
};

#ifdef ENGINE_CUDA_EMULATOR
static_assert(sizeof(Layout) == 296, "Layout must match KernelLayout.cs");
// Kernels are found by name: the emulator registers each entry point with its parameter types.
#define EXPORT_KERNEL(name) EMULATOR_REGISTER_KERNEL(name)
#define DYNAMIC_SHARED(type, name) type* name = reinterpret_cast<type*>(::emu::dynamic_shared())
#else
#define EXPORT_KERNEL(name)
// Declared as 16-byte aligned packs, so the memory suits any element type.
#define DYNAMIC_SHARED(type, name) \
    extern __shared__ Pack<double, 2> name##_packs[]; \
    type* name = reinterpret_cast<type*>(name##_packs)
#endif

// Errors found by kernels, which cannot throw: the first report wins and the host reads it at its next
// synchronisation (CudaBackend.Errors.cs mirrors the codes).
enum DeviceErrorCode
{
    ERROR_NONE = 0,
    ERROR_INDEX_SELECT = 1,
    ERROR_INDEX_ADD = 2,
    ERROR_GATHER = 3,
    ERROR_SCATTER_ADD = 4,
    ERROR_ONE_HOT = 5,
    ERROR_DIVISION_BY_ZERO = 6,
    ERROR_CROSS_ENTROPY = 7,
};

struct DeviceError
{
    int code;
    int pad;
    i64 value;    // the offending index, label or dividend
    i64 limit;    // the size of the dimension it indexes (the number of classes)
};

__device__ __forceinline__ void report_error(DeviceError* error, int code, i64 value, i64 limit)
{
    if (atomicCAS(&error->code, ERROR_NONE, -1) == ERROR_NONE)
    {
        error->value = value;
        error->limit = limit;
        __threadfence();
        atomicExch(&error->code, code);
    }
}

// ---- the strided index helper ---------------------------------------------------------------------

// Element offsets of each of the first N operands for the row-major element `index` of the layout
// (`index` itself for every operand of a contiguous, rank-0 layout).
template <int N, typename Index>
__device__ __forceinline__ void strided_offsets(const Layout& layout, Index index, i64 (&offsets)[N])
{
#pragma unroll
    for (int k = 0; k < N; ++k) offsets[k] = layout.rank == 0 ? (i64)index : 0;
#pragma unroll
    for (int d = MAX_RANK - 1; d >= 0; --d)
    {
        if (d < layout.rank)
        {
            Index dim = (Index)layout.dims[d];
            Index next = index / dim;
            i64 coordinate = (i64)(index - next * dim);
            index = next;
#pragma unroll
            for (int k = 0; k < N; ++k) offsets[k] += coordinate * layout.strides[k][d];
        }
    }
}

// The offset of the single operand of a one-operand layout for its row-major element `index` (32-bit index
// arithmetic when the index allows, as 64-bit division costs several times more on a GPU).
__device__ __forceinline__ i64 offset_of(const Layout& layout, i64 index)
{
    i64 offset[1];
    if (index <= 0xFFFFFFFFll) strided_offsets<1, u32>(layout, (u32)index, offset);
    else strided_offsets<1, u64>(layout, (u64)index, offset);
    return offset[0];
}

// Element strides of an image operand [N, C, H, W] (convolutions, pools).
struct ImageStrides
{
    i64 n, c, h, w;
};

__device__ __forceinline__ i64 global_thread() { return (i64)blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ i64 global_threads() { return (i64)blockDim.x * gridDim.x; }

// Calls body(offsets) for every element of a strided layout, grid-stride; 32-bit index arithmetic when it fits.
template <int N, typename Body>
__device__ __forceinline__ void for_each_strided(i64 n, const Layout& layout, Body body)
{
    i64 offsets[N];
    if (n <= 0xFFFFFFFFll)
    {
        for (i64 i = global_thread(); i < n; i += global_threads())
        {
            strided_offsets<N, u32>(layout, (u32)i, offsets);
            body(offsets);
        }
    }
    else
    {
        for (i64 i = global_thread(); i < n; i += global_threads())
        {
            strided_offsets<N, u64>(layout, (u64)i, offsets);
            body(offsets);
        }
    }
}

// ---- contiguous fast paths with 16-byte accesses ----------------------------------------------------

template <typename T, int W>
struct alignas(sizeof(T) * W) Pack
{
    T v[W];
};

template <int Bytes>
__device__ __forceinline__ bool aligned_to(const void* p)
{
    return ((u64)p & (Bytes - 1)) == 0;
}

// y[i] = f(x[i]) for a contiguous range; 16-byte loads and stores where both pointers allow them.
template <typename TOut, typename TIn, typename F>
__device__ __forceinline__ void map_contiguous(i64 n, const TIn* __restrict__ x, TOut* __restrict__ y, F f)
{
    constexpr int W = 16 / (sizeof(TIn) > sizeof(TOut) ? sizeof(TIn) : sizeof(TOut));
    i64 start = 0;
    if (aligned_to<sizeof(TIn) * W>(x) && aligned_to<sizeof(TOut) * W>(y))
    {
        i64 packs = n / W;
        for (i64 p = global_thread(); p < packs; p += global_threads())
        {
            Pack<TIn, W> a = reinterpret_cast<const Pack<TIn, W>*>(x)[p];
            Pack<TOut, W> r;
#pragma unroll
            for (int j = 0; j < W; ++j) r.v[j] = f(a.v[j]);
            reinterpret_cast<Pack<TOut, W>*>(y)[p] = r;
        }
        start = packs * W;
    }
    for (i64 i = start + global_thread(); i < n; i += global_threads()) y[i] = f(x[i]);
}

// y[i] = f(a[i], b[i]) for contiguous ranges of one element type.
template <typename T, typename F>
__device__ __forceinline__ void zip_contiguous(i64 n, const T* __restrict__ a, const T* __restrict__ b, T* __restrict__ y, F f)
{
    constexpr int W = 16 / sizeof(T);
    i64 start = 0;
    if (aligned_to<16>(a) && aligned_to<16>(b) && aligned_to<16>(y))
    {
        i64 packs = n / W;
        for (i64 p = global_thread(); p < packs; p += global_threads())
        {
            Pack<T, W> u = reinterpret_cast<const Pack<T, W>*>(a)[p];
            Pack<T, W> v = reinterpret_cast<const Pack<T, W>*>(b)[p];
            Pack<T, W> r;
#pragma unroll
            for (int j = 0; j < W; ++j) r.v[j] = f(u.v[j], v.v[j]);
            reinterpret_cast<Pack<T, W>*>(y)[p] = r;
        }
        start = packs * W;
    }
    for (i64 i = start + global_thread(); i < n; i += global_threads()) y[i] = f(a[i], b[i]);
}

// ---- math: one overload per element type, so templates call the right precision -----------------------

__device__ __forceinline__ float m_exp(float x) { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float m_log(float x) { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }
__device__ __forceinline__ float m_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double m_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float m_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double m_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float m_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double m_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float m_sin(float x) { return sinf(x); }
__device__ __forceinline__ double m_sin(double x) { return sin(x); }
__device__ __forceinline__ float m_cos(float x) { return cosf(x); }
__device__ __forceinline__ double m_cos(double x) { return cos(x); }
__device__ __forceinline__ float m_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double m_abs(double x) { return fabs(x); }
__device__ __forceinline__ int m_abs(int x) { return x < 0 ? -x : x; }
__device__ __forceinline__ i64 m_abs(i64 x) { return x < 0 ? -x : x; }

template <typename T> __device__ __forceinline__ bool is_nan(T x) { return x != x; }

// The CPU backend's Maximum/Minimum (ScalarMath.Binary): a NaN on either side wins.
template <typename T> __device__ __forceinline__ T nan_max(T a, T b) { return is_nan(a) || a >= b ? a : b; }
template <typename T> __device__ __forceinline__ T nan_min(T a, T b) { return is_nan(a) || a <= b ? a : b; }

// The extreme values of each element type (no <limits> under NVRTC).
template <typename T> struct Limits;
template <> struct Limits<float> { __device__ static float lowest() { return -__int_as_float(0x7f800000); } __device__ static float highest() { return __int_as_float(0x7f800000); } };
template <> struct Limits<double> { __device__ static double lowest() { return -__longlong_as_double(0x7ff0000000000000ll); } __device__ static double highest() { return __longlong_as_double(0x7ff0000000000000ll); } };
template <> struct Limits<int> { __device__ static int lowest() { return -2147483647 - 1; } __device__ static int highest() { return 2147483647; } };
template <> struct Limits<i64> { __device__ static i64 lowest() { return -9223372036854775807ll - 1; } __device__ static i64 highest() { return 9223372036854775807ll; } };

// ---- warp and block reductions -----------------------------------------------------------------------

__device__ __forceinline__ float shuffle_xor(float v, int mask) { return __shfl_xor_sync(0xffffffffu, v, mask); }
__device__ __forceinline__ double shuffle_xor(double v, int mask) { return __shfl_xor_sync(0xffffffffu, v, mask); }
__device__ __forceinline__ int shuffle_xor(int v, int mask) { return __shfl_xor_sync(0xffffffffu, v, mask); }
__device__ __forceinline__ i64 shuffle_xor(i64 v, int mask) { return __shfl_xor_sync(0xffffffffu, v, mask); }

// Combines the values of one row group: the blockDim.x threads that share threadIdx.y (a multiple of 32).
// Every thread of the group gets the result. `scratch` holds blockDim.y * blockDim.x / 32 values.
template <typename Acc, typename Combine>
__device__ __forceinline__ Acc row_group_reduce(Acc v, Combine combine, Acc* scratch)
{
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) v = combine(v, shuffle_xor(v, mask));
    int warps = blockDim.x / 32;
    if (warps > 1)
    {
        Acc* group = scratch + threadIdx.y * warps;
        if ((threadIdx.x & 31) == 0) group[threadIdx.x / 32] = v;
        __syncthreads();
        v = group[0];
        for (int w = 1; w < warps; ++w) v = combine(v, group[w]);
        __syncthreads();
    }
    return v;
}
