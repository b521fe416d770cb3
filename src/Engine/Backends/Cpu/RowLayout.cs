namespace Engine.Backends.Cpu;

/// <summary>
/// How an operand of a contiguous [outer, inner] result is addressed: element (i, j) is at
/// <c>(i mod Period) * Outer + j * Inner</c> (no modulo when Period is 0), with Inner 0 or 1. Covers contiguous
/// operands (inner, 1), rows repeated over the leading dims (0, 1), columns constant along the trailing dims (1, 0),
/// per-channel columns repeated over a batch (1, 0, C) and scalars (0, 0).
/// </summary>
internal readonly record struct RowLayout(long Outer, long Inner, long Period = 0)
{
    /// <summary>Offset of row <paramref name="row"/>.</summary>
    public long RowOffset(long row) => (Period == 0 ? row : row % Period) * Outer;

    /// <summary>
    /// Finds one [outer, inner] split that suits both operands (broadcast to the result's shape); false when either is
    /// laid out in any other way, or they would need different splits.
    /// </summary>
    public static bool TryOf(BufferView a, BufferView b, out RowLayout la, out RowLayout lb, out long outer, out long inner)
    {
        var pa = BroadcastPattern.Of(a);
        var pb = BroadcastPattern.Of(b);
        la = lb = default;
        outer = inner = 0;
        if (pa.Kind == BroadcastKind.Other || pb.Kind == BroadcastKind.Other) return false;
        bool splitA = pa.Kind is BroadcastKind.Row or BroadcastKind.Column, splitB = pb.Kind is BroadcastKind.Row or BroadcastKind.Column;
        if (splitA && splitB && pa.Split != pb.Split) return false;
        long count = a.Count;
        if (splitA || splitB)
        {
            inner = Shapes.NumElements(a.Shape.AsSpan(splitA ? pa.Split : pb.Split));
            outer = count / inner;
        }
        else
        {
            (outer, inner) = (1, count);
        }
        la = Layout(pa, inner);
        lb = Layout(pb, inner);
        return true;
    }

    private static RowLayout Layout(BroadcastPattern pattern, long inner) => pattern.Kind switch
    {
        BroadcastKind.Contiguous => new(inner, 1),
        BroadcastKind.Row => new(0, 1),
        BroadcastKind.Column => new(1, 0, pattern.Period),
        _ => new(0, 0),
    };
}
