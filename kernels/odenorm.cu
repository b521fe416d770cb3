// The error norm of adaptive ODE steps (Backends/Cpu/CpuBackend.OdeNorm.cs): for each error estimate e,
// sum over the elements of (err_e / scale)^2 in double, where err_e = sum_i c[e][i] * x_i and
// scale = atol + rtol * max(|y0|, |y1|), for contiguous operands of one state component.
//   scaled_error_squares_<dtype>  per-block partial sums, partials[block * estimates + e]
//   scaled_error_finish           folds the blocks' partial sums in order: y[e] = sqrt(sum / n)
#include "common.cuh"

#define MAX_ERROR_TERMS 16
#define MAX_ESTIMATES 4

// CudaBackend.OdeNorm.cs packs the same bytes.
struct ErrorTerms
{
    const void* x[MAX_ERROR_TERMS];
    double c[MAX_ESTIMATES][MAX_ERROR_TERMS];
    int count;
    int estimates;
};

template <typename T>
__device__ __forceinline__ void scaled_error_squares(i64 n, const ErrorTerms& terms, const T* y0, const T* y1, double rtol, double atol,
                                                     double* partials)
{
    __shared__ double scratch[32];
    T relative = (T)rtol, absolute = (T)atol;
    double sums[MAX_ESTIMATES] = {0, 0, 0, 0};
    for (i64 i = global_thread(); i < n; i += global_threads())
    {
        T a = m_abs(y0[i]), b = m_abs(y1[i]);
        T scale = (a > b ? a : b) * relative + absolute;
#pragma unroll
        for (int e = 0; e < MAX_ESTIMATES; ++e)
        {
            if (e >= terms.estimates) break;
            T error = T(0);
            for (int t = 0; t < terms.count; ++t) error += static_cast<const T*>(terms.x[t])[i] * (T)terms.c[e][t];
            double q = (double)(error / scale);
            sums[e] += q * q;
        }
    }
    for (int e = 0; e < terms.estimates; ++e)
    {
        double total = row_group_reduce(sums[e], [](double u, double v) { return u + v; }, scratch);
        if (threadIdx.x == 0) partials[blockIdx.x * terms.estimates + e] = total;
    }
}

#define SCALED_ERROR_SQUARES(T, suffix) \
    extern "C" __global__ void scaled_error_squares_##suffix(i64 n, ErrorTerms terms, const T* y0, const T* y1, double rtol, double atol, \
                                                             double* partials) \
    { \
        scaled_error_squares(n, terms, y0, y1, rtol, atol, partials); \
    } \
    EXPORT_KERNEL(scaled_error_squares_##suffix)

SCALED_ERROR_SQUARES(float, f32)
SCALED_ERROR_SQUARES(double, f64)

extern "C" __global__ void scaled_error_finish(i64 n, int blocks, int estimates, const double* partials, double* y)
{
    int e = (int)global_thread();
    if (e >= estimates) return;
    double total = 0;
    for (int b = 0; b < blocks; ++b) total += partials[b * estimates + e];
    y[e] = n == 0 ? 0.0 : sqrt(total / (double)n);
}
EXPORT_KERNEL(scaled_error_finish)
