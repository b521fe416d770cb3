namespace Engine;

/// <summary>Shape arithmetic shared by tensors, ops and backends.</summary>
internal static class Shapes
{
    public static long NumElements(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    public static long[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<long> strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>NumPy broadcasting of two shapes; throws naming <paramref name="op"/> and both shapes.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        if (ReferenceEquals(a, b) || a.AsSpan().SequenceEqual(b)) return a;
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i} from the left of the result: {da} vs {db})");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>True when <paramref name="source"/> broadcasts to exactly <paramref name="target"/> (only its size-1 and missing dims grow).</summary>
    public static bool BroadcastsTo(int[] source, int[] target)
    {
        int pad = target.Length - source.Length;
        if (pad < 0) return false;
        for (int i = 0; i < source.Length; i++)
            if (source[i] != 1 && source[i] != target[i + pad]) return false;
        return true;
    }

    /// <summary>Maps a possibly negative axis into [0, rank); throws naming the op.</summary>
    public static int Axis(string op, int axis, int rank)
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{op}: axis {axis} is out of range for a tensor of rank {rank}");
        return normalized;
    }

    /// <summary>Sorted, distinct, normalized axes; all axes when <paramref name="axes"/> is null or empty.</summary>
    public static int[] Axes(string op, int[]? axes, int rank)
    {
        if (axes is null || axes.Length == 0)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        var normalized = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) normalized[i] = Axis(op, axes[i], rank);
        Array.Sort(normalized);
        for (int i = 1; i < normalized.Length; i++)
            if (normalized[i] == normalized[i - 1])
                throw new ArgumentException($"{op}: axes [{string.Join(", ", axes)}] name the same dimension twice");
        return normalized;
    }

    /// <summary>The shape with the given axes set to 1 (keepdim) or removed.</summary>
    public static int[] Reduced(int[] shape, int[] axes, bool keepDim)
    {
        if (keepDim)
        {
            var kept = (int[])shape.Clone();
            foreach (int axis in axes) kept[axis] = 1;
            return kept;
        }
        var reduced = new int[shape.Length - axes.Length];
        for (int i = 0, j = 0; i < shape.Length; i++)
            if (Array.IndexOf(axes, i) < 0) reduced[j++] = shape[i];
        return reduced;
    }
}
