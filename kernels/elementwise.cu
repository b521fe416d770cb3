// Elementwise ops: unary (UnaryOp) and their fused gradients, binary with broadcasting (BinaryOp), binary with a
// scalar, and where. Each op's scalar function matches the CPU backend's definition in Backends/Cpu/ScalarMath.cs.
// Entry points: <op>_<dtype>, <op>_grad_<dtype>, <op>_scalar_<dtype>, where_<condition dtype>_<dtype>.
#include "common.cuh"

// ---- unary: y = f(x, alpha, beta); alpha and beta parametrise LeakyRelu (slope) and Clamp (bounds) ----

struct Neg { template <typename T> __device__ T operator()(T x, T, T) const { return -x; } };
struct Abs { template <typename T> __device__ T operator()(T x, T, T) const { return m_abs(x); } };
struct Exp { template <typename T> __device__ T operator()(T x, T, T) const { return m_exp(x); } };
struct Log { template <typename T> __device__ T operator()(T x, T, T) const { return m_log(x); } };
struct Sqrt { template <typename T> __device__ T operator()(T x, T, T) const { return m_sqrt(x); } };
struct Rsqrt { template <typename T> __device__ T operator()(T x, T, T) const { return T(1) / m_sqrt(x); } };
struct Square { template <typename T> __device__ T operator()(T x, T, T) const { return x * x; } };
struct Tanh { template <typename T> __device__ T operator()(T x, T, T) const { return m_tanh(x); } };
struct Sigmoid { template <typename T> __device__ T operator()(T x, T, T) const { return T(1) / (T(1) + m_exp(-x)); } };
struct Relu { template <typename T> __device__ T operator()(T x, T, T) const { return nan_max(x, T(0)); } };
struct LeakyRelu { template <typename T> __device__ T operator()(T x, T slope, T) const { return x > T(0) ? x : slope * x; } };
struct Softplus
{
    template <typename T> __device__ T operator()(T x, T, T) const { return nan_max(x, T(0)) + m_log1p(m_exp(-m_abs(x))); }
};
// The tanh approximation (PyTorch's approximate="tanh"), evaluated in the CPU backend's order.
struct Gelu
{
    template <typename T> __device__ T operator()(T x, T, T) const
    {
        const T c = T(0.7978845608028654), k = T(0.044715);
        return T(0.5) * x * (T(1) + m_tanh(c * (x + k * x * x * x)));
    }
};
struct Sin { template <typename T> __device__ T operator()(T x, T, T) const { return m_sin(x); } };
struct Cos { template <typename T> __device__ T operator()(T x, T, T) const { return m_cos(x); } };
struct Sign
{
    template <typename T> __device__ T operator()(T x, T, T) const { return is_nan(x) ? x : x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0); }
};
struct Clamp
{
    template <typename T> __device__ T operator()(T x, T low, T high) const { return is_nan(x) ? x : x < low ? low : x > high ? high : x; }
};

template <typename T, typename Op>
__device__ __forceinline__ void unary(i64 n, const Layout& layout, const T* x, T* y, T alpha, T beta, Op op)
{
    if (layout.rank == 0)
        map_contiguous(n, x, y, [=](T v) { return op(v, alpha, beta); });
    else
        for_each_strided<2>(n, layout, [&](const i64 (&at)[2]) { y[at[1]] = op(x[at[0]], alpha, beta); });
}

#define UNARY(name, Op, T, suffix) \
    extern "C" __global__ void name##_##suffix(i64 n, Layout layout, const T* x, T* y, T alpha, T beta) \
    { \
        unary(n, layout, x, y, alpha, beta, Op()); \
    } \
    EXPORT_KERNEL(name##_##suffix)
#define UNARY_FLOATING(name, Op) UNARY(name, Op, float, f32) UNARY(name, Op, double, f64)
#define UNARY_ALL(name, Op) UNARY_FLOATING(name, Op) UNARY(name, Op, int, i32) UNARY(name, Op, i64, i64)

UNARY_ALL(neg, Neg)
UNARY_ALL(abs, Abs)
UNARY_FLOATING(exp, Exp)
UNARY_FLOATING(log, Log)
UNARY_FLOATING(sqrt, Sqrt)
UNARY_FLOATING(rsqrt, Rsqrt)
UNARY_ALL(square, Square)
UNARY_FLOATING(tanh, Tanh)
UNARY_FLOATING(sigmoid, Sigmoid)
UNARY_ALL(relu, Relu)
UNARY_FLOATING(leakyrelu, LeakyRelu)
UNARY_FLOATING(softplus, Softplus)
UNARY_FLOATING(gelu, Gelu)
UNARY_FLOATING(sin, Sin)
UNARY_FLOATING(cos, Cos)
UNARY_ALL(sign, Sign)
UNARY_ALL(clamp, Clamp)

// ---- unary gradients: y = g * op'(x), from `saved` = x, or = op(x) for Exp, Sqrt, Rsqrt, Tanh, Sigmoid -----
// The CPU backend's ScalarMath.UnaryGradient; 0 * g (not 0) keeps a NaN gradient NaN.

struct NegGrad { template <typename T> __device__ T operator()(T g, T, T, T) const { return -g; } };
struct AbsGrad
{
    template <typename T> __device__ T operator()(T g, T x, T, T) const { return g * (is_nan(x) ? x : x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0)); }
};
struct ExpGrad { template <typename T> __device__ T operator()(T g, T y, T, T) const { return g * y; } };
struct LogGrad { template <typename T> __device__ T operator()(T g, T x, T, T) const { return g / x; } };
struct SqrtGrad { template <typename T> __device__ T operator()(T g, T y, T, T) const { return g / (y * T(2)); } };
struct RsqrtGrad { template <typename T> __device__ T operator()(T g, T y, T, T) const { return g * y * y * y * T(-0.5); } };
struct SquareGrad { template <typename T> __device__ T operator()(T g, T x, T, T) const { return g * x * T(2); } };
struct TanhGrad { template <typename T> __device__ T operator()(T g, T y, T, T) const { return g * (T(1) - y * y); } };
struct SigmoidGrad { template <typename T> __device__ T operator()(T g, T y, T, T) const { return g * y * (T(1) - y); } };
struct ReluGrad { template <typename T> __device__ T operator()(T g, T x, T, T) const { return x > T(0) ? g : T(0) * g; } };
struct LeakyReluGrad { template <typename T> __device__ T operator()(T g, T x, T slope, T) const { return x > T(0) ? g : g * slope; } };
struct SoftplusGrad { template <typename T> __device__ T operator()(T g, T x, T, T) const { return g / (T(1) + m_exp(-x)); } };
struct GeluGrad
{
    template <typename T> __device__ T operator()(T g, T x, T, T) const
    {
        const T c = T(0.7978845608028654), k = T(0.044715), half = T(0.5);
        T t = m_tanh(c * (x + k * x * x * x));
        return g * (half * (T(1) + t) + half * x * (T(1) - t * t) * c * (T(1) + T(3) * k * x * x));
    }
};
struct SinGrad { template <typename T> __device__ T operator()(T g, T x, T, T) const { return g * m_cos(x); } };
struct CosGrad { template <typename T> __device__ T operator()(T g, T x, T, T) const { return -g * m_sin(x); } };
struct SignGrad { template <typename T> __device__ T operator()(T g, T, T, T) const { return T(0) * g; } };
struct ClampGrad
{
    template <typename T> __device__ T operator()(T g, T x, T low, T high) const { return x >= low && x <= high ? g : T(0) * g; }
};

template <typename T, typename Op>
__device__ __forceinline__ void unary_gradient(i64 n, const Layout& layout, const T* g, const T* saved, T* y, T alpha, T beta, Op op)
{
    if (layout.rank == 0)
        zip_contiguous(n, g, saved, y, [=](T u, T v) { return op(u, v, alpha, beta); });
    else
        for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) { y[at[2]] = op(g[at[0]], saved[at[1]], alpha, beta); });
}

#define UNARY_GRADIENT(name, Op, T, suffix) \
    extern "C" __global__ void name##_grad_##suffix(i64 n, Layout layout, const T* g, const T* saved, T* y, T alpha, T beta) \
    { \
        unary_gradient(n, layout, g, saved, y, alpha, beta, Op()); \
    } \
    EXPORT_KERNEL(name##_grad_##suffix)
#define UNARY_GRADIENT_FLOATING(name, Op) UNARY_GRADIENT(name, Op, float, f32) UNARY_GRADIENT(name, Op, double, f64)

UNARY_GRADIENT_FLOATING(neg, NegGrad)
UNARY_GRADIENT_FLOATING(abs, AbsGrad)
UNARY_GRADIENT_FLOATING(exp, ExpGrad)
UNARY_GRADIENT_FLOATING(log, LogGrad)
UNARY_GRADIENT_FLOATING(sqrt, SqrtGrad)
UNARY_GRADIENT_FLOATING(rsqrt, RsqrtGrad)
UNARY_GRADIENT_FLOATING(square, SquareGrad)
UNARY_GRADIENT_FLOATING(tanh, TanhGrad)
UNARY_GRADIENT_FLOATING(sigmoid, SigmoidGrad)
UNARY_GRADIENT_FLOATING(relu, ReluGrad)
UNARY_GRADIENT_FLOATING(leakyrelu, LeakyReluGrad)
UNARY_GRADIENT_FLOATING(softplus, SoftplusGrad)
UNARY_GRADIENT_FLOATING(gelu, GeluGrad)
UNARY_GRADIENT_FLOATING(sin, SinGrad)
UNARY_GRADIENT_FLOATING(cos, CosGrad)
UNARY_GRADIENT_FLOATING(sign, SignGrad)
UNARY_GRADIENT_FLOATING(clamp, ClampGrad)

// ---- binary: y = f(a, b); comparisons write 1 or 0 in the operands' dtype -------------------------------

struct Add { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a + b; } };
struct Sub { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a - b; } };
struct Mul { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a * b; } };

// Integer division by zero is reported (the CPU backend throws); -1 is special-cased because
// MIN / -1 traps on x86 hosts, which run the emulator. Floating division follows IEEE.
struct Div
{
    __device__ float operator()(float a, float b, DeviceError*) const { return a / b; }
    __device__ double operator()(double a, double b, DeviceError*) const { return a / b; }
    template <typename T> __device__ T operator()(T a, T b, DeviceError* error) const
    {
        if (b == 0)
        {
            report_error(error, ERROR_DIVISION_BY_ZERO, (i64)a, 0);
            return 0;
        }
        return b == -1 ? -a : a / b;
    }
};

// The CPU backend raises in double and rounds to the dtype.
struct Pow { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return (T)pow((double)a, (double)b); } };
struct Maximum { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return nan_max(a, b); } };
struct Minimum { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return nan_min(a, b); } };
struct Equal { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a == b ? T(1) : T(0); } };
struct NotEqual { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a != b ? T(1) : T(0); } };
struct Less { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a < b ? T(1) : T(0); } };
struct LessEqual { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a <= b ? T(1) : T(0); } };
struct Greater { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a > b ? T(1) : T(0); } };
struct GreaterEqual { template <typename T> __device__ T operator()(T a, T b, DeviceError*) const { return a >= b ? T(1) : T(0); } };

template <typename T, typename Op>
__device__ __forceinline__ void binary(i64 n, const Layout& layout, const T* a, const T* b, T* y, DeviceError* error, Op op)
{
    if (layout.rank == 0)
        zip_contiguous(n, a, b, y, [=](T u, T v) { return op(u, v, error); });
    else
        for_each_strided<3>(n, layout, [&](const i64 (&at)[3]) { y[at[2]] = op(a[at[0]], b[at[1]], error); });
}

// y = f(a, s), or f(s, a) when scalar_first.
template <typename T, typename Op>
__device__ __forceinline__ void binary_scalar(i64 n, const Layout& layout, const T* a, T s, int scalar_first, T* y, DeviceError* error, Op op)
{
    if (layout.rank == 0)
        map_contiguous(n, a, y, [=](T v) { return scalar_first ? op(s, v, error) : op(v, s, error); });
    else
        for_each_strided<2>(n, layout, [&](const i64 (&at)[2]) {
            T v = a[at[0]];
            y[at[1]] = scalar_first ? op(s, v, error) : op(v, s, error);
        });
}

#define BINARY(name, Op, T, suffix) \
    extern "C" __global__ void name##_##suffix(i64 n, Layout layout, const T* a, const T* b, T* y, DeviceError* error) \
    { \
        binary(n, layout, a, b, y, error, Op()); \
    } \
    EXPORT_KERNEL(name##_##suffix) \
    extern "C" __global__ void name##_scalar_##suffix(i64 n, Layout layout, const T* a, T s, int scalar_first, T* y, DeviceError* error) \
    { \
        binary_scalar(n, layout, a, s, scalar_first, y, error, Op()); \
    } \
    EXPORT_KERNEL(name##_scalar_##suffix)
#define BINARY_FLOATING(name, Op) BINARY(name, Op, float, f32) BINARY(name, Op, double, f64)
#define BINARY_ALL(name, Op) BINARY_FLOATING(name, Op) BINARY(name, Op, int, i32) BINARY(name, Op, i64, i64)

BINARY_ALL(add, Add)
BINARY_ALL(sub, Sub)
BINARY_ALL(mul, Mul)
BINARY_ALL(div, Div)
BINARY_FLOATING(pow, Pow)
BINARY_ALL(maximum, Maximum)
BINARY_ALL(minimum, Minimum)
BINARY_ALL(equal, Equal)
BINARY_ALL(notequal, NotEqual)
BINARY_ALL(less, Less)
BINARY_ALL(lessequal, LessEqual)
BINARY_ALL(greater, Greater)
BINARY_ALL(greaterequal, GreaterEqual)

// ---- where: y = condition != 0 ? a : b, the condition in any dtype ---------------------------------------

template <typename C, typename T>
__device__ __forceinline__ void where(i64 n, const Layout& layout, const C* condition, const T* a, const T* b, T* y)
{
    if (layout.rank == 0)
        for (i64 i = global_thread(); i < n; i += global_threads()) y[i] = condition[i] != C(0) ? a[i] : b[i];
    else
        for_each_strided<4>(n, layout, [&](const i64 (&at)[4]) { y[at[3]] = condition[at[0]] != C(0) ? a[at[1]] : b[at[2]]; });
}

#define WHERE(C, c, T, t) \
    extern "C" __global__ void where_##c##_##t(i64 n, Layout layout, const C* condition, const T* a, const T* b, T* y) \
    { \
        where(n, layout, condition, a, b, y); \
    } \
    EXPORT_KERNEL(where_##c##_##t)
#define WHERE_ALL(C, c) WHERE(C, c, float, f32) WHERE(C, c, double, f64) WHERE(C, c, int, i32) WHERE(C, c, i64, i64)

WHERE_ALL(float, f32)
WHERE_ALL(double, f64)
WHERE_ALL(int, i32)
WHERE_ALL(i64, i64)
