using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>The tensors joined along <paramref name="axis"/>; other dimensions must agree (<c>torch.cat</c>).</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat: needs at least one tensor");
        var first = tensors[0];
        int dim = Shapes.Axis("Concat", axis, first.Rank);
        foreach (var t in tensors)
        {
            OpChecks.Compatible("Concat", first, t);
            bool fits = t.Rank == first.Rank && Enumerable.Range(0, t.Rank).All(i => i == dim || t.shape[i] == first.shape[i]);
            if (!fits)
                throw new ArgumentException($"Concat: {OpChecks.Describe(t)} does not match {OpChecks.Describe(first)} outside axis {axis}");
        }
        var sizes = tensors.Select(t => t.shape[dim]).ToArray();
        var outShape = (int[])first.shape.Clone();
        outShape[dim] = sizes.Sum();
        var y = Empty(outShape, first.DType, first.Device);
        int start = 0;
        foreach (var t in tensors)
        {
            t.Backend.Copy(t.Buffer, y.Buffer.Narrow(dim, start, t.shape[dim]));
            start += t.shape[dim];
        }
        if (!first.DType.IsFloating()) return y;
        return y.Record("Concat", tensors.ToArray(), [], (g, c) =>
        {
            var grads = new Tensor?[sizes.Length];
            int from = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                if (c.Needs(i)) grads[i] = g.Slice(dim, from, from + sizes[i]);
                from += sizes[i];
            }
            return grads;
        });
    }

    /// <summary>The tensors, all of one shape, stacked along a new dimension <paramref name="axis"/> (<c>torch.stack</c>).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack: needs at least one tensor");
        foreach (var t in tensors)
            if (!t.shape.AsSpan().SequenceEqual(tensors[0].shape))
                throw new ArgumentException($"Stack: {OpChecks.Describe(t)} differs in shape from {OpChecks.Describe(tensors[0])}");
        int dim = Shapes.Axis("Stack", axis, tensors[0].Rank + 1);
        using var scope = TensorScope.Begin();
        return scope.Keep(Concat(tensors.Select(t => t.Unsqueeze(dim)).ToArray(), dim));
    }

    /// <summary>Views of consecutive pieces of the given sizes along <paramref name="axis"/> (<c>torch.split</c>).</summary>
    public Tensor[] Split(int[] sizes, int axis = 0)
    {
        int dim = Shapes.Axis("Split", axis, Rank);
        if (sizes.Any(s => s < 0) || sizes.Sum() != shape[dim])
            throw new ArgumentException($"Split: sizes [{string.Join(", ", sizes)}] do not add up to dimension {axis} of {Shapes.Format(shape)}");
        var pieces = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            pieces[i] = Narrow(dim, start, sizes[i]);
            start += sizes[i];
        }
        return pieces;
    }

    /// <summary>
    /// <paramref name="chunks"/> views of (nearly) equal size along <paramref name="axis"/>, like <c>torch.chunk</c>:
    /// each piece has ceil(n / chunks) elements, the last one fewer, so fewer pieces may come back.
    /// </summary>
    public Tensor[] Chunk(int chunks, int axis = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"Chunk: the number of chunks must be positive, got {chunks}");
        int length = shape[Shapes.Axis("Chunk", axis, Rank)];
        return length == 0 ? [Narrow(axis, 0, 0)] : Split((length + chunks - 1) / chunks, axis);
    }

    /// <summary>Views of pieces of <paramref name="size"/> along <paramref name="axis"/>, the last one possibly shorter.</summary>
    public Tensor[] Split(int size, int axis = 0)
    {
        if (size <= 0) throw new ArgumentException($"Split: piece size must be positive, got {size}");
        int length = shape[Shapes.Axis("Split", axis, Rank)];
        var sizes = Enumerable.Range(0, (length + size - 1) / size).Select(i => Math.Min(size, length - i * size)).ToArray();
        return Split(sizes, axis);
    }
}
