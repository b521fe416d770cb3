// Creation and conversion: strided copies between any two dtypes, fill, arange.
// Entry points: copy_<from>_<to>, fill_<dtype>, arange_<dtype>.
#include "common.cuh"

// Conversions as the CPU backend's INumber.CreateTruncating: floating to integer truncates toward zero,
// saturates at the integer's range and maps NaN to 0; integer to integer wraps; the rest round to nearest.
template <typename To, typename From>
struct Convert
{
    __device__ To operator()(From v) const { return (To)v; }
};

template <typename To, typename From>
__device__ __forceinline__ To saturate(From v)
{
    if (is_nan(v)) return To(0);
    if (v <= (From)Limits<To>::lowest()) return Limits<To>::lowest();
    if (v >= (From)Limits<To>::highest()) return Limits<To>::highest();
    return (To)v;
}

template <> struct Convert<int, float> { __device__ int operator()(float v) const { return saturate<int>(v); } };
template <> struct Convert<int, double> { __device__ int operator()(double v) const { return saturate<int>(v); } };
template <> struct Convert<i64, float> { __device__ i64 operator()(float v) const { return saturate<i64>(v); } };
template <> struct Convert<i64, double> { __device__ i64 operator()(double v) const { return saturate<i64>(v); } };

template <typename From, typename To>
__device__ __forceinline__ void copy(i64 n, const Layout& layout, const From* x, To* y)
{
    Convert<To, From> convert;
    if (layout.rank == 0)
        map_contiguous(n, x, y, convert);
    else
        for_each_strided<2>(n, layout, [&](const i64 (&at)[2]) { y[at[1]] = convert(x[at[0]]); });
}

#define COPY(From, from, To, to) \
    extern "C" __global__ void copy_##from##_##to(i64 n, Layout layout, const From* x, To* y) { copy(n, layout, x, y); } \
    EXPORT_KERNEL(copy_##from##_##to)
#define COPY_FROM(From, from) COPY(From, from, float, f32) COPY(From, from, double, f64) COPY(From, from, int, i32) COPY(From, from, i64, i64)

COPY_FROM(float, f32)
COPY_FROM(double, f64)
COPY_FROM(int, i32)
COPY_FROM(i64, i64)

#define FILL(T, suffix) \
    extern "C" __global__ void fill_##suffix(i64 n, Layout layout, T value, T* y) \
    { \
        if (layout.rank == 0) \
            for (i64 i = global_thread(); i < n; i += global_threads()) y[i] = value; \
        else \
            for_each_strided<1>(n, layout, [&](const i64 (&at)[1]) { y[at[0]] = value; }); \
    } \
    EXPORT_KERNEL(fill_##suffix)

FILL(float, f32)
FILL(double, f64)
FILL(int, i32)
FILL(i64, i64)

// y[i] = start + i * step in double, rounded once per operation (no fused multiply-add) as on the CPU,
// so integer outputs truncate the same values.
#define ARANGE(T, suffix) \
    extern "C" __global__ void arange_##suffix(i64 n, double start, double step, T* y) \
    { \
        Convert<T, double> convert; \
        for (i64 i = global_thread(); i < n; i += global_threads()) y[i] = convert(__dadd_rn(start, __dmul_rn((double)i, step))); \
    } \
    EXPORT_KERNEL(arange_##suffix)

ARANGE(float, f32)
ARANGE(double, f64)
ARANGE(int, i32)
ARANGE(i64, i64)
