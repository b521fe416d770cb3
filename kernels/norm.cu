// The two passes of batch, group and layer normalisation: the mean and variance over any axes in one pass over x
// (moments), and y = x * scale + shift with broadcasting (multiply_add).
//
// Moments follow reduce.cu's split of x's dimensions into kept ones (one mean and variance each, in row-major
// order) and reduced ones (`length` elements per output):
//   moments_rows_<dtype>     a row group of threads per output, for reductions whose innermost reduced dimension
//                            is contiguous in x;
//   moments_columns_<dtype>  a thread per output, neighbouring threads on neighbouring outputs;
//   moments_merge_<dtype>    adds the per-split partial sums in split order when a long reduction was split across
//                            gridDim.y blocks (`chunk` elements each), and finishes.
// Each output sums (x - shift) and (x - shift)^2 in double, the shift being its first element, as the CPU backend
// does (Backends/Cpu/CpuBackend.Moments.cs): the variance does not suffer the cancellation of
// sum(x^2) - n mean^2 when the mean is large against the spread, and partial sums from any split of the elements
// combine by plain addition (every part uses the same shift), so the result does not depend on the launch.
//
// MultiplyAdd: multiply_add_<dtype> walks one four-operand layout (x, scale, shift, y); multiply_add_rows_<dtype>
// serves the normalisation layers' case of contiguous x and y whose scale and shift are constant along rows of
// `length` elements (a channel's pixels): one row group per row reads its scale and shift once.
#include "common.cuh"

struct Deviations
{
    double sum;
    double squares;
};

__device__ __forceinline__ Deviations shuffle_xor(Deviations v, int mask)
{
    Deviations other = {shuffle_xor(v.sum, mask), shuffle_xor(v.squares, mask)};
    return other;
}

__device__ __forceinline__ Deviations plus(Deviations a, Deviations b)
{
    Deviations sum = {a.sum + b.sum, a.squares + b.squares};
    return sum;
}

__device__ __forceinline__ void accumulate(Deviations& d, double value, double shift)
{
    double deviation = value - shift;
    d.sum += deviation;
    d.squares += deviation * deviation;
}

// mean = shift + sum / count, variance = max(0, squares - sum * mean deviation) / (count - correction); a NaN stays NaN.
template <typename T>
__device__ __forceinline__ void finish(Deviations d, double shift, i64 count, int correction, T* mean, T* variance)
{
    double average = d.sum / (double)count;
    double spread = d.squares - d.sum * average;
    *mean = (T)(shift + average);
    *variance = (T)((spread < 0 ? 0.0 : spread) / (double)(count - correction));
}

template <typename T>
__device__ __forceinline__ void moments_rows(i64 outputs, i64 length, i64 chunk, const Layout& kept, const Layout& reduced, const T* x,
                                             int correction, T* mean, T* variance, Deviations* partials)
{
    DYNAMIC_SHARED(Deviations, scratch);
    i64 start = blockIdx.y * chunk, end = start + chunk < length ? start + chunk : length;
    // Every thread runs the same number of iterations: row_group_reduce synchronises the block.
    for (i64 first = (i64)blockIdx.x * blockDim.y; first < outputs; first += (i64)gridDim.x * blockDim.y)
    {
        i64 row = first + threadIdx.y;
        Deviations acc = {0, 0};
        double shift = 0;
        if (row < outputs)
        {
            const T* base = x + offset_of(kept, row);
            shift = (double)base[0];
            for (i64 r = start + threadIdx.x; r < end; r += blockDim.x) accumulate(acc, (double)base[offset_of(reduced, r)], shift);
        }
        acc = row_group_reduce(acc, [](Deviations a, Deviations b) { return plus(a, b); }, scratch);
        if (row < outputs && threadIdx.x == 0)
        {
            if (gridDim.y == 1) finish(acc, shift, length, correction, mean + row, variance + row);
            else partials[blockIdx.y * outputs + row] = acc;
        }
    }
}

template <typename T>
__device__ __forceinline__ void moments_columns(i64 outputs, i64 length, i64 chunk, const Layout& kept, const Layout& reduced, const T* x,
                                                int correction, T* mean, T* variance, Deviations* partials)
{
    i64 start = blockIdx.y * chunk, end = start + chunk < length ? start + chunk : length;
    for (i64 row = global_thread(); row < outputs; row += global_threads())
    {
        const T* base = x + offset_of(kept, row);
        double shift = (double)base[0];
        Deviations acc = {0, 0};
        for (i64 r = start; r < end; ++r) accumulate(acc, (double)base[offset_of(reduced, r)], shift);
        if (gridDim.y == 1) finish(acc, shift, length, correction, mean + row, variance + row);
        else partials[blockIdx.y * outputs + row] = acc;
    }
}

template <typename T>
__device__ __forceinline__ void moments_merge(i64 outputs, i64 length, i64 splits, const Layout& kept, const T* x, int correction,
                                              const Deviations* partials, T* mean, T* variance)
{
    for (i64 row = global_thread(); row < outputs; row += global_threads())
    {
        Deviations acc = partials[row];
        for (i64 s = 1; s < splits; ++s) acc = plus(acc, partials[s * outputs + row]);
        finish(acc, (double)x[offset_of(kept, row)], length, correction, mean + row, variance + row);
    }
}

template <typename T>
__device__ __forceinline__ void multiply_add(i64 n, const Layout& layout, const T* x, const T* scale, const T* shift, T* y)
{
    if (layout.rank == 0)
        for (i64 i = global_thread(); i < n; i += global_threads()) y[i] = x[i] * scale[i] + shift[i];
    else
        for_each_strided<4>(n, layout, [&](const i64 (&at)[4]) { y[at[3]] = x[at[0]] * scale[at[1]] + shift[at[2]]; });
}

// `rows` is a two-operand layout (scale, shift) over the rows in row-major order.
template <typename T>
__device__ __forceinline__ void multiply_add_rows(i64 count, i64 length, const Layout& rows, const T* x, const T* scale, const T* shift, T* y)
{
    for (i64 row = (i64)blockIdx.x * blockDim.y + threadIdx.y; row < count; row += (i64)gridDim.x * blockDim.y)
    {
        i64 at[2];
        strided_offsets<2, u64>(rows, (u64)row, at);
        T a = scale[at[0]], b = shift[at[1]];
        const T* in = x + row * length;
        T* out = y + row * length;
        for (i64 i = threadIdx.x; i < length; i += blockDim.x) out[i] = in[i] * a + b;
    }
}

#define NORM_KERNELS(T, suffix) \
    extern "C" __global__ void moments_rows_##suffix(i64 outputs, i64 length, i64 chunk, Layout kept, Layout reduced, const T* x, int correction, \
                                                     T* mean, T* variance, Deviations* partials) \
    { \
        moments_rows(outputs, length, chunk, kept, reduced, x, correction, mean, variance, partials); \
    } \
    EXPORT_KERNEL(moments_rows_##suffix) \
    extern "C" __global__ void moments_columns_##suffix(i64 outputs, i64 length, i64 chunk, Layout kept, Layout reduced, const T* x, \
                                                        int correction, T* mean, T* variance, Deviations* partials) \
    { \
        moments_columns(outputs, length, chunk, kept, reduced, x, correction, mean, variance, partials); \
    } \
    EXPORT_KERNEL(moments_columns_##suffix) \
    extern "C" __global__ void moments_merge_##suffix(i64 outputs, i64 length, i64 splits, Layout kept, const T* x, int correction, \
                                                      const Deviations* partials, T* mean, T* variance) \
    { \
        moments_merge(outputs, length, splits, kept, x, correction, partials, mean, variance); \
    } \
    EXPORT_KERNEL(moments_merge_##suffix) \
    extern "C" __global__ void multiply_add_##suffix(i64 n, Layout layout, const T* x, const T* scale, const T* shift, T* y) \
    { \
        multiply_add(n, layout, x, scale, shift, y); \
    } \
    EXPORT_KERNEL(multiply_add_##suffix) \
    extern "C" __global__ void multiply_add_rows_##suffix(i64 count, i64 length, Layout rows, const T* x, const T* scale, const T* shift, T* y) \
    { \
        multiply_add_rows(count, length, rows, x, scale, shift, y); \
    } \
    EXPORT_KERNEL(multiply_add_rows_##suffix)

NORM_KERNELS(float, f32)
NORM_KERNELS(double, f64)
