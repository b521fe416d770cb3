using System.Numerics;
using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>The scalar definition of every elementwise op; the SIMD paths must agree with it.</summary>
internal static class ScalarMath
{
    private static readonly double SqrtTwoOverPi = Math.Sqrt(2.0 / Math.PI);

    public static T Unary<T>(UnaryOp op, T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => T.Abs(x),
        UnaryOp.Exp => T.Exp(x),
        UnaryOp.Log => T.Log(x),
        UnaryOp.Sqrt => T.Sqrt(x),
        UnaryOp.Rsqrt => T.One / T.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Tanh => typeof(T) == typeof(float) ? T.CreateTruncating(FastTanh.Of(float.CreateTruncating(x))) : T.Tanh(x),
        UnaryOp.Sigmoid => T.One / (T.One + T.Exp(-x)),
        UnaryOp.Relu => T.Max(x, T.Zero),
        UnaryOp.LeakyRelu => x > T.Zero ? x : alpha * x,
        UnaryOp.Softplus => T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x))),
        UnaryOp.Gelu => Gelu(x),
        UnaryOp.Sin => T.Sin(x),
        UnaryOp.Cos => T.Cos(x),
        UnaryOp.Sign => T.IsNaN(x) ? x : T.CreateTruncating(T.Sign(x)),
        UnaryOp.Clamp => T.Min(T.Max(x, alpha), beta),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>
    /// g * op'(x), where <paramref name="saved"/> is x, or y = op(x) for the ops that save their output
    /// (<see cref="OpTraits.SavesOutput"/>); the definition the fused gradient kernels must agree with.
    /// </summary>
    public static T UnaryGradient<T>(UnaryOp op, T g, T saved, T alpha, T beta) where T : IFloatingPointIeee754<T>
    {
        T x = saved, y = saved, two = T.CreateTruncating(2);
        return op switch
        {
            UnaryOp.Neg => -g,
            UnaryOp.Abs => g * T.CreateTruncating(T.Sign(x)),
            UnaryOp.Exp => g * y,
            UnaryOp.Log => g / x,
            UnaryOp.Sqrt => g / (y * two),
            UnaryOp.Rsqrt => g * y * y * y * T.CreateTruncating(-0.5),
            UnaryOp.Square => g * x * two,
            UnaryOp.Tanh => g * (T.One - y * y),
            UnaryOp.Sigmoid => g * y * (T.One - y),
            UnaryOp.Relu => x > T.Zero ? g : T.Zero * g,
            UnaryOp.LeakyRelu => x > T.Zero ? g : g * alpha,
            UnaryOp.Softplus => g / (T.One + T.Exp(-x)),
            UnaryOp.Gelu => g * GeluDerivative(x),
            UnaryOp.Sin => g * T.Cos(x),
            UnaryOp.Cos => -g * T.Sin(x),
            UnaryOp.Sign => T.Zero * g,
            UnaryOp.Clamp => x >= alpha && x <= beta ? g : T.Zero * g,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    /// <summary>d GELU(x) / dx for the tanh approximation.</summary>
    public static T GeluDerivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5), c = T.CreateTruncating(SqrtTwoOverPi), k = T.CreateTruncating(0.044715);
        T t = T.Tanh(c * (x + k * x * x * x));
        return half * (T.One + t) + half * x * (T.One - t * t) * c * (T.One + T.CreateTruncating(3) * k * x * x);
    }

    /// <summary>GELU with the tanh approximation (PyTorch's <c>approximate="tanh"</c>).</summary>
    public static T Gelu<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5), c = T.CreateTruncating(SqrtTwoOverPi), k = T.CreateTruncating(0.044715);
        return half * x * (T.One + T.Tanh(c * (x + k * x * x * x)));
    }

    public static T UnaryInteger<T>(UnaryOp op, T x, T alpha, T beta) where T : IBinaryInteger<T>, ISignedNumber<T> => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => T.Abs(x),
        UnaryOp.Square => x * x,
        UnaryOp.Sign => T.CreateTruncating(T.Sign(x)),
        UnaryOp.Relu => T.Max(x, T.Zero),
        UnaryOp.Clamp => T.Min(T.Max(x, alpha), beta),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not defined for integers"),
    };

    public static T Binary<T>(BinaryOp op, T a, T b) where T : INumber<T> => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Pow => T.CreateTruncating(Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b))),
        BinaryOp.Maximum => T.IsNaN(a) || a >= b ? a : b,
        BinaryOp.Minimum => T.IsNaN(a) || a <= b ? a : b,
        BinaryOp.Equal => a == b ? T.One : T.Zero,
        BinaryOp.NotEqual => a != b ? T.One : T.Zero,
        BinaryOp.Less => a < b ? T.One : T.Zero,
        BinaryOp.LessEqual => a <= b ? T.One : T.Zero,
        BinaryOp.Greater => a > b ? T.One : T.Zero,
        BinaryOp.GreaterEqual => a >= b ? T.One : T.Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
