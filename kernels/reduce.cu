// Reductions over any set of axes (sum, max, min) and along one axis (argmax, argmin).
// The host splits x's dimensions into kept ones (one output each, in row-major order, so output `row`
// is y[row]) and reduced ones (`length` elements per output), each described by a one-operand Layout
// of x's strides. Three kernels per op and dtype:
//   <op>_rows_<dtype>     a row group of threads (a multiple of 32) cooperates on each output; for
//                         reductions whose innermost reduced dimension is contiguous in x;
//   <op>_columns_<dtype>  one thread per output, neighbouring threads on neighbouring outputs; for
//                         reductions over outer dimensions;
//   <op>_merge_<dtype>    folds the per-split partial results when a long reduction was split across
//                         gridDim.y blocks (`chunk` elements each) to fill the device.
#include "common.cuh"

// Sums accumulate F32 in double, like the CPU backend's strided path; integers wrap.
template <typename T> struct Wide { typedef T type; };
template <> struct Wide<float> { typedef double type; };

template <typename T>
struct Sum
{
    typedef typename Wide<T>::type Acc;
    typedef T Out;
    __device__ static Acc identity() { return Acc(0); }
    __device__ static Acc lift(T v, i64) { return Acc(v); }
    __device__ static Acc combine(Acc a, Acc b) { return a + b; }
    __device__ static Out result(Acc a) { return Out(a); }
};

template <typename T>
struct Max
{
    typedef T Acc;
    typedef T Out;
    __device__ static Acc identity() { return Limits<T>::lowest(); }
    __device__ static Acc lift(T v, i64) { return v; }
    __device__ static Acc combine(Acc a, Acc b) { return nan_max(a, b); }
    __device__ static Out result(Acc a) { return a; }
};

template <typename T>
struct Min
{
    typedef T Acc;
    typedef T Out;
    __device__ static Acc identity() { return Limits<T>::highest(); }
    __device__ static Acc lift(T v, i64) { return v; }
    __device__ static Acc combine(Acc a, Acc b) { return nan_min(a, b); }
    __device__ static Out result(Acc a) { return a; }
};

template <typename T>
struct Indexed
{
    T value;
    i64 index;
};

template <typename T>
__device__ __forceinline__ Indexed<T> shuffle_xor(Indexed<T> v, int mask)
{
    Indexed<T> other = {shuffle_xor(v.value, mask), shuffle_xor(v.index, mask)};
    return other;
}

// The CPU backend's rule: the first NaN wins, otherwise the first extreme value (ties go to the lower index).
template <typename T, bool Largest>
struct ArgExtreme
{
    typedef Indexed<T> Acc;
    typedef i64 Out;
    __device__ static Acc identity()
    {
        Acc a = {Largest ? Limits<T>::lowest() : Limits<T>::highest(), Limits<i64>::highest()};
        return a;
    }
    __device__ static Acc lift(T v, i64 index)
    {
        Acc a = {v, index};
        return a;
    }
    __device__ static Acc combine(Acc a, Acc b)
    {
        if (is_nan(a.value) || is_nan(b.value))
            return is_nan(a.value) && (!is_nan(b.value) || a.index <= b.index) ? a : b;
        bool b_wins = Largest ? b.value > a.value : b.value < a.value;
        return b_wins || (b.value == a.value && b.index < a.index) ? b : a;
    }
    // An empty axis gives index 0, as on the CPU.
    __device__ static Out result(Acc a) { return a.index == Limits<i64>::highest() ? 0 : a.index; }
};

template <typename T> struct ArgMax : ArgExtreme<T, true> {};
template <typename T> struct ArgMin : ArgExtreme<T, false> {};

template <typename Op, typename T>
__device__ __forceinline__ void store(i64 outputs, i64 row, typename Op::Acc acc, typename Op::Out* y, typename Op::Acc* partials)
{
    if (gridDim.y == 1) y[row] = Op::result(acc);
    else partials[blockIdx.y * outputs + row] = acc;
}

template <typename Op, typename T>
__device__ __forceinline__ void reduce_rows(i64 outputs, i64 length, i64 chunk, const Layout& kept, const Layout& reduced,
                                            const T* x, typename Op::Out* y, typename Op::Acc* partials)
{
    typedef typename Op::Acc Acc;
    DYNAMIC_SHARED(Acc, scratch);
    i64 start = blockIdx.y * chunk, end = start + chunk < length ? start + chunk : length;
    // Every thread runs the same number of iterations: row_group_reduce synchronises the block.
    for (i64 first = (i64)blockIdx.x * blockDim.y; first < outputs; first += (i64)gridDim.x * blockDim.y)
    {
        i64 row = first + threadIdx.y;
        Acc acc = Op::identity();
        if (row < outputs)
        {
            const T* base = x + offset_of(kept, row);
            i64 r = start + threadIdx.x, step = blockDim.x;
            if (reduced.rank == 0)
            {
                // Four independent loads in flight per thread.
                for (; r + 3 * step < end; r += 4 * step)
                {
                    T v0 = base[r], v1 = base[r + step], v2 = base[r + 2 * step], v3 = base[r + 3 * step];
                    acc = Op::combine(acc, Op::combine(Op::combine(Op::lift(v0, r), Op::lift(v1, r + step)),
                                                       Op::combine(Op::lift(v2, r + 2 * step), Op::lift(v3, r + 3 * step))));
                }
                for (; r < end; r += step) acc = Op::combine(acc, Op::lift(base[r], r));
            }
            else
            {
                for (; r < end; r += step) acc = Op::combine(acc, Op::lift(base[offset_of(reduced, r)], r));
            }
        }
        acc = row_group_reduce(acc, [](Acc a, Acc b) { return Op::combine(a, b); }, scratch);
        if (row < outputs && threadIdx.x == 0) store<Op, T>(outputs, row, acc, y, partials);
    }
}

template <typename Op, typename T>
__device__ __forceinline__ void reduce_columns(i64 outputs, i64 length, i64 chunk, const Layout& kept, const Layout& reduced,
                                               const T* x, typename Op::Out* y, typename Op::Acc* partials)
{
    i64 start = blockIdx.y * chunk, end = start + chunk < length ? start + chunk : length;
    for (i64 row = global_thread(); row < outputs; row += global_threads())
    {
        const T* base = x + offset_of(kept, row);
        typename Op::Acc acc = Op::identity();
        for (i64 r = start; r < end; ++r) acc = Op::combine(acc, Op::lift(base[offset_of(reduced, r)], r));
        store<Op, T>(outputs, row, acc, y, partials);
    }
}

template <typename Op>
__device__ __forceinline__ void merge(i64 outputs, i64 splits, const typename Op::Acc* partials, typename Op::Out* y)
{
    for (i64 row = global_thread(); row < outputs; row += global_threads())
    {
        typename Op::Acc acc = partials[row];
        for (i64 s = 1; s < splits; ++s) acc = Op::combine(acc, partials[s * outputs + row]);
        y[row] = Op::result(acc);
    }
}

#define REDUCE(name, Op, T, suffix) \
    extern "C" __global__ void name##_rows_##suffix(i64 outputs, i64 length, i64 chunk, Layout kept, Layout reduced, const T* x, \
                                                    Op<T>::Out* y, Op<T>::Acc* partials) \
    { \
        reduce_rows<Op<T>, T>(outputs, length, chunk, kept, reduced, x, y, partials); \
    } \
    EXPORT_KERNEL(name##_rows_##suffix) \
    extern "C" __global__ void name##_columns_##suffix(i64 outputs, i64 length, i64 chunk, Layout kept, Layout reduced, const T* x, \
                                                       Op<T>::Out* y, Op<T>::Acc* partials) \
    { \
        reduce_columns<Op<T>, T>(outputs, length, chunk, kept, reduced, x, y, partials); \
    } \
    EXPORT_KERNEL(name##_columns_##suffix) \
    extern "C" __global__ void name##_merge_##suffix(i64 outputs, i64 splits, const Op<T>::Acc* partials, Op<T>::Out* y) \
    { \
        merge<Op<T>>(outputs, splits, partials, y); \
    } \
    EXPORT_KERNEL(name##_merge_##suffix)
#define REDUCE_ALL(name, Op) REDUCE(name, Op, float, f32) REDUCE(name, Op, double, f64) REDUCE(name, Op, int, i32) REDUCE(name, Op, i64, i64)

REDUCE_ALL(sum, Sum)
REDUCE_ALL(max, Max)
REDUCE_ALL(min, Min)
REDUCE_ALL(argmax, ArgMax)
REDUCE_ALL(argmin, ArgMin)
