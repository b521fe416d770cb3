using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>Entries along <paramref name="axis"/> picked by the 1-D integer <paramref name="index"/> (<c>torch.index_select</c>).</summary>
    public Tensor IndexSelect(int axis, Tensor index)
    {
        ThrowIfDisposed();
        OpChecks.Index("IndexSelect", index, this);
        int dim = Shapes.Axis("IndexSelect", axis, Rank);
        if (index.Rank != 1) throw new ArgumentException($"IndexSelect: index must be 1-D, got {OpChecks.Describe(index)}");
        var outShape = (int[])shape.Clone();
        outShape[dim] = index.shape[0];
        var y = Empty(outShape, DType, Device);
        DisposeOnError(y, () => Backend.IndexSelect(Buffer, dim, index.Buffer, y.Buffer));
        if (!DType.IsFloating()) return y;
        int[] inputShape = shape;
        return y.Record("IndexSelect", [this], [index], (g, c) =>
        {
            using var zeros = Zeros(inputShape, g.DType, g.Device);
            return [zeros.IndexAdd(dim, c.Saved(0), g)];
        });
    }

    /// <summary>A copy of this tensor with <paramref name="source"/> added at the positions <paramref name="index"/> names along <paramref name="axis"/> (<c>torch.index_add</c>).</summary>
    public Tensor IndexAdd(int axis, Tensor index, Tensor source)
    {
        OpChecks.Compatible("IndexAdd", this, source);
        OpChecks.Index("IndexAdd", index, this);
        int dim = Shapes.Axis("IndexAdd", axis, Rank);
        bool fits = index.Rank == 1 && source.Rank == Rank && source.shape[dim] == index.shape[0]
            && Enumerable.Range(0, Rank).All(i => i == dim || source.shape[i] == shape[i]);
        if (!fits)
            throw new ArgumentException($"IndexAdd: source {OpChecks.Describe(source)} and index {OpChecks.Describe(index)} do not fit {OpChecks.Describe(this)} along axis {axis}");
        var y = Empty(shape, DType, Device);
        DisposeOnError(y, () =>
        {
            Backend.Copy(Buffer, y.Buffer);
            Backend.IndexAdd(y.Buffer, dim, index.Buffer, source.Buffer);
        });
        if (!DType.IsFloating()) return y;
        return y.Record("IndexAdd", [this, source], [index], (g, c) => [g, c.Needs(1) ? g.IndexSelect(dim, c.Saved(0)) : null]);
    }

    /// <summary>y[..i..] = x[..index[..i..]..] along <paramref name="axis"/>; index has the result's shape (<c>torch.gather</c>).</summary>
    public Tensor Gather(int axis, Tensor index)
    {
        ThrowIfDisposed();
        OpChecks.Index("Gather", index, this);
        int dim = Shapes.Axis("Gather", axis, Rank);
        bool fits = index.Rank == Rank && Enumerable.Range(0, Rank).All(i => i == dim || index.shape[i] <= shape[i]);
        if (!fits)
            throw new ArgumentException($"Gather: index {OpChecks.Describe(index)} does not fit {OpChecks.Describe(this)} along axis {axis}");
        var y = Empty(index.shape, DType, Device);
        DisposeOnError(y, () => Backend.Gather(Buffer, dim, index.Buffer, y.Buffer));
        if (!DType.IsFloating()) return y;
        int[] inputShape = shape;
        return y.Record("Gather", [this], [index], (g, c) =>
        {
            using var zeros = Zeros(inputShape, g.DType, g.Device);
            return [zeros.ScatterAdd(dim, c.Saved(0), g)];
        });
    }

    /// <summary>A copy of this tensor with source[..i..] added at [..index[..i..]..] along <paramref name="axis"/> (<c>torch.scatter_add</c>).</summary>
    public Tensor ScatterAdd(int axis, Tensor index, Tensor source)
    {
        OpChecks.Compatible("ScatterAdd", this, source);
        OpChecks.Index("ScatterAdd", index, this);
        int dim = Shapes.Axis("ScatterAdd", axis, Rank);
        bool fits = index.Rank == Rank && source.shape.AsSpan().SequenceEqual(index.shape)
            && Enumerable.Range(0, Rank).All(i => i == dim || index.shape[i] <= shape[i]);
        if (!fits)
            throw new ArgumentException($"ScatterAdd: source {OpChecks.Describe(source)} and index {OpChecks.Describe(index)} do not fit {OpChecks.Describe(this)} along axis {axis}");
        var y = Empty(shape, DType, Device);
        DisposeOnError(y, () =>
        {
            Backend.Copy(Buffer, y.Buffer);
            Backend.ScatterAdd(y.Buffer, dim, index.Buffer, source.Buffer);
        });
        if (!DType.IsFloating()) return y;
        return y.Record("ScatterAdd", [this, source], [index], (g, c) => [g, c.Needs(1) ? g.Gather(dim, c.Saved(0)) : null]);
    }

    /// <summary>Rows of length <paramref name="classes"/> with a 1 at each integer index (<c>torch.nn.functional.one_hot</c>).</summary>
    public static Tensor OneHot(Tensor indices, int classes, DType dtype = DType.F32)
    {
        OpChecks.Integer("OneHot", indices);
        if (classes <= 0) throw new ArgumentException($"OneHot: classes must be positive, got {classes}");
        var y = Empty([.. indices.shape, classes], dtype, indices.Device);
        DisposeOnError(y, () => indices.Backend.OneHot(indices.Buffer, y.Buffer));
        return y;
    }

    /// <summary>
    /// Runs a kernel that fills the fresh output <paramref name="y"/> and may reject its indices; on failure y is
    /// disposed, since outside a scope nothing else would free it.
    /// </summary>
    private static void DisposeOnError(Tensor y, Action kernel)
    {
        try
        {
            kernel();
        }
        catch
        {
            y.Dispose();
            throw;
        }
    }
}
