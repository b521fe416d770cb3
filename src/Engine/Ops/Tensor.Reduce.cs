using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    private Tensor Reduce(ReduceOp op, int[]? axes, bool keepDim)
    {
        string name = op.ToString();
        ThrowIfDisposed();
        var dims = Shapes.Axes(name, axes, Rank);
        if (op != ReduceOp.Sum && NumElements == 0)
            throw new ArgumentException($"{name}: cannot reduce an empty tensor of shape {Shapes.Format(shape)}");
        var keptShape = Shapes.Reduced(shape, dims, keepDim: true);
        var kept = Empty(keptShape, DType, Device);
        Backend.Reduce(op, Buffer, kept.Buffer);
        var y = keepDim ? kept : kept.DropAxes(dims);
        if (!DType.IsFloating()) return y;
        int[] inputShape = shape;
        Tensor[] saved = op == ReduceOp.Sum ? [] : [this, y];
        return y.Record(name, [this], saved, (g, c) =>
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
        var y = MakeView(Shapes.Reduced(shape, axes, keepDim: false), strides.Where((_, i) => !axes.Contains(i)).ToArray(), offset);
        Dispose();
        return y;
    }

    /// <summary>Sum over <paramref name="axes"/> (all when null).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Sum, axes, keepDim);
    /// <summary>Sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);
    /// <summary>Maximum over <paramref name="axes"/>; ties share the gradient equally.</summary>
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
        long count = dims.Aggregate(1L, (n, d) => n * shape[d]);
        using var sum = Sum(dims, keepDim);
        return sum * (1.0 / count);
    }

    /// <summary>Mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);

    /// <summary>Variance over <paramref name="axes"/> with Bessel's <paramref name="correction"/> (1 = unbiased, like PyTorch's default).</summary>
    public Tensor Var(int[]? axes = null, int correction = 1, bool keepDim = false)
    {
        OpChecks.Floating("Var", this);
        var dims = Shapes.Axes("Var", axes, Rank);
        long count = dims.Aggregate(1L, (n, d) => n * shape[d]);
        if (count - correction <= 0)
            throw new ArgumentException($"Var: {count} elements per result is too few for correction {correction}");
        using var scope = TensorScope.Begin();
        var centered = this - Mean(dims, keepDim: true);
        return scope.Keep(centered.Square().Sum(dims, keepDim) * (1.0 / (count - correction)));
    }

    /// <summary>Standard deviation: the square root of <see cref="Var"/>.</summary>
    public Tensor Std(int[]? axes = null, int correction = 1, bool keepDim = false)
    {
        using var variance = Var(axes, correction, keepDim);
        return variance.Sqrt();
    }

    /// <summary>log(sum(exp(x))) over <paramref name="axes"/>, computed stably.</summary>
    public Tensor LogSumExp(int[]? axes = null, bool keepDim = false)
    {
        OpChecks.Floating("LogSumExp", this);
        var dims = Shapes.Axes("LogSumExp", axes, Rank);
        using var scope = TensorScope.Begin();
        Tensor max;
        using (Autodiff.Tape.NoGrad()) max = Max(dims, keepDim: true);
        var result = (this - max).Exp().Sum(dims, keepDim: true).Log() + max;
        return scope.Keep(keepDim ? result : result.Reshape(Shapes.Reduced(shape, dims, keepDim: false)));
    }

    /// <summary>The p-norm over <paramref name="axes"/>: p = 2 (default), 1, any p &gt; 0, or infinity for the largest magnitude.</summary>
    public Tensor Norm(double p = 2, int[]? axes = null, bool keepDim = false)
    {
        OpChecks.Floating("Norm", this);
        if (!(p > 0)) throw new ArgumentException($"Norm: p must be positive, got {p}");
        var dims = Shapes.Axes("Norm", axes, Rank);
        using var scope = TensorScope.Begin();
        var result = p switch
        {
            double.PositiveInfinity => Abs().Max(dims, keepDim),
            1 => Abs().Sum(dims, keepDim),
            2 => Square().Sum(dims, keepDim).Sqrt(),
            _ => Abs().Pow(p).Sum(dims, keepDim).Pow(1 / p),
        };
        return scope.Keep(result);
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
        Backend.ArgReduce(op, Buffer, dim, kept.Buffer);
        return keepDim ? kept : kept.DropAxes([dim]);
    }
}
