// The fused Runge-Kutta stage update y = x0 + sum_t c_t * x_t in one pass over memory, for contiguous
// operands (the host makes strided ones contiguous first and splits more than MAX_TERMS terms into several
// passes). Terms are added in order, in the dtype, as on the CPU. Entry points: linear_combination_<dtype>.
#include "common.cuh"

#define MAX_TERMS 16

// KernelArguments packs the same bytes (CombinationTerms in CudaBackend.Combination.cs).
struct Terms
{
    const void* x[MAX_TERMS];
    double c[MAX_TERMS];
    int count;
};

template <typename T>
__device__ __forceinline__ void linear_combination(i64 n, const T* x0, const Terms& terms, T* y)
{
    constexpr int W = 16 / sizeof(T);
    typedef Pack<T, W> P;
    T c[MAX_TERMS];
#pragma unroll
    for (int t = 0; t < MAX_TERMS; ++t) c[t] = (T)terms.c[t];
    bool aligned = aligned_to<16>(x0) && aligned_to<16>(y);
    for (int t = 0; t < terms.count; ++t) aligned = aligned && aligned_to<16>(terms.x[t]);
    i64 start = 0;
    if (aligned)
    {
        i64 packs = n / W;
        for (i64 p = global_thread(); p < packs; p += global_threads())
        {
            P acc = reinterpret_cast<const P*>(x0)[p];
#pragma unroll
            for (int t = 0; t < MAX_TERMS; ++t)
            {
                if (t >= terms.count) break;
                P v = reinterpret_cast<const P*>(terms.x[t])[p];
#pragma unroll
                for (int j = 0; j < W; ++j) acc.v[j] += v.v[j] * c[t];
            }
            reinterpret_cast<P*>(y)[p] = acc;
        }
        start = packs * W;
    }
    for (i64 i = start + global_thread(); i < n; i += global_threads())
    {
        T acc = x0[i];
        for (int t = 0; t < terms.count; ++t) acc += static_cast<const T*>(terms.x[t])[i] * (T)terms.c[t];
        y[i] = acc;
    }
}

#define LINEAR_COMBINATION(T, suffix) \
    extern "C" __global__ void linear_combination_##suffix(i64 n, const T* x0, Terms terms, T* y) { linear_combination(n, x0, terms, y); } \
    EXPORT_KERNEL(linear_combination_##suffix)

LINEAR_COMBINATION(float, f32)
LINEAR_COMBINATION(double, f64)
