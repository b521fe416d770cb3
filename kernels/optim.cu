// Fused optimizer updates, one pass over a parameter and its state, in place (Ops/UpdateRules.cs defines the rules,
// Backends/Cpu/CpuBackend.Optim.cs is the reference: the same operations in the dtype, in the same order). The host
// turns the rule's hyper-parameters into the dtype's constants as the CPU does. Operands may have any strides (one
// layout: parameter, gradient, state...). Entry points: sgd_update_<dtype>, adam_update_<dtype>.
#include "common.cuh"

// CudaBackend.Optim.cs packs the same bytes.
struct SgdConstants
{
    double learning_rate, momentum, weight_decay, keep;  // keep = 1 - dampening
    int has_momentum, nesterov, first_step, pad;
};

struct AdamConstants
{
    double beta1, beta2, one_minus_beta1, one_minus_beta2;
    double step_size;     // learning rate / (1 - beta1^t)
    double correction2;   // sqrt(1 - beta2^t)
    double eps, l2, shrink;  // L2 decay added to the gradient; decoupled decay's factor on the parameter
};

// Layout operands: parameter, gradient, momentum buffer (unused without momentum).
template <typename T>
__device__ __forceinline__ void sgd_update(i64 n, const Layout& layout, T* parameter, const T* gradient, T* buffer, SgdConstants k)
{
    T lr = (T)k.learning_rate, momentum = (T)k.momentum, decay = (T)k.weight_decay, keep = (T)k.keep;
    for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) {
        T value = parameter[at[0]];
        T step = gradient[at[1]] + decay * value;
        if (k.has_momentum)
        {
            T velocity = k.first_step ? step : momentum * buffer[at[2]] + keep * step;
            buffer[at[2]] = velocity;
            step = k.nesterov ? step + momentum * velocity : velocity;
        }
        parameter[at[0]] = value - lr * step;
    });
}

// Layout operands: parameter, gradient, first moment, second moment.
template <typename T>
__device__ __forceinline__ void adam_update(i64 n, const Layout& layout, T* parameter, const T* gradient, T* first, T* second, AdamConstants k)
{
    T beta1 = (T)k.beta1, beta2 = (T)k.beta2, one_minus_beta1 = (T)k.one_minus_beta1, one_minus_beta2 = (T)k.one_minus_beta2;
    T step_size = (T)k.step_size, correction2 = (T)k.correction2, eps = (T)k.eps, l2 = (T)k.l2, shrink = (T)k.shrink;
    for_each_strided<4>(n, layout, [&](const i64 (&at)[4]) {
        T value = parameter[at[0]];
        T grad = gradient[at[1]] + l2 * value;
        value *= shrink;
        T m = beta1 * first[at[2]] + one_minus_beta1 * grad;
        T v = beta2 * second[at[3]] + one_minus_beta2 * grad * grad;
        first[at[2]] = m;
        second[at[3]] = v;
        parameter[at[0]] = value - step_size * m / (m_sqrt(v) / correction2 + eps);
    });
}

#define OPTIM_KERNELS(T, suffix) \
    extern "C" __global__ void sgd_update_##suffix(i64 n, Layout layout, T* parameter, const T* gradient, T* buffer, SgdConstants constants) \
    { \
        sgd_update(n, layout, parameter, gradient, buffer, constants); \
    } \
    EXPORT_KERNEL(sgd_update_##suffix) \
    extern "C" __global__ void adam_update_##suffix(i64 n, Layout layout, T* parameter, const T* gradient, T* first, T* second, \
                                                    AdamConstants constants) \
    { \
        adam_update(n, layout, parameter, gradient, first, second, constants); \
    } \
    EXPORT_KERNEL(adam_update_##suffix)

OPTIM_KERNELS(float, f32)
OPTIM_KERNELS(double, f64)
