namespace Engine.Backends;

/// <summary>
/// What a backend sees of a tensor: a storage with a shape, element strides and an element offset.
/// Broadcast dimensions have stride 0. Backends know nothing of tensors, tapes or scopes.
/// </summary>
internal readonly struct BufferView
{
    public BufferView(Storage storage, int[] shape, long[] strides, long offset)
    {
        Storage = storage;
        Shape = shape;
        Strides = strides;
        Offset = offset;
    }

    public Storage Storage { get; }
    public int[] Shape { get; }
    public long[] Strides { get; }
    public long Offset { get; }
    public DType DType => Storage.DType;
    public int Rank => Shape.Length;
    public long Count => Shapes.NumElements(Shape);

    /// <summary>True when elements are laid out row-major with no gaps, starting at <see cref="Offset"/>.</summary>
    public bool IsContiguous => Shapes.IsContiguous(Shape, Strides);

    /// <summary>The same elements viewed with <paramref name="shape"/>, stretching size-1 and missing leading dims with stride 0.</summary>
    public BufferView BroadcastTo(int[] shape)
    {
        if (ReferenceEquals(shape, Shape) || shape.AsSpan().SequenceEqual(Shape)) return this;
        int pad = shape.Length - Shape.Length;
        var strides = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            int source = i - pad;
            strides[i] = source < 0 || Shape[source] == 1 && shape[i] != 1 ? 0 : Strides[source];
        }
        return new BufferView(Storage, shape, strides, Offset);
    }

    /// <summary>Dimensions reordered by <paramref name="order"/> (a permutation).</summary>
    public BufferView Permute(int[] order)
    {
        var shape = new int[order.Length];
        var strides = new long[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            shape[i] = Shape[order[i]];
            strides[i] = Strides[order[i]];
        }
        return new BufferView(Storage, shape, strides, Offset);
    }

    /// <summary><paramref name="length"/> elements from <paramref name="start"/> along <paramref name="axis"/>.</summary>
    public BufferView Narrow(int axis, int start, int length)
    {
        var shape = (int[])Shape.Clone();
        shape[axis] = length;
        return new BufferView(Storage, shape, Strides, Offset + start * Strides[axis]);
    }
}
