namespace Engine.Tests.Support;

/// <summary>
/// A row-major array of doubles with a shape: the reference side of the forward tests. Everything here is a
/// plain loop, written without the engine, so that a result computed by the engine can be checked against it.
/// </summary>
internal sealed class Ref
{
    public Ref(int[] shape, double[] data)
    {
        if (Count(shape) != data.Length)
            throw new ArgumentException($"{data.Length} values do not fill shape [{string.Join(", ", shape)}]");
        Shape = shape;
        Data = data;
    }

    public int[] Shape { get; }
    public double[] Data { get; }
    public int Rank => Shape.Length;

    public static int Count(int[] shape) => shape.Aggregate(1, (n, d) => n * d);

    public static Ref Of(int[] shape, params double[] data) => new(shape, data);

    /// <summary>
    /// Uniform values in [lo, hi), rounded to what <paramref name="dtype"/> holds. Integer dtypes, and
    /// <paramref name="integral"/> values, are whole numbers in [lo, hi] (so ties and exact zeros occur).
    /// </summary>
    public static Ref Random(System.Random rng, int[] shape, DType dtype, double lo, double hi, bool integral = false)
    {
        var data = new double[Count(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = integral || !dtype.IsFloating()
                ? rng.Next((int)Math.Ceiling(lo), (int)Math.Floor(hi) + 1)
                : lo + (hi - lo) * rng.NextDouble();
            if (dtype == DType.F32) data[i] = (float)data[i];
        }
        return new Ref(shape, data);
    }

    public int[] Unravel(int flat)
    {
        var index = new int[Rank];
        for (int d = Rank - 1; d >= 0; d--)
        {
            index[d] = flat % Shape[d];
            flat /= Shape[d];
        }
        return index;
    }

    public int Ravel(int[] index)
    {
        int flat = 0;
        for (int d = 0; d < Rank; d++) flat = flat * Shape[d] + index[d];
        return flat;
    }

    public double this[params int[] index] => Data[Ravel(index)];

    public Ref Map(Func<double, double> f) => new(Shape, Data.Select(f).ToArray());

    /// <summary>NumPy broadcast of two shapes.</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new ArgumentException("shapes do not broadcast");
            shape[i] = Math.Max(da, db);
        }
        return shape;
    }

    /// <summary>The values repeated to <paramref name="shape"/> by NumPy rules.</summary>
    public Ref BroadcastTo(int[] shape)
    {
        int pad = shape.Length - Rank;
        var own = Strides(Shape);
        var strides = shape.Select((_, d) => d < pad || Shape[d - pad] == 1 ? 0 : own[d - pad]).ToArray();
        return new Ref(shape, Positions(shape, strides).Select(p => Data[p]).ToArray());
    }

    public static int[] Strides(int[] shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    /// <summary>For each element of <paramref name="shape"/> in row-major order, its position when dimension d steps <paramref name="strides"/>[d].</summary>
    public static int[] Positions(int[] shape, int[] strides, int offset = 0)
    {
        var positions = new int[Count(shape)];
        var index = new int[shape.Length];
        int position = offset;
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = position;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                position += strides[d];
                if (++index[d] < shape[d]) break;
                position -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return positions;
    }

    public static Ref Zip(Ref a, Ref b, Func<double, double, double> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape);
        var x = a.BroadcastTo(shape).Data;
        var y = b.BroadcastTo(shape).Data;
        return new Ref(shape, x.Select((v, i) => f(v, y[i])).ToArray());
    }

    /// <summary>Result dimension i is dimension order[i] of this array (like <c>Tensor.Permute</c>).</summary>
    public Ref Permute(params int[] order)
    {
        var own = Strides(Shape);
        var shape = order.Select(o => Shape[o]).ToArray();
        return new Ref(shape, Positions(shape, order.Select(o => own[o]).ToArray()).Select(p => Data[p]).ToArray());
    }

    /// <summary>
    /// Folds the values over <paramref name="axes"/>; each group is handed to <paramref name="fold"/> in row-major
    /// order (so along the axis when there is one).
    /// </summary>
    public Ref Reduce(int[] axes, bool keepDim, Func<double[], double> fold)
    {
        var keptShape = Shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var keptStrides = Strides(keptShape).Select((s, i) => axes.Contains(i) ? 0 : s).ToArray();
        var target = Positions(Shape, keptStrides);
        var groups = Enumerable.Range(0, Count(keptShape)).Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < Data.Length; i++) groups[target[i]].Add(Data[i]);
        var folded = groups.Select(g => fold(g.ToArray())).ToArray();
        return new Ref(keepDim ? keptShape : Shape.Where((_, i) => !axes.Contains(i)).ToArray(), folded);
    }

    /// <summary>A contiguous tensor holding these values in <paramref name="dtype"/>.</summary>
    public Tensor ToTensor(DType dtype) => dtype switch
    {
        DType.F32 => Tensor.From(Data.Select(v => (float)v).ToArray(), Shape),
        DType.F64 => Tensor.From((double[])Data.Clone(), Shape),
        DType.I32 => Tensor.From(Data.Select(v => checked((int)v)).ToArray(), Shape),
        _ => Tensor.From(Data.Select(v => checked((long)v)).ToArray(), Shape),
    };
}
