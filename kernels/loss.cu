// Cross-entropy of contiguous logits [rows, classes] against integer labels (I32 or I64, `wide` says which), with
// optional class weights, an ignored label and label smoothing: PyTorch's definition, as the CPU backend computes
// it (Backends/Cpu/CpuBackend.CrossEntropy.cs). A row group of threads (a multiple of 32) takes each row.
//   cross_entropy_<dtype>       per row: the loss, the weight a mean divides by, and the log-sum-exp;
//   cross_entropy_grad_<dtype>  per row: gradLoss[row] times (softmax minus the smoothed, weighted target).
// A label outside [0, classes) that is not the ignored one is reported through DeviceError.
#include "common.cuh"

// Per row: sum of exp(x - max), sum of x (weighted by the class weights when given) and of the weights.
struct RowSums
{
    double exps;
    double weighted;
    double weights;
};

__device__ __forceinline__ RowSums shuffle_xor(RowSums v, int mask)
{
    RowSums other = {shuffle_xor(v.exps, mask), shuffle_xor(v.weighted, mask), shuffle_xor(v.weights, mask)};
    return other;
}

__device__ __forceinline__ RowSums add(RowSums a, RowSums b)
{
    RowSums c = {a.exps + b.exps, a.weighted + b.weighted, a.weights + b.weights};
    return c;
}

__device__ __forceinline__ i64 read_label(const void* labels, int wide, i64 at)
{
    return wide ? static_cast<const i64*>(labels)[at] : (i64) static_cast<const int*>(labels)[at];
}

template <typename T>
__device__ __forceinline__ T class_weight(const T* weight, i64 stride, i64 c)
{
    return weight ? weight[c * stride] : T(1);
}

template <typename T>
__device__ __forceinline__ void cross_entropy(i64 rows, i64 classes, const T* x, const void* labels, int wide, i64 label_stride,
                                              const T* weight, i64 weight_stride, i64 ignore, double smoothing, T* loss, T* row_weight,
                                              T* log_sum_exp, DeviceError* error)
{
    __shared__ T max_scratch[32];
    __shared__ RowSums sum_scratch[32];
    for (i64 first = (i64)blockIdx.x * blockDim.y; first < rows; first += (i64)gridDim.x * blockDim.y)
    {
        i64 row = first + threadIdx.y;
        bool valid = row < rows;
        const T* xr = x + row * classes;
        T max = Limits<T>::lowest();
        if (valid)
            for (i64 j = threadIdx.x; j < classes; j += blockDim.x) max = nan_max(max, xr[j]);
        max = row_group_reduce(max, [](T a, T b) { return nan_max(a, b); }, max_scratch);
        RowSums sums = {0, 0, 0};
        if (valid)
            for (i64 j = threadIdx.x; j < classes; j += blockDim.x)
            {
                T w = class_weight(weight, weight_stride, j);
                sums.exps += (double)m_exp(xr[j] - max);
                sums.weighted += (double)(xr[j] * w);
                sums.weights += (double)w;
            }
        sums = row_group_reduce(sums, [](RowSums a, RowSums b) { return add(a, b); }, sum_scratch);
        if (valid && threadIdx.x == 0)
        {
            double lse = (double)max + log(sums.exps);
            log_sum_exp[row] = (T)lse;
            i64 label = read_label(labels, wide, row * label_stride);
            bool counted = label != ignore, known = label >= 0 && label < classes;
            if (counted && !known) report_error(error, ERROR_CROSS_ENTROPY, label, classes);
            if (!counted || !known)
            {
                loss[row] = T(0);
                row_weight[row] = T(0);
            }
            else
            {
                double wy = (double)class_weight(weight, weight_stride, label);
                double value = (1 - smoothing) * wy * (lse - (double)xr[label]);
                if (smoothing > 0) value += smoothing / classes * (sums.weights * lse - sums.weighted);
                loss[row] = (T)value;
                row_weight[row] = (T)wy;
            }
        }
    }
}

template <typename T>
__device__ __forceinline__ void cross_entropy_grad(i64 rows, i64 classes, const T* x, const void* labels, int wide, i64 label_stride,
                                                   const T* weight, i64 weight_stride, i64 ignore, double smoothing, const T* log_sum_exp,
                                                   const T* grad_loss, T* grad)
{
    __shared__ double weight_scratch[32];
    for (i64 first = (i64)blockIdx.x * blockDim.y; first < rows; first += (i64)gridDim.x * blockDim.y)
    {
        i64 row = first + threadIdx.y;
        bool valid = row < rows;
        double weights = 0;
        if (valid)
            for (i64 j = threadIdx.x; j < classes; j += blockDim.x) weights += (double)class_weight(weight, weight_stride, j);
        weights = row_group_reduce(weights, [](double a, double b) { return a + b; }, weight_scratch);
        if (!valid) continue;
        const T* xr = x + row * classes;
        T* gr = grad + row * classes;
        i64 label = read_label(labels, wide, row * label_stride);
        if (label == ignore || label < 0 || label >= classes)
        {
            for (i64 j = threadIdx.x; j < classes; j += blockDim.x) gr[j] = T(0);
            continue;
        }
        double g = (double)grad_loss[row], wy = (double)class_weight(weight, weight_stride, label), share = smoothing / classes;
        T scale = (T)(g * ((1 - smoothing) * wy + share * weights)), smoothed = (T)(-g * share), target = (T)(g * (1 - smoothing) * wy);
        T lse = log_sum_exp[row];
        for (i64 j = threadIdx.x; j < classes; j += blockDim.x)
        {
            T value = m_exp(xr[j] - lse) * scale;
            if (smoothing > 0) value += class_weight(weight, weight_stride, j) * smoothed;
            if (j == label) value -= target;
            gr[j] = value;
        }
    }
}

#define CROSS_ENTROPY(T, suffix) \
    extern "C" __global__ void cross_entropy_##suffix(i64 rows, i64 classes, const T* x, const void* labels, int wide, i64 label_stride, \
                                                      const T* weight, i64 weight_stride, i64 ignore, double smoothing, T* loss, \
                                                      T* row_weight, T* log_sum_exp, DeviceError* error) \
    { \
        cross_entropy(rows, classes, x, labels, wide, label_stride, weight, weight_stride, ignore, smoothing, loss, row_weight, log_sum_exp, \
                      error); \
    } \
    EXPORT_KERNEL(cross_entropy_##suffix) \
    extern "C" __global__ void cross_entropy_grad_##suffix(i64 rows, i64 classes, const T* x, const void* labels, int wide, \
                                                           i64 label_stride, const T* weight, i64 weight_stride, i64 ignore, \
                                                           double smoothing, const T* log_sum_exp, const T* grad_loss, T* grad) \
    { \
        cross_entropy_grad(rows, classes, x, labels, wide, label_stride, weight, weight_stride, ignore, smoothing, log_sum_exp, grad_loss, \
                           grad); \
    } \
    EXPORT_KERNEL(cross_entropy_grad_##suffix)

CROSS_ENTROPY(float, f32)
CROSS_ENTROPY(double, f64)
