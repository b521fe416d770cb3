using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op, double alpha = 0, double beta = 0)
    {
        ThrowIfDisposed();
        if (!DType.IsFloating() && !op.AcceptsIntegers())
            throw new ArgumentException($"{op.Name()}: expected an F32 or F64 tensor, got {OpChecks.Describe(this)}");
        var y = NewOutputLike(this);
        try
        {
            Backend.Unary(op, Buffer, y.Buffer, alpha, beta);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(this);
        }
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordUnary(op, y, alpha, beta);
        return y;
    }

    private void RecordUnary(UnaryOp op, Tensor y, double alpha, double beta)
    {
        var saved = op.SavesOutput() ? y : this;
        Autodiff.Tape.Record(op.Name(), y, [this], [saved], (g, c) => [UnaryGradient(op, g, c.Saved(0), alpha, beta)]);
    }

    /// <summary>
    /// d op(x) / dx times g, from x or from y = op(x), whichever the op saved: one fused kernel, or, while the backward
    /// pass is being recorded (createGraph), the same formula written with differentiable ops.
    /// </summary>
    private static Tensor UnaryGradient(UnaryOp op, Tensor g, Tensor saved, double alpha, double beta)
    {
        if (!Autodiff.Tape.IsGradEnabled)
        {
            var result = NewOutputLike(g);
            g.Backend.UnaryGradient(op, g.Buffer, saved.Buffer, result.Buffer, alpha, beta);
            return result;
        }
        Tensor x = saved, y = saved;
        return op switch
        {
        UnaryOp.Neg => g.Neg(),
        UnaryOp.Abs => g * x.Sign(),
        UnaryOp.Exp => g * y,
        UnaryOp.Log => g / x,
        UnaryOp.Sqrt => g / (y * 2),
        UnaryOp.Rsqrt => g * y * y * y * -0.5,
        UnaryOp.Square => g * x * 2,
        UnaryOp.Tanh => g * (1 - y * y),
        UnaryOp.Sigmoid => g * y * (1 - y),
        UnaryOp.Relu => g * (x > 0),
        UnaryOp.LeakyRelu => g * ((x > 0) * (1 - alpha) + alpha),
        UnaryOp.Softplus => g * x.Sigmoid(),
        UnaryOp.Gelu => g * GeluDerivative(x),
        UnaryOp.Sin => g * x.Cos(),
        UnaryOp.Cos => -g * x.Sin(),
        UnaryOp.Sign => g.ZerosLike(),
        UnaryOp.Clamp => g * ((x >= alpha) * (x <= beta)),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    private static Tensor GeluDerivative(Tensor x)
    {
        double c = Math.Sqrt(2.0 / Math.PI), k = 0.044715;
        var t = ((x + x * x * x * k) * c).Tanh();
        return (1 + t) * 0.5 + x * 0.5 * (1 - t * t) * c * (1 + x * x * (3 * k));
    }

    /// <summary>-x.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg);
    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);
    /// <summary>e^x.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>1 / sqrt(x).</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>x * x.</summary>
    public Tensor Square() => Unary(UnaryOp.Square);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    /// <summary>1 / (1 + e^-x).</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);
    /// <summary>x for x &gt; 0, else slope * x.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Unary(UnaryOp.LeakyRelu, negativeSlope);
    /// <summary>log(1 + e^x), computed stably.</summary>
    public Tensor Softplus() => Unary(UnaryOp.Softplus);
    /// <summary>GELU with the tanh approximation (PyTorch's <c>gelu(x, approximate="tanh")</c>).</summary>
    public Tensor Gelu() => Unary(UnaryOp.Gelu);
    /// <summary>Sine.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin);
    /// <summary>Cosine.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos);
    /// <summary>-1, 0 or 1 by the sign of x (gradient zero).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);

    /// <summary>Each element limited to [min, max].</summary>
    public Tensor Clamp(double min, double max)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}");
        return Unary(UnaryOp.Clamp, min, max);
    }

    /// <summary>-x.</summary>
    public static Tensor operator -(Tensor x) => x.Neg();
}
