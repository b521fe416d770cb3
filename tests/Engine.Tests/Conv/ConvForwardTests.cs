using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Conv;

/// <summary>
/// Conv2d, ConvTranspose2d and the convolution gradients against the plain-loop reference, on shapes that reach
/// every branch of the CPU kernels: several NR-pixel strips and a partial one, reductions deeper than one KC slice,
/// output channels that are not a multiple of MR, groups, strides (the col2im path of the transpose), dilations,
/// paddings larger than the dilated kernel (a negative padding in the flipped-kernel transpose), work large enough
/// to be split over the cores, and non-contiguous operands.
/// </summary>
public class ConvForwardTests
{
    public sealed record Case(string Name, int[] Input, int[] Weight, ConvParams Params)
    {
        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    [
        new("3x3 same", [2, 3, 9, 11], [5, 3, 3, 3], new(1, 1, 1, 1)),
        new("1x1", [2, 7, 6, 10], [9, 7, 1, 1], ConvParams.Default),
        new("deep reduction, strips, parallel", [3, 24, 20, 19], [10, 24, 3, 3], new(1, 1, 1, 1)),
        new("stride 2", [2, 4, 13, 12], [6, 4, 3, 3], new(2, 1, 1, 1)),
        new("stride (1, 3), padding (2, 0)", [1, 3, 8, 14], [4, 3, 3, 2], new((1, 3), (2, 0), 1, 1)),
        new("dilation 2", [2, 3, 11, 10], [4, 3, 3, 3], new(1, 2, 2, 1)),
        new("groups 2", [2, 6, 8, 9], [8, 3, 3, 3], new(1, 1, 1, 2)),
        new("depthwise", [2, 4, 7, 7], [4, 1, 3, 3], new(1, 1, 1, 4)),
        new("padding beyond the kernel", [1, 2, 5, 6], [3, 2, 2, 2], new(1, 3, 1, 1)),
        new("5x5 stride 2 dilation 2 groups 3", [2, 6, 17, 15], [9, 2, 5, 5], new(2, 3, 2, 3)),
        new("one output pixel", [2, 3, 3, 3], [4, 3, 3, 3], ConvParams.Default),
    ];

    public static TheoryData<Case, DType, Layout> All()
    {
        var data = new TheoryData<Case, DType, Layout>();
        foreach (var c in Cases)
            foreach (var dtype in Sample.FloatTypes)
                foreach (var layout in new[] { Layout.Contiguous, Layout.Strided })
                    data.Add(c, dtype, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Conv2dMatchesTheReference(Case c, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, rx) = Sample.Make(1, c.Input, dtype, layout);
        var (w, rw) = Sample.Make(2, c.Weight, dtype, layout);
        var (b, rb) = Sample.Make(3, [c.Weight[0]], dtype, layout);
        var p = c.Params;
        var (expected, bound) = ConvReference.Forward(rx, rw, rb, p, Tol.UnitRoundoff(dtype));
        var y = Functional.Conv2d(x, w, b, p.Stride, p.Padding, p.Dilation, p.Groups);
        Check.WithinBounds(expected, bound, y, $"Conv2d {c} {dtype} {layout}");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void GradientsMatchTheReference(Case c, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, rx) = Sample.Make(4, c.Input, dtype, layout);
        var (w, rw) = Sample.Make(5, c.Weight, dtype, layout);
        var p = c.Params;
        using var tape = Tape.Record();
        tape.Watch(x);
        tape.Watch(w);
        var y = Functional.Conv2d(x, w, null, p.Stride, p.Padding, p.Dilation, p.Groups);
        var (gy, rgy) = Sample.Make(6, y.Shape, dtype, layout);
        var grads = tape.Gradients([y], [gy], [x, w]);
        double u = Tol.UnitRoundoff(dtype);
        var (gx, gxBound) = ConvReference.Transpose(rgy, rw, null, c.Input, p, u);
        var (gw, gwBound) = ConvReference.WeightGradient(rx, rgy, c.Weight, p, u);
        Check.WithinBounds(gx, gxBound, grads[0], $"input gradient {c} {dtype} {layout}");
        Check.WithinBounds(gw, gwBound, grads[1], $"weight gradient {c} {dtype} {layout}");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ConvTranspose2dMatchesTheReference(Case c, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var p = c.Params;
        int outHeight = ConvReference.OutputSize(c.Input[2], c.Weight[2], p.Stride.Height, p.Padding.Height, p.Dilation.Height);
        int outWidth = ConvReference.OutputSize(c.Input[3], c.Weight[3], p.Stride.Width, p.Padding.Width, p.Dilation.Width);
        // The transposed convolution maps conv's output space back to its input space; output padding restores the
        // rows and columns conv's floor division dropped, where that is allowed.
        int rowsLeft = (c.Input[2] + 2 * p.Padding.Height - p.Dilation.Height * (c.Weight[2] - 1) - 1) % p.Stride.Height;
        int columnsLeft = (c.Input[3] + 2 * p.Padding.Width - p.Dilation.Width * (c.Weight[3] - 1) - 1) % p.Stride.Width;
        int[] inputShape = [c.Input[0], c.Input[1], c.Input[2] - rowsLeft, c.Input[3] - columnsLeft];
        var (x, rx) = Sample.Make(7, [c.Input[0], c.Weight[0], outHeight, outWidth], dtype, layout);
        var (w, rw) = Sample.Make(8, c.Weight, dtype, layout);
        var (b, rb) = Sample.Make(9, [c.Input[1]], dtype, layout);
        var (expected, bound) = ConvReference.Transpose(rx, rw, rb, inputShape, p, Tol.UnitRoundoff(dtype));
        var y = Functional.ConvTranspose2d(x, w, b, p.Stride, p.Padding, 0, p.Dilation, p.Groups);
        Check.WithinBounds(expected, bound, y, $"ConvTranspose2d {c} {dtype} {layout}");
    }
}
