using Engine.Tests.Support;

namespace Engine.Tests.Pool;

/// <summary>Pools by PyTorch's definitions, looping over windows of [N, C, H, W].</summary>
internal static class PoolReference
{
    /// <summary>The windows along one axis: (first tap, taps, step, divisor) per output.</summary>
    public static (int Start, int Taps, int Step, int Divisor)[] Sliding(int size, int kernel, int stride, int padding, int dilation, bool ceilMode, bool countIncludePad)
    {
        int span = size + 2 * padding - dilation * (kernel - 1) - 1;
        int outputs = (int)(ceilMode ? Math.Ceiling((double)span / stride) : Math.Floor((double)span / stride)) + 1;
        if (ceilMode && (outputs - 1) * stride >= size + padding) outputs--;
        return [.. Enumerable.Range(0, outputs).Select(o =>
        {
            int start = o * stride - padding, end = Math.Min(start + kernel, size + padding);
            int divisor = countIncludePad ? end - start : Math.Min(end, size) - Math.Max(start, 0);
            return (start, kernel, dilation, divisor);
        })];
    }

    public static (int Start, int Taps, int Step, int Divisor)[] Adaptive(int size, int outputs) =>
        [.. Enumerable.Range(0, outputs).Select(o =>
        {
            int start = (int)Math.Floor((double)o * size / outputs), end = (int)Math.Ceiling((double)(o + 1) * size / outputs);
            return (start, end - start, 1, end - start);
        })];

    /// <summary>Folds the in-range taps of every window with <paramref name="fold"/> (values and the window's total divisor).</summary>
    public static Ref Pool(Ref x, (int Start, int Taps, int Step, int Divisor)[] rows, (int Start, int Taps, int Step, int Divisor)[] columns,
        Func<List<double>, int, double> fold)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var data = new List<double>();
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                foreach (var r in rows)
                    foreach (var col in columns)
                    {
                        var values = new List<double>();
                        for (int i = 0; i < r.Taps; i++)
                            for (int j = 0; j < col.Taps; j++)
                            {
                                int row = r.Start + i * r.Step, column = col.Start + j * col.Step;
                                if (row >= 0 && row < h && column >= 0 && column < w) values.Add(x[b, ch, row, column]);
                            }
                        data.Add(fold(values, r.Divisor * col.Divisor));
                    }
        return new Ref([n, c, rows.Length, columns.Length], [.. data]);
    }

    /// <summary>The largest value, NaN if any is NaN.</summary>
    public static double Max(List<double> values, int _) => values.Any(double.IsNaN) ? double.NaN : values.Max();

    public static double Average(List<double> values, int divisor) => values.Sum() / divisor;
}
