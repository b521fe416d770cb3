using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        OpChecks.Compatible(op.Name(), a, b);
        if (!a.DType.IsFloating() && !op.AcceptsIntegers())
            throw new ArgumentException($"{op.Name()}: expected F32 or F64 tensors, got {OpChecks.Describe(a)} and {OpChecks.Describe(b)}");
        var shape = Shapes.Broadcast(op.Name(), a.shape, b.shape);
        var y = ReferenceEquals(shape, a.shape) && a.IsContiguous ? NewOutputLike(a) : NewOutput(shape, a.DType, a.Backend);
        try
        {
            a.Backend.Binary(op, a.Buffer.BroadcastTo(shape), b.Buffer.BroadcastTo(shape), y.Buffer);
        }
        catch (DivideByZeroException)
        {
            y.Dispose();
            throw new DivideByZeroException($"{op.Name()}: integer division by zero in {OpChecks.Describe(a)} / {OpChecks.Describe(b)}");
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(a);
            GC.KeepAlive(b);
        }
        if (!op.IsComparison() && a.DType.IsFloating() && Autodiff.Tape.WantsAny(a, b)) RecordBinary(op, a, b, y);
        return y;
    }

    private static void RecordBinary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        int[] shapeA = a.shape, shapeB = b.shape;
        Tensor[] saved = op switch
        {
            BinaryOp.Add or BinaryOp.Sub => [],
            BinaryOp.Div or BinaryOp.Pow => [a, b, y],
            _ => [a, b],
        };
        Autodiff.Tape.Record(op.Name(), y, [a, b], saved, (g, c) =>
        {
            var (ga, gb) = BinaryGradient(op, g, c);
            return [ga?.SumTo(shapeA), gb?.SumTo(shapeB)];
        });
    }

    /// <summary>Gradients at the broadcast shape; <see cref="SumTo"/> folds them back to each input's shape. Saved: a, b, y.</summary>
    private static (Tensor?, Tensor?) BinaryGradient(BinaryOp op, Tensor g, Autodiff.BackwardContext c)
    {
        bool needA = c.Needs(0), needB = c.Needs(1);
        return op switch
        {
            BinaryOp.Add => (needA ? g : null, needB ? g : null),
            BinaryOp.Sub => (needA ? g : null, needB ? -g : null),
            BinaryOp.Mul => (needA ? g * c.Saved(1) : null, needB ? g * c.Saved(0) : null),
            BinaryOp.Div => (needA ? g / c.Saved(1) : null, needB ? -g * c.Saved(2) / c.Saved(1) : null),
            BinaryOp.Pow => (needA ? PowBaseGradient(g, c.Saved(0), c.Saved(1)) : null, needB ? PowExponentGradient(g, c.Saved(0), c.Saved(2), c.Saved(1)) : null),
            BinaryOp.Maximum => (needA ? g * ExtremeShare(c.Saved(0), c.Saved(1), max: true) : null, needB ? g * ExtremeShare(c.Saved(1), c.Saved(0), max: true) : null),
            BinaryOp.Minimum => (needA ? g * ExtremeShare(c.Saved(0), c.Saved(1), max: false) : null, needB ? g * ExtremeShare(c.Saved(1), c.Saved(0), max: false) : null),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not differentiable"),
        };
    }

    /// <summary>1 where <paramref name="a"/> wins, 1/2 on a tie (the gradient is split, as in PyTorch), 0 where it loses.</summary>
    private static Tensor ExtremeShare(Tensor a, Tensor b, bool max) => (max ? a > b : a < b) + a.Eq(b) * 0.5;

    /// <summary>d a^b / da = b a^(b-1), taken as 0 where b = 0 (a^0 is constant, even at a = 0).</summary>
    private static Tensor PowBaseGradient(Tensor g, Tensor a, Tensor b)
    {
        var constant = b.Eq(0);
        return Where(constant, constant.ZerosLike(), g * b * a.Pow(b - 1));
    }

    /// <summary>d a^b / db = a^b ln a, taken as 0 where a = 0 and b &gt;= 0 (0^b does not depend on b there).</summary>
    private static Tensor PowExponentGradient(Tensor g, Tensor a, Tensor y, Tensor b)
    {
        var flat = a.Eq(0) * (b >= 0);
        var safeBase = Where(a.Eq(0), a.OnesLike(), a);
        return Where(flat, flat.ZerosLike(), g * y * safeBase.Log());
    }

    private Tensor BinaryScalar(BinaryOp op, double scalar, bool scalarFirst)
    {
        ThrowIfDisposed();
        if (!DType.IsFloating())
        {
            if (!op.AcceptsIntegers())
                throw new ArgumentException($"{op.ScalarName()}: expected an F32 or F64 tensor, got {OpChecks.Describe(this)}");
            if (!IsIntegral(scalar))
            {
                // PyTorch's promotion: an integer tensor meets a non-integral number in the default float dtype.
                using var promoted = To(DType.F32);
                return promoted.BinaryScalar(op, scalar, scalarFirst);
            }
            if (op == BinaryOp.Div && !scalarFirst && scalar == 0)
                throw new DivideByZeroException($"{op.ScalarName()}: integer tensor {OpChecks.Describe(this)} divided by zero");
        }
        var y = NewOutputLike(this);
        try
        {
            Backend.BinaryScalar(op, Buffer, scalar, y.Buffer, scalarFirst);
        }
        catch (DivideByZeroException)
        {
            y.Dispose();
            throw new DivideByZeroException($"{op.ScalarName()}: integer division by zero: {scalar} divided by an element of {OpChecks.Describe(this)}");
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
        if (!op.IsComparison() && DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordBinaryScalar(op, y, scalar, scalarFirst);
        return y;
    }

    private void RecordBinaryScalar(BinaryOp op, Tensor y, double scalar, bool scalarFirst)
    {
        Tensor[] saved = op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul ? [] : [this, y];
        Autodiff.Tape.Record(op.ScalarName(), y, [this], saved, (g, c) => [ScalarGradient(op, g, c, scalar, scalarFirst)]);
    }

    private static bool IsIntegral(double value) => double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) < 9.2e18;

    /// <summary>Gradient of op(x, s) or op(s, x). Saved: x, y (except for Add, Sub, Mul).</summary>
    private static Tensor ScalarGradient(BinaryOp op, Tensor g, Autodiff.BackwardContext c, double s, bool scalarFirst) => (op, scalarFirst) switch
    {
        (BinaryOp.Add, _) => g,
        (BinaryOp.Sub, false) => g,
        (BinaryOp.Sub, true) => -g,
        (BinaryOp.Mul, _) => g * s,
        (BinaryOp.Div, false) => g * (1 / s),
        (BinaryOp.Div, true) => -g * c.Saved(1) / c.Saved(0),
        (BinaryOp.Pow, false) => s == 0 ? g.ZerosLike() : g * c.Saved(0).Pow(s - 1) * s,
        (BinaryOp.Pow, true) => s == 0 ? ZeroBasePowGradient(g, c.Saved(0)) : g * c.Saved(1) * Math.Log(s),
        (BinaryOp.Maximum, _) => g * (c.Saved(0) >= s),
        (BinaryOp.Minimum, _) => g * (c.Saved(0) <= s),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not differentiable"),
    };

    /// <summary>d 0^x / dx: 0 for x &gt;= 0 (0^x is 0 or 1 there) and -inf where x &lt; 0, as in PyTorch.</summary>
    private static Tensor ZeroBasePowGradient(Tensor g, Tensor x)
    {
        var flat = x >= 0;
        return Where(flat, flat.ZerosLike(), g * double.NegativeInfinity);
    }

    /// <summary>a + b with broadcasting.</summary>
    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, this, other);
    /// <summary>a - b with broadcasting.</summary>
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, this, other);
    /// <summary>a * b with broadcasting.</summary>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, this, other);
    /// <summary>a / b with broadcasting (truncating for integers).</summary>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, this, other);
    /// <summary>a ^ b with broadcasting.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, this, exponent);
    /// <summary>a ^ s.</summary>
    public Tensor Pow(double exponent) => BinaryScalar(BinaryOp.Pow, exponent, false);
    /// <summary>s ^ x elementwise: a scalar base raised to each element (<c>torch.pow(s, x)</c>).</summary>
    public static Tensor Pow(double @base, Tensor exponent) => exponent.BinaryScalar(BinaryOp.Pow, @base, true);
    /// <summary>Elementwise maximum with broadcasting; on ties each operand gets half the gradient.</summary>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, this, other);
    /// <summary>Elementwise minimum with broadcasting; on ties each operand gets half the gradient.</summary>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, this, other);
    /// <summary>max(x, s) elementwise; like <c>clamp(min=s)</c>, the whole gradient passes where x = s.</summary>
    public Tensor Maximum(double scalar) => BinaryScalar(BinaryOp.Maximum, scalar, false);
    /// <summary>min(x, s) elementwise; like <c>clamp(max=s)</c>, the whole gradient passes where x = s.</summary>
    public Tensor Minimum(double scalar) => BinaryScalar(BinaryOp.Minimum, scalar, false);

    /// <summary>Mask (1 or 0 in this dtype) of a == b.</summary>
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Equal, this, other);
    /// <summary>Mask of a != b.</summary>
    public Tensor Ne(Tensor other) => Binary(BinaryOp.NotEqual, this, other);
    /// <summary>Mask of a &lt; b.</summary>
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Less, this, other);
    /// <summary>Mask of a &lt;= b.</summary>
    public Tensor Le(Tensor other) => Binary(BinaryOp.LessEqual, this, other);
    /// <summary>Mask of a &gt; b.</summary>
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Greater, this, other);
    /// <summary>Mask of a &gt;= b.</summary>
    public Tensor Ge(Tensor other) => Binary(BinaryOp.GreaterEqual, this, other);
    /// <summary>Mask of x == s.</summary>
    public Tensor Eq(double scalar) => BinaryScalar(BinaryOp.Equal, scalar, false);
    /// <summary>Mask of x != s.</summary>
    public Tensor Ne(double scalar) => BinaryScalar(BinaryOp.NotEqual, scalar, false);

    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a - b.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>a * b.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>a / b.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>x + s.</summary>
    public static Tensor operator +(Tensor x, double s) => x.BinaryScalar(BinaryOp.Add, s, false);
    /// <summary>s + x.</summary>
    public static Tensor operator +(double s, Tensor x) => x.BinaryScalar(BinaryOp.Add, s, true);
    /// <summary>x - s.</summary>
    public static Tensor operator -(Tensor x, double s) => x.BinaryScalar(BinaryOp.Sub, s, false);
    /// <summary>s - x.</summary>
    public static Tensor operator -(double s, Tensor x) => x.BinaryScalar(BinaryOp.Sub, s, true);
    /// <summary>x * s.</summary>
    public static Tensor operator *(Tensor x, double s) => x.BinaryScalar(BinaryOp.Mul, s, false);
    /// <summary>s * x.</summary>
    public static Tensor operator *(double s, Tensor x) => x.BinaryScalar(BinaryOp.Mul, s, true);
    /// <summary>x / s.</summary>
    public static Tensor operator /(Tensor x, double s) => x.BinaryScalar(BinaryOp.Div, s, false);
    /// <summary>s / x.</summary>
    public static Tensor operator /(double s, Tensor x) => x.BinaryScalar(BinaryOp.Div, s, true);
    /// <summary>Mask of a &lt; b.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    /// <summary>Mask of a &gt; b.</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    /// <summary>Mask of a &lt;= b.</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    /// <summary>Mask of a &gt;= b.</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    /// <summary>Mask of x &lt; s.</summary>
    public static Tensor operator <(Tensor x, double s) => x.BinaryScalar(BinaryOp.Less, s, false);
    /// <summary>Mask of x &gt; s.</summary>
    public static Tensor operator >(Tensor x, double s) => x.BinaryScalar(BinaryOp.Greater, s, false);
    /// <summary>Mask of x &lt;= s.</summary>
    public static Tensor operator <=(Tensor x, double s) => x.BinaryScalar(BinaryOp.LessEqual, s, false);
    /// <summary>Mask of x &gt;= s.</summary>
    public static Tensor operator >=(Tensor x, double s) => x.BinaryScalar(BinaryOp.GreaterEqual, s, false);

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> is non-zero, else of <paramref name="b"/> (all broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        OpChecks.Compatible("Where", a, b);
        condition.ThrowIfDisposed();
        if (condition.Device != a.Device)
            throw new ArgumentException($"Where: condition {OpChecks.Describe(condition)} is not on the device of {OpChecks.Describe(a)}");
        var shape = Shapes.Broadcast("Where", Shapes.Broadcast("Where", condition.shape, a.shape), b.shape);
        var y = Empty(shape, a.DType, a.Device);
        try
        {
            a.Backend.Where(condition.Buffer.BroadcastTo(shape), a.Buffer.BroadcastTo(shape), b.Buffer.BroadcastTo(shape), y.Buffer);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(condition);
            GC.KeepAlive(a);
            GC.KeepAlive(b);
        }
        if (!a.DType.IsFloating()) return y;
        int[] shapeA = a.shape, shapeB = b.shape;
        return y.Record("Where", [a, b], [condition], (g, c) =>
        {
            var zeros = g.ZerosLike();
            return [c.Needs(0) ? Where(c.Saved(0), g, zeros).SumTo(shapeA) : null, c.Needs(1) ? Where(c.Saved(0), zeros, g).SumTo(shapeB) : null];
        });
    }
}
