using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    private Tensor Reduce(ReduceOp op, int[]? axes, bool keepDim)
    {
        string name = op == ReduceOp.Sum ? "Sum" : op == ReduceOp.Max ? "Max" : "Min";
        ThrowIfDisposed();
        var dims = Shapes.Axes(name, axes, Rank);
        if (op != ReduceOp.Sum && NumElements == 0)
            throw new ArgumentException($"{name}: cannot reduce an empty tensor of shape {Shapes.Format(shape)}");
        var keptShape = Shapes.Reduced(shape, dims, keepDim: true);
        var kept = NewOutput(keptShape, DType, Backend);
        try
        {
            Backend.Reduce(op, Buffer, kept.Buffer);
        }
        catch
        {
            kept.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(this);
        }
        var y = keepDim ? kept : kept.DropAxes(dims);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordReduce(op, name, y, dims, keptShape);
        return y;
    }

    private void RecordReduce(ReduceOp op, string name, Tensor y, int[] dims, int[] keptShape)
    {
        int[] inputShape = shape;
        Tensor[] saved = op == ReduceOp.Sum ? [] : [this, y];
        Autodiff.Tape.Record(name, y, [this], saved, (g, c) =>
        {
            using var gKept = g.Reshape(keptShape);
            if (op == ReduceOp.Sum) return [gKept.Expand(inputShape).Contiguous()];
            using var scope = TensorScope.Begin();
            var mask = c.Saved(0).Eq(c.Saved(1).Reshape(keptShape));
            var share = gKept / mask.Sum(dims, keepDim: true);
            return [scope.Keep(mask * share)];
        });
    }

    /// <summary>The same storage without the given size-1 axes; the keepdim tensor's handle passes to the result.</summary>
    private Tensor DropAxes(int[] axes)
    {
        var keptStrides = new long[Rank - axes.Length];
        for (int i = 0, j = 0; i < Rank; i++)
            if (Array.IndexOf(axes, i) < 0) keptStrides[j++] = strides[i];
        var y = MakeView(Shapes.Reduced(shape, axes, keepDim: false), keptStrides, offset);
        Dispose();
        return y;
    }

    /// <summary>Sum over <paramref name="axes"/> (all when null).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Sum, axes, keepDim);
    /// <summary>Sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);
    /// <summary>Maximum over <paramref name="axes"/> (all when null); ties share the gradient equally.</summary>
    public Tensor Max(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Max, axes, keepDim);
    /// <summary>Maximum over one axis.</summary>
    public Tensor Max(int axis, bool keepDim = false) => Max([axis], keepDim);
    /// <summary>Minimum over <paramref name="axes"/>; ties share the gradient equally.</summary>
    public Tensor Min(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Min, axes, keepDim);
    /// <summary>Minimum over one axis.</summary>
    public Tensor Min(int axis, bool keepDim = false) => Min([axis], keepDim);

    /// <summary>Mean over <paramref name="axes"/> (all when null).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDim = false)
    {
        OpChecks.Floating("Mean", this);
        var dims = Shapes.Axes("Mean", axes, Rank);
        using var sum = Sum(dims, keepDim);
        return sum * (1.0 / CountOver(dims));
    }

    /// <summary>Mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);

    /// <summary>Variance over <paramref name="axes"/> with Bessel's <paramref name="correction"/> (1 = unbiased, like PyTorch's default).</summary>
    public Tensor Var(int[]? axes = null, bool keepDim = false, int correction = 1)
    {
        OpChecks.Floating("Var", this);
        var dims = Shapes.Axes("Var", axes, Rank);
        long count = CheckedCount("Var", dims, correction);
        using var scope = TensorScope.Begin();
        var centered = this - Mean(dims, keepDim: true);
        return scope.Keep(centered.Square().Sum(dims, keepDim) * (1.0 / (count - correction)));
    }

    /// <summary>Variance over one axis.</summary>
    public Tensor Var(int axis, bool keepDim = false, int correction = 1) => Var([axis], keepDim, correction);

    /// <summary>
    /// Standard deviation: the square root of <see cref="Var(int[], bool, int)"/>. Its gradient is zero where the deviation is
    /// zero (a constant group), as in PyTorch, rather than 0/0.
    /// </summary>
    public Tensor Std(int[]? axes = null, bool keepDim = false, int correction = 1)
    {
        OpChecks.Floating("Std", this);
        var dims = Shapes.Axes("Std", axes, Rank);
        long count = CheckedCount("Std", dims, correction);
        var keptShape = Shapes.Reduced(shape, dims, keepDim: true);
        Tensor kept;
        using (Autodiff.Tape.NoGrad())
        using (var variance = Var(dims, keepDim: true, correction))
            kept = variance.Sqrt();
        kept.Record("Std", [this], [this, kept], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            var x = c.Saved(0);
            var std = c.Saved(1);
            var centered = x - x.Mean(dims, keepDim: true);
            // The denominator is made safe before Where: a zero one would put 0/0 into the double backward.
            var zero = std.Eq(0);
            var share = Tensor.Where(zero, zero.ZerosLike(), g / (Tensor.Where(zero, zero.OnesLike(), std) * (count - correction)));
            return [scope.Keep(centered * share)];
        });
        return keepDim ? kept : kept.DropAxesRecorded(dims, keptShape);
    }

    /// <summary>Standard deviation over one axis.</summary>
    public Tensor Std(int axis, bool keepDim = false, int correction = 1) => Std([axis], keepDim, correction);

    /// <summary>
    /// log(sum(exp(x))) over <paramref name="axes"/>, computed stably; -inf for a group of -inf values and +inf when
    /// one value is +inf, as in PyTorch.
    /// </summary>
    public Tensor LogSumExp(int[]? axes = null, bool keepDim = false)
    {
        OpChecks.Floating("LogSumExp", this);
        var dims = Shapes.Axes("LogSumExp", axes, Rank);
        using var scope = TensorScope.Begin();
        Tensor shift;
        using (Autodiff.Tape.NoGrad())
        {
            // Shifting by an infinite maximum would give inf - inf; such groups need no shift.
            var max = Max(dims, keepDim: true);
            shift = Tensor.Where(max.Abs().Eq(double.PositiveInfinity), max.ZerosLike(), max);
        }
        var result = (this - shift).Exp().Sum(dims, keepDim: true).Log() + shift;
        return scope.Keep(keepDim ? result : result.Reshape(Shapes.Reduced(shape, dims, keepDim: false)));
    }

    /// <summary>LogSumExp over one axis.</summary>
    public Tensor LogSumExp(int axis, bool keepDim = false) => LogSumExp([axis], keepDim);

    /// <summary>
    /// The p-norm over <paramref name="axes"/>: p = 2 (default), 1, any p &gt; 0, or infinity for the largest
    /// magnitude. The gradient at a zero group is zero (PyTorch's choice), not 0/0.
    /// </summary>
    public Tensor Norm(int[]? axes = null, bool keepDim = false, double p = 2)
    {
        OpChecks.Floating("Norm", this);
        if (!(p > 0)) throw new ArgumentException($"Norm: p must be positive, got {p}");
        var dims = Shapes.Axes("Norm", axes, Rank);
        var keptShape = Shapes.Reduced(shape, dims, keepDim: true);
        Tensor kept;
        using (Autodiff.Tape.NoGrad())
        using (var scope = TensorScope.Begin())
        {
            kept = scope.Keep(p switch
            {
                double.PositiveInfinity => Abs().Max(dims, keepDim: true),
                1 => Abs().Sum(dims, keepDim: true),
                2 => Square().Sum(dims, keepDim: true).Sqrt(),
                _ => Abs().Pow(p).Sum(dims, keepDim: true).Pow(1 / p),
            });
        }
        kept.Record("Norm", [this], [this, kept], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            var x = c.Saved(0);
            var norm = c.Saved(1);
            // A zero norm is replaced before dividing: 0/0 would reach the double backward even through Where.
            var zero = norm.Eq(0);
            var safeNorm = Tensor.Where(zero, zero.OnesLike(), norm);
            Tensor direction = p switch
            {
                1 => x.Sign(),
                double.PositiveInfinity => NormInfinityShare(x, norm, dims),
                2 => x / safeNorm,
                _ => x.Sign() * x.Abs().Pow(p - 1) / safeNorm.Pow(p - 1),
            };
            return [scope.Keep(Tensor.Where(zero, zero.ZerosLike(), g) * direction)];
        });
        return keepDim ? kept : kept.DropAxesRecorded(dims, keptShape);
    }

    /// <summary>The p-norm over one axis.</summary>
    public Tensor Norm(int axis, bool keepDim = false, double p = 2) => Norm([axis], keepDim, p);

    /// <summary>d max|x| / dx: the sign of x at the elements that reach the maximum, shared equally among ties.</summary>
    private static Tensor NormInfinityShare(Tensor x, Tensor norm, int[] dims)
    {
        var atMax = x.Abs().Eq(norm);
        return x.Sign() * atMax / atMax.Sum(dims, keepDim: true);
    }

    /// <summary>
    /// The largest element along <paramref name="axis"/> and its index (I64; the first on ties), like
    /// <c>torch.max(x, dim)</c>. The values' gradient goes to the indexed element.
    /// </summary>
    public (Tensor Values, Tensor Indices) MaxWithIndices(int axis, bool keepDim = false) => ExtremeWithIndices(ArgReduceOp.ArgMax, axis, keepDim);

    /// <summary>The smallest element along <paramref name="axis"/> and its index, like <c>torch.min(x, dim)</c>.</summary>
    public (Tensor Values, Tensor Indices) MinWithIndices(int axis, bool keepDim = false) => ExtremeWithIndices(ArgReduceOp.ArgMin, axis, keepDim);

    private (Tensor Values, Tensor Indices) ExtremeWithIndices(ArgReduceOp op, int axis, bool keepDim)
    {
        int dim = Shapes.Axis(op.ToString(), axis, Rank);
        var indices = ArgReduce(op, dim, keepDim: true);
        Tensor values;
        try
        {
            values = Gather(dim, indices);
        }
        catch
        {
            indices.Dispose();
            throw;
        }
        if (keepDim) return (values, indices);
        using (values)
        using (indices)
            return (values.Squeeze(dim), indices.Squeeze(dim));
    }

    private long CountOver(int[] dims) => dims.Aggregate(1L, (n, d) => n * shape[d]);

    private long CheckedCount(string op, int[] dims, int correction)
    {
        long count = CountOver(dims);
        if (count - correction <= 0)
            throw new ArgumentException($"{op}: {count} elements per result is too few for correction {correction} (shape {Shapes.Format(shape)})");
        return count;
    }

    /// <summary>This keepdim result without the reduced axes, recorded as a reshape; this handle is disposed.</summary>
    private Tensor DropAxesRecorded(int[] dims, int[] keptShape)
    {
        using (this) return Reshape(Shapes.Reduced(keptShape, dims, keepDim: false));
    }

    /// <summary>Index (I64) of the largest element along <paramref name="axis"/>; the first one on ties.</summary>
    public Tensor ArgMax(int axis, bool keepDim = false) => ArgReduce(ArgReduceOp.ArgMax, axis, keepDim);

    /// <summary>Index (I64) of the smallest element along <paramref name="axis"/>; the first one on ties.</summary>
    public Tensor ArgMin(int axis, bool keepDim = false) => ArgReduce(ArgReduceOp.ArgMin, axis, keepDim);

    private Tensor ArgReduce(ArgReduceOp op, int axis, bool keepDim)
    {
        ThrowIfDisposed();
        int dim = Shapes.Axis(op.ToString(), axis, Rank);
        if (shape[dim] == 0) throw new ArgumentException($"{op}: dimension {axis} of {Shapes.Format(shape)} is empty");
        var kept = Empty(Shapes.Reduced(shape, [dim], keepDim: true), DType.I64, Device);
        try
        {
            Backend.ArgReduce(op, Buffer, dim, kept.Buffer);
        }
        catch
        {
            kept.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(this);
        }
        return keepDim ? kept : kept.DropAxes([dim]);
    }
}
