// Indexing along one axis with an I32 or I64 index tensor (`wide` says which). Layouts use the CPU backend's
// trick: an operand "pinned" with stride 0 along the axis walks the slice origins, and a "coordinate"
// operand with stride 1 along the axis (0 elsewhere) yields the position along it. Out-of-range indices are
// skipped and reported through DeviceError. Additions go through atomics, as indices may repeat.
// Entry points: index_select_, index_add_, gather_, scatter_add_, one_hot_<dtype>.
#include "common.cuh"

__device__ __forceinline__ i64 read_index(const void* index, int wide, i64 at)
{
    return wide ? static_cast<const i64*>(index)[at] : (i64) static_cast<const int*>(index)[at];
}

__device__ __forceinline__ void atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(int* p, int v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(i64* p, i64 v) { atomicAdd(reinterpret_cast<u64*>(p), (u64)v); }

// Layout over y: x pinned, y, coordinate. y[...] = x[..., index[coordinate], ...].
template <typename T>
__device__ __forceinline__ void index_select(i64 n, const Layout& layout, const T* x, i64 axis_stride, const void* index, int wide,
                                             i64 index_stride, i64 limit, T* y, DeviceError* error)
{
    for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) {
        i64 i = read_index(index, wide, at[2] * index_stride);
        if (i < 0 || i >= limit) report_error(error, ERROR_INDEX_SELECT, i, limit);
        else y[at[1]] = x[at[0] + i * axis_stride];
    });
}

// Layout over source: source, y pinned, coordinate. y[..., index[coordinate], ...] += source[...].
template <typename T>
__device__ __forceinline__ void index_add(i64 n, const Layout& layout, T* y, i64 axis_stride, const void* index, int wide,
                                          i64 index_stride, i64 limit, const T* source, DeviceError* error)
{
    for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) {
        i64 i = read_index(index, wide, at[2] * index_stride);
        if (i < 0 || i >= limit) report_error(error, ERROR_INDEX_ADD, i, limit);
        else atomic_add(y + at[1] + i * axis_stride, source[at[0]]);
    });
}

// Layout over y: x pinned, index, y. y[...] = x[..., index[...], ...].
template <typename T>
__device__ __forceinline__ void gather(i64 n, const Layout& layout, const T* x, i64 axis_stride, const void* index, int wide,
                                       i64 limit, T* y, DeviceError* error)
{
    for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) {
        i64 i = read_index(index, wide, at[1]);
        if (i < 0 || i >= limit) report_error(error, ERROR_GATHER, i, limit);
        else y[at[2]] = x[at[0] + i * axis_stride];
    });
}

// Layout over source: source, index, y pinned. y[..., index[...], ...] += source[...].
template <typename T>
__device__ __forceinline__ void scatter_add(i64 n, const Layout& layout, T* y, i64 axis_stride, const void* index, int wide,
                                            i64 limit, const T* source, DeviceError* error)
{
    for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) {
        i64 i = read_index(index, wide, at[1]);
        if (i < 0 || i >= limit) report_error(error, ERROR_SCATTER_ADD, i, limit);
        else atomic_add(y + at[2] + i * axis_stride, source[at[0]]);
    });
}

// Layout over the index: index, y's row origins. y (already zero) gets a 1 at each row's class.
template <typename T>
__device__ __forceinline__ void one_hot(i64 n, const Layout& layout, const void* index, int wide, i64 classes, i64 class_stride, T* y,
                                        DeviceError* error)
{
    for_each_strided<2>(n, layout, [&](const i64 (&at)[2]) {
        i64 c = read_index(index, wide, at[0]);
        if (c < 0 || c >= classes) report_error(error, ERROR_ONE_HOT, c, classes);
        else y[at[1] + c * class_stride] = T(1);
    });
}

#define INDEX_KERNELS(T, suffix) \
    extern "C" __global__ void index_select_##suffix(i64 n, Layout layout, const T* x, i64 axis_stride, const void* index, int wide, \
                                                     i64 index_stride, i64 limit, T* y, DeviceError* error) \
    { \
        index_select(n, layout, x, axis_stride, index, wide, index_stride, limit, y, error); \
    } \
    EXPORT_KERNEL(index_select_##suffix) \
    extern "C" __global__ void index_add_##suffix(i64 n, Layout layout, T* y, i64 axis_stride, const void* index, int wide, \
                                                  i64 index_stride, i64 limit, const T* source, DeviceError* error) \
    { \
        index_add(n, layout, y, axis_stride, index, wide, index_stride, limit, source, error); \
    } \
    EXPORT_KERNEL(index_add_##suffix) \
    extern "C" __global__ void gather_##suffix(i64 n, Layout layout, const T* x, i64 axis_stride, const void* index, int wide, i64 limit, \
                                               T* y, DeviceError* error) \
    { \
        gather(n, layout, x, axis_stride, index, wide, limit, y, error); \
    } \
    EXPORT_KERNEL(gather_##suffix) \
    extern "C" __global__ void scatter_add_##suffix(i64 n, Layout layout, T* y, i64 axis_stride, const void* index, int wide, \
                                                    i64 limit, const T* source, DeviceError* error) \
    { \
        scatter_add(n, layout, y, axis_stride, index, wide, limit, source, error); \
    } \
    EXPORT_KERNEL(scatter_add_##suffix) \
    extern "C" __global__ void one_hot_##suffix(i64 n, Layout layout, const void* index, int wide, i64 classes, i64 class_stride, T* y, \
                                                DeviceError* error) \
    { \
        one_hot(n, layout, index, wide, classes, class_stride, y, error); \
    } \
    EXPORT_KERNEL(one_hot_##suffix)

INDEX_KERNELS(float, f32)
INDEX_KERNELS(double, f64)
INDEX_KERNELS(int, i32)
INDEX_KERNELS(i64, i64)
