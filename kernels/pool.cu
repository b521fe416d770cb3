// 2-D max and average pooling over the planes of [N, C, H, W], forward and backward, for any windows
// (Ops/Pool2dWindows.cs: sliding with padding, dilation and ceil mode, or adaptive). The backward kernels gather:
// a thread per input element sums the output gradients of the windows that reach it, in window order, so the
// result is the CPU's scatter (Backends/Cpu/CpuBackend.Pool.cs) bit for bit and no atomics are needed.
// Entry points: max_pool2d_, max_pool2d_backward_, avg_pool2d_, avg_pool2d_transpose_<dtype>.
#include "common.cuh"

// One axis of the windows, uploaded by the host (PoolTables in CudaBackend.Pool.cs): `table` holds, for each of the
// `outputs` windows, its first tap, its number of taps and its divisor, then for each of the `size` input positions the
// first window that reaches it and one past the last. Taps of window o are start + i * step for i < taps, those outside
// [0, size) skipped.
struct PoolAxis
{
    const int* table;
    int size;
    int outputs;
    int step;
    int pad;
};

__device__ __forceinline__ int window_start(const PoolAxis& a, int o) { return a.table[o]; }
__device__ __forceinline__ int window_taps(const PoolAxis& a, int o) { return a.table[a.outputs + o]; }
__device__ __forceinline__ int window_divisor(const PoolAxis& a, int o) { return a.table[2 * a.outputs + o]; }
__device__ __forceinline__ int first_window(const PoolAxis& a, int i) { return a.table[3 * a.outputs + i]; }
__device__ __forceinline__ int end_window(const PoolAxis& a, int i) { return a.table[3 * a.outputs + a.size + i]; }

// The taps of window o inside [0, size): from `from`, by the step, below `to` (PoolAxis.Reach).
__device__ __forceinline__ void reach(const PoolAxis& a, int o, int& from, int& to)
{
    int start = window_start(a, o), last = start + (window_taps(a, o) - 1) * a.step + 1;
    from = start >= 0 ? start : start + (-start + a.step - 1) / a.step * a.step;
    to = last < a.size ? last : a.size;
}

// A thread per output: the maximum of its window (a NaN wins, the first of equal values wins) and its position
// h * W + w in the plane. y and indices are contiguous [N, C, rows.outputs, columns.outputs].
template <typename T>
__device__ __forceinline__ void max_pool2d(i64 total, int channels, const T* x, ImageStrides xs, PoolAxis rows, PoolAxis columns, T* y, i64* indices)
{
    i64 per_plane = (i64)rows.outputs * columns.outputs;
    for (i64 i = global_thread(); i < total; i += global_threads())
    {
        i64 plane = i / per_plane, o = i - plane * per_plane, n = plane / channels;
        int oi = (int)(o / columns.outputs), oj = (int)(o - (i64)oi * columns.outputs);
        const T* image = x + n * xs.n + (plane - n * channels) * xs.c;
        int row_from, row_to, column_from, column_to;
        reach(rows, oi, row_from, row_to);
        reach(columns, oj, column_from, column_to);
        T best = image[row_from * xs.h + column_from * xs.w];
        i64 at = (i64)row_from * columns.size + column_from;
        for (int r = row_from; r < row_to; r += rows.step)
            for (int c = column_from; c < column_to; c += columns.step)
            {
                T value = image[r * xs.h + c * xs.w];
                if (value > best || (is_nan(value) && !is_nan(best)))
                {
                    best = value;
                    at = (i64)r * columns.size + c;
                }
            }
        y[i] = best;
        indices[i] = at;
    }
}

// A thread per element of gx (contiguous [N, C, H, W]): the sum of gy over the windows that reach it and whose maximum
// was this element, in window order. gy and indices are contiguous [N, C, rows.outputs, columns.outputs].
template <typename T>
__device__ __forceinline__ void max_pool2d_backward(i64 total, const T* gy, const i64* indices, PoolAxis rows, PoolAxis columns, T* gx)
{
    i64 plane_size = (i64)rows.size * columns.size, per_plane = (i64)rows.outputs * columns.outputs;
    for (i64 i = global_thread(); i < total; i += global_threads())
    {
        i64 plane = i / plane_size, at = i - plane * plane_size;
        int h = (int)(at / columns.size), w = (int)(at - (i64)h * columns.size);
        const T* g = gy + plane * per_plane;
        const i64* positions = indices + plane * per_plane;
        T sum = T(0);
        for (int oi = first_window(rows, h); oi < end_window(rows, h); ++oi)
            for (int oj = first_window(columns, w); oj < end_window(columns, w); ++oj)
            {
                i64 o = (i64)oi * columns.outputs + oj;
                if (positions[o] == at) sum += g[o];
            }
        gx[i] = sum;
    }
}

// A thread per output: the sum of its window's taps inside the input, row by row, over the window's divisor (no
// dilation: every position between the first and the last tap).
template <typename T>
__device__ __forceinline__ void avg_pool2d(i64 total, int channels, const T* x, ImageStrides xs, PoolAxis rows, PoolAxis columns, T* y)
{
    i64 per_plane = (i64)rows.outputs * columns.outputs;
    for (i64 i = global_thread(); i < total; i += global_threads())
    {
        i64 plane = i / per_plane, o = i - plane * per_plane, n = plane / channels;
        int oi = (int)(o / columns.outputs), oj = (int)(o - (i64)oi * columns.outputs);
        const T* image = x + n * xs.n + (plane - n * channels) * xs.c;
        int row_from, row_to, column_from, column_to;
        reach(rows, oi, row_from, row_to);
        reach(columns, oj, column_from, column_to);
        T sum = T(0);
        for (int r = row_from; r < row_to; ++r)
            for (int c = column_from; c < column_to; ++c) sum += image[r * xs.h + c * xs.w];
        y[i] = sum / (T)(window_divisor(rows, oi) * window_divisor(columns, oj));
    }
}

// A thread per element of gx (contiguous): each window that reaches it contributes gy / divisor, in window order.
// Average pools have no dilation: every position between a window's first and last tap is a tap.
template <typename T>
__device__ __forceinline__ void avg_pool2d_transpose(i64 total, const T* gy, PoolAxis rows, PoolAxis columns, T* gx)
{
    i64 plane_size = (i64)rows.size * columns.size, per_plane = (i64)rows.outputs * columns.outputs;
    for (i64 i = global_thread(); i < total; i += global_threads())
    {
        i64 plane = i / plane_size, at = i - plane * plane_size;
        int h = (int)(at / columns.size), w = (int)(at - (i64)h * columns.size);
        const T* g = gy + plane * per_plane;
        T sum = T(0);
        for (int oi = first_window(rows, h); oi < end_window(rows, h); ++oi)
            for (int oj = first_window(columns, w); oj < end_window(columns, w); ++oj)
                sum += g[(i64)oi * columns.outputs + oj] / (T)(window_divisor(rows, oi) * window_divisor(columns, oj));
        gx[i] = sum;
    }
}

#define POOL_KERNELS(T, suffix) \
    extern "C" __global__ void max_pool2d_##suffix(i64 total, int channels, const T* x, ImageStrides strides, PoolAxis rows, PoolAxis columns, T* y, \
                                                   i64* indices) \
    { \
        max_pool2d(total, channels, x, strides, rows, columns, y, indices); \
    } \
    EXPORT_KERNEL(max_pool2d_##suffix) \
    extern "C" __global__ void max_pool2d_backward_##suffix(i64 total, const T* gy, const i64* indices, PoolAxis rows, PoolAxis columns, T* gx) \
    { \
        max_pool2d_backward(total, gy, indices, rows, columns, gx); \
    } \
    EXPORT_KERNEL(max_pool2d_backward_##suffix) \
    extern "C" __global__ void avg_pool2d_##suffix(i64 total, int channels, const T* x, ImageStrides strides, PoolAxis rows, PoolAxis columns, T* y) \
    { \
        avg_pool2d(total, channels, x, strides, rows, columns, y); \
    } \
    EXPORT_KERNEL(avg_pool2d_##suffix) \
    extern "C" __global__ void avg_pool2d_transpose_##suffix(i64 total, const T* gy, PoolAxis rows, PoolAxis columns, T* gx) \
    { \
        avg_pool2d_transpose(total, gy, rows, columns, gx); \
    } \
    EXPORT_KERNEL(avg_pool2d_transpose_##suffix)

POOL_KERNELS(float, f32)
POOL_KERNELS(double, f64)
