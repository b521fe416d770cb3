namespace Engine.Backends.Cpu;

/// <summary>How an operand broadcast to a contiguous result's shape walks memory, for the row-wise fast paths.</summary>
internal enum BroadcastKind
{
    /// <summary>Row-major over the whole shape, like the result.</summary>
    Contiguous,
    /// <summary>One element everywhere.</summary>
    Scalar,
    /// <summary>A contiguous block of the trailing dimensions, repeated for every index of the leading ones (<c>m + row</c>).</summary>
    Row,
    /// <summary>
    /// One element per index of the leading dimensions, the same along the trailing ones (<c>m + column</c>); the
    /// outermost leading dimensions may be broadcast too (a per-channel <c>[1, C, 1, 1]</c> on <c>[N, C, H, W]</c>), so the
    /// elements repeat with a <see cref="BroadcastPattern.Period"/> over the leading index.
    /// </summary>
    Column,
    /// <summary>Anything else: the general strided path.</summary>
    Other,
}

/// <summary>
/// Classifies operands; <see cref="Split"/> is the first trailing dimension of a row or column pattern, and
/// <see cref="Period"/> the number of distinct elements of a column pattern whose outer leading dims are broadcast (0: none).
/// </summary>
internal readonly record struct BroadcastPattern(BroadcastKind Kind, int Split, long Period = 0)
{
    /// <summary>
    /// The pattern of <paramref name="view"/> (already broadcast to the result's shape). A row pattern has stride 0 on
    /// the leading dims and row-major strides on the trailing ones; a column pattern the reverse.
    /// </summary>
    public static BroadcastPattern Of(BufferView view)
    {
        var shape = view.Shape;
        var strides = view.Strides;
        int rank = shape.Length;
        if (view.IsContiguous) return new(BroadcastKind.Contiguous, 0);
        int d = rank - 1;
        long expected = 1;
        while (d >= 0 && (shape[d] == 1 || strides[d] == expected))
        {
            expected *= shape[d];
            d--;
        }
        int rowSplit = d + 1;
        if (AllBroadcast(shape, strides, 0, rowSplit))
            return rowSplit == rank ? new(BroadcastKind.Scalar, rank) : new(BroadcastKind.Row, rowSplit);
        d = rank - 1;
        while (d >= 0 && (shape[d] == 1 || strides[d] == 0)) d--;
        int columnSplit = d + 1;
        expected = 1;
        int i = columnSplit - 1;
        for (; i >= 0 && (shape[i] == 1 || strides[i] == expected); i--) expected *= shape[i];
        if (i < 0) return new(BroadcastKind.Column, columnSplit);
        if (!AllBroadcast(shape, strides, 0, i + 1)) return new(BroadcastKind.Other, 0);
        return new(BroadcastKind.Column, columnSplit, expected);
    }

    private static bool AllBroadcast(int[] shape, long[] strides, int from, int to)
    {
        for (int i = from; i < to; i++)
            if (shape[i] != 1 && strides[i] != 0) return false;
        return true;
    }
}
