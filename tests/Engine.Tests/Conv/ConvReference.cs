using Engine.Tests.Support;

namespace Engine.Tests.Conv;

/// <summary>Hyper-parameters of one 2-D convolution, as PyTorch names them.</summary>
public sealed record ConvParams(Size2d Stride, Size2d Padding, Size2d Dilation, int Groups)
{
    public static ConvParams Default { get; } = new(1, 0, 1, 1);

    public override string ToString() => $"stride {Stride} padding {Padding} dilation {Dilation} groups {Groups}";
}

/// <summary>
/// Convolutions by their definitions, as plain loops over every (output, tap) pair, with the error bound
/// 2 k u sum |terms| of any summation order for each result (k terms, unit roundoff u).
/// </summary>
internal static class ConvReference
{
    /// <summary>One tap: output element, input element and weight element that multiply, for every valid pair of conv(x, w).</summary>
    private static IEnumerable<(int Output, int Input, int Weight)> Taps(int[] x, int[] w, ConvParams p, int outHeight, int outWidth)
    {
        int n = x[0], c = x[1], h = x[2], wd = x[3], k = w[0], cg = w[1], r = w[2], s = w[3];
        int mg = k / p.Groups;
        for (int b = 0; b < n; b++)
            for (int o = 0; o < k; o++)
                for (int i = 0; i < outHeight; i++)
                    for (int j = 0; j < outWidth; j++)
                        for (int ci = 0; ci < cg; ci++)
                            for (int ri = 0; ri < r; ri++)
                                for (int si = 0; si < s; si++)
                                {
                                    int row = i * p.Stride.Height - p.Padding.Height + ri * p.Dilation.Height;
                                    int col = j * p.Stride.Width - p.Padding.Width + si * p.Dilation.Width;
                                    if (row < 0 || row >= h || col < 0 || col >= wd) continue;
                                    int channel = o / mg * cg + ci;
                                    yield return (((b * k + o) * outHeight + i) * outWidth + j, ((b * c + channel) * h + row) * wd + col,
                                        ((o * cg + ci) * r + ri) * s + si);
                                }
    }

    public static int OutputSize(int size, int kernel, int stride, int padding, int dilation) =>
        (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;

    /// <summary>conv2d(x, w) + b.</summary>
    public static (Ref Value, Ref Bound) Forward(Ref x, Ref w, Ref? b, ConvParams p, double u)
    {
        int outHeight = OutputSize(x.Shape[2], w.Shape[2], p.Stride.Height, p.Padding.Height, p.Dilation.Height);
        int outWidth = OutputSize(x.Shape[3], w.Shape[3], p.Stride.Width, p.Padding.Width, p.Dilation.Width);
        int[] shape = [x.Shape[0], w.Shape[0], outHeight, outWidth];
        var sum = new Accumulator(Ref.Count(shape), w.Shape[1] * w.Shape[2] * w.Shape[3] + 1, u);
        foreach (var (output, input, weight) in Taps(x.Shape, w.Shape, p, outHeight, outWidth))
            sum.Add(output, x.Data[input] * w.Data[weight]);
        if (b is not null)
            for (int i = 0; i < sum.Count; i++) sum.Add(i, b.Data[i / (outHeight * outWidth) % w.Shape[0]]);
        return sum.Result(shape);
    }

    /// <summary>The transposed convolution of y (shaped like conv(x)'s output) back to <paramref name="inputShape"/>, + b per channel.</summary>
    public static (Ref Value, Ref Bound) Transpose(Ref y, Ref w, Ref? b, int[] inputShape, ConvParams p, double u)
    {
        int terms = w.Shape[0] / p.Groups * w.Shape[2] * w.Shape[3] + 1;
        var sum = new Accumulator(Ref.Count(inputShape), terms, u);
        foreach (var (output, input, weight) in Taps(inputShape, w.Shape, p, y.Shape[2], y.Shape[3]))
            sum.Add(input, y.Data[output] * w.Data[weight]);
        if (b is not null)
        {
            int plane = inputShape[2] * inputShape[3];
            for (int i = 0; i < sum.Count; i++) sum.Add(i, b.Data[i / plane % inputShape[1]]);
        }
        return sum.Result(inputShape);
    }

    /// <summary>The gradient of sum(gy * conv2d(x, w)) with respect to w.</summary>
    public static (Ref Value, Ref Bound) WeightGradient(Ref x, Ref gy, int[] weightShape, ConvParams p, double u)
    {
        var sum = new Accumulator(Ref.Count(weightShape), gy.Shape[0] * gy.Shape[2] * gy.Shape[3], u);
        foreach (var (output, input, weight) in Taps(x.Shape, weightShape, p, gy.Shape[2], gy.Shape[3]))
            sum.Add(weight, gy.Data[output] * x.Data[input]);
        return sum.Result(weightShape);
    }

    /// <summary>Sums with the magnitude of their terms, for the error bound.</summary>
    private sealed class Accumulator(int count, int terms, double u)
    {
        private readonly double[] values = new double[count], magnitudes = new double[count];

        public int Count => values.Length;

        public void Add(int i, double term)
        {
            values[i] += term;
            magnitudes[i] += Math.Abs(term);
        }

        public (Ref, Ref) Result(int[] shape) =>
            (new Ref(shape, values), new Ref(shape, [.. magnitudes.Select(m => 2 * terms * u * m + 1e-300)]));
    }
}
