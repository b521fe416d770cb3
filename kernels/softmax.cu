// Softmax and log-softmax along one axis. The host describes the other dimensions ("rows") with a two-operand
// Layout (x, y) and passes each operand's stride along the axis. One pass finds each row's maximum and the
// sum of exp(x - max) together (the running sum is rescaled when the maximum grows), a second pass writes y.
//   softmax_rows_<dtype>     a row group of threads (a multiple of 32) per row, for a contiguous axis;
//   softmax_columns_<dtype>  one thread per row, for an axis that is not the innermost one.
#include "common.cuh"

template <typename T>
struct MaxSum
{
    T max;
    T sum;  // sum of exp(x - max) over the elements seen
};

template <typename T>
__device__ __forceinline__ MaxSum<T> shuffle_xor(MaxSum<T> v, int mask)
{
    MaxSum<T> other = {shuffle_xor(v.max, mask), shuffle_xor(v.sum, mask)};
    return other;
}

// Adds one element. exp(v - v) rather than 1 keeps the CPU backend's result for infinite inputs (NaN).
template <typename T>
__device__ __forceinline__ void add(MaxSum<T>& acc, T v)
{
    if (v > acc.max)
    {
        acc.sum = acc.sum * m_exp(acc.max - v) + m_exp(v - v);
        acc.max = v;
    }
    else if (!(v == acc.max && v == Limits<T>::lowest()))
    {
        acc.sum += m_exp(v - acc.max);
    }
}

template <typename T>
__device__ __forceinline__ MaxSum<T> combine(MaxSum<T> a, MaxSum<T> b)
{
    MaxSum<T> c;
    c.max = nan_max(a.max, b.max);
    c.sum = (a.sum == T(0) ? T(0) : a.sum * m_exp(a.max - c.max)) + (b.sum == T(0) ? T(0) : b.sum * m_exp(b.max - c.max));
    return c;
}

template <typename T>
__device__ __forceinline__ T output(T x, MaxSum<T> acc, int log)
{
    return log ? (x - acc.max) - m_log(acc.sum) : m_exp(x - acc.max) * (T(1) / acc.sum);
}

template <typename T>
__device__ __forceinline__ void softmax_rows(i64 rows, i64 length, const Layout& layout, i64 x_stride, i64 y_stride, int log,
                                             const T* x, T* y)
{
    __shared__ MaxSum<T> scratch[32];
    for (i64 first = (i64)blockIdx.x * blockDim.y; first < rows; first += (i64)gridDim.x * blockDim.y)
    {
        i64 row = first + threadIdx.y;
        i64 at[2] = {0, 0};
        MaxSum<T> acc = {Limits<T>::lowest(), T(0)};
        if (row < rows)
        {
            strided_offsets<2, u64>(layout, (u64)row, at);
            for (i64 j = threadIdx.x; j < length; j += blockDim.x) add(acc, x[at[0] + j * x_stride]);
        }
        acc = row_group_reduce(acc, [](MaxSum<T> a, MaxSum<T> b) { return combine(a, b); }, scratch);
        if (row < rows)
            for (i64 j = threadIdx.x; j < length; j += blockDim.x) y[at[1] + j * y_stride] = output(x[at[0] + j * x_stride], acc, log);
    }
}

template <typename T>
__device__ __forceinline__ void softmax_columns(i64 rows, i64 length, const Layout& layout, i64 x_stride, i64 y_stride, int log,
                                                const T* x, T* y)
{
    for (i64 row = global_thread(); row < rows; row += global_threads())
    {
        i64 at[2];
        strided_offsets<2, u64>(layout, (u64)row, at);
        MaxSum<T> acc = {Limits<T>::lowest(), T(0)};
        for (i64 j = 0; j < length; ++j) add(acc, x[at[0] + j * x_stride]);
        for (i64 j = 0; j < length; ++j) y[at[1] + j * y_stride] = output(x[at[0] + j * x_stride], acc, log);
    }
}

#define SOFTMAX(T, suffix) \
    extern "C" __global__ void softmax_rows_##suffix(i64 rows, i64 length, Layout layout, i64 x_stride, i64 y_stride, int log, \
                                                     const T* x, T* y) \
    { \
        softmax_rows(rows, length, layout, x_stride, y_stride, log, x, y); \
    } \
    EXPORT_KERNEL(softmax_rows_##suffix) \
    extern "C" __global__ void softmax_columns_##suffix(i64 rows, i64 length, Layout layout, i64 x_stride, i64 y_stride, int log, \
                                                        const T* x, T* y) \
    { \
        softmax_columns(rows, length, layout, x_stride, y_stride, log, x, y); \
    } \
    EXPORT_KERNEL(softmax_columns_##suffix)

SOFTMAX(float, f32)
SOFTMAX(double, f64)
