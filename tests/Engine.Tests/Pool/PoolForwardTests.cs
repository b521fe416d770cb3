using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Pool;

/// <summary>MaxPool2d, AvgPool2d and AdaptiveAvgPool2d against PyTorch's definitions, and their argument errors.</summary>
public class PoolForwardTests
{
    public sealed record SlidingCase(int[] Input, Size2d Kernel, Size2d Stride, Size2d Padding, Size2d Dilation, bool CeilMode)
    {
        public override string ToString() =>
            $"input {Check.Describe(Input)} kernel {Kernel} stride {Stride} padding {Padding} dilation {Dilation}{(CeilMode ? " ceil" : "")}";
    }

    private static readonly SlidingCase[] Sliding =
    [
        new([2, 3, 8, 8], 2, 2, 0, 1, false),
        new([1, 2, 7, 9], 3, 2, 1, 1, false),
        new([1, 2, 7, 9], 3, 2, 1, 1, true),
        new([2, 2, 10, 6], (3, 2), (2, 1), (1, 0), 1, true),
        new([1, 3, 9, 9], 3, 1, 1, 1, false),
        new([40, 20, 9, 10], 2, 2, 1, 1, true),
        new([2, 3, 20, 21], 2, 2, 0, 1, false),
        new([2, 2, 12, 37], 3, (1, 2), 1, 1, true),
    ];

    public static TheoryData<SlidingCase, DType, Layout> SlidingCases()
    {
        var data = new TheoryData<SlidingCase, DType, Layout>();
        foreach (var c in Sliding)
            foreach (var dtype in Sample.FloatTypes)
                foreach (var layout in new[] { Layout.Contiguous, Layout.Transposed })
                    data.Add(c, dtype, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(SlidingCases))]
    public void MaxPool2dMatchesTheDefinition(SlidingCase c, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, rx) = Sample.Make(1, c.Input, dtype, layout);
        foreach (var dilation in new Size2d[] { c.Dilation, (2, 1) })
        {
            if (2 * c.Padding.Height > dilation.Height * (c.Kernel.Height - 1) + 1) continue;
            var rows = PoolReference.Sliding(c.Input[2], c.Kernel.Height, c.Stride.Height, c.Padding.Height, dilation.Height, c.CeilMode, true);
            var columns = PoolReference.Sliding(c.Input[3], c.Kernel.Width, c.Stride.Width, c.Padding.Width, dilation.Width, c.CeilMode, true);
            var y = Functional.MaxPool2d(x, c.Kernel, c.Stride, c.Padding, dilation, c.CeilMode);
            Check.Exact(PoolReference.Pool(rx, rows, columns, PoolReference.Max), y, $"MaxPool2d {c} dilation {dilation} {dtype} {layout}");
        }
    }

    /// <summary>The gradient goes to each window's maximum: the F32 kernels (SIMD where windows lie inside) agree with F64's.</summary>
    public static TheoryData<SlidingCase, Layout> SlidingLayouts()
    {
        var data = new TheoryData<SlidingCase, Layout>();
        foreach (var c in Sliding)
            foreach (var layout in new[] { Layout.Contiguous, Layout.Transposed })
                data.Add(c, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(SlidingLayouts))]
    public void MaxPool2dGradientReachesTheSameElementsInF32AsInF64(SlidingCase c, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(5, c.Input, DType.F32, layout);
        double[] Gradient(Tensor input)
        {
            using var tape = Engine.Autodiff.Tape.Record();
            tape.Watch(input);
            var y = Functional.MaxPool2d(input, c.Kernel, c.Stride, c.Padding, 1, c.CeilMode);
            return tape.Gradients([y], [Tensor.Ones(y.Shape, input.DType)], [input])[0].ToArray<double>();
        }
        Assert.Equal(Gradient(x.To(DType.F64)), Gradient(x));
    }

    [Theory]
    [MemberData(nameof(SlidingCases))]
    public void AvgPool2dMatchesTheDefinition(SlidingCase c, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, rx) = Sample.Make(2, c.Input, dtype, layout);
        foreach (bool countIncludePad in new[] { true, false })
        {
            var rows = PoolReference.Sliding(c.Input[2], c.Kernel.Height, c.Stride.Height, c.Padding.Height, 1, c.CeilMode, countIncludePad);
            var columns = PoolReference.Sliding(c.Input[3], c.Kernel.Width, c.Stride.Width, c.Padding.Width, 1, c.CeilMode, countIncludePad);
            var y = Functional.AvgPool2d(x, c.Kernel, c.Stride, c.Padding, c.CeilMode, countIncludePad);
            Check.Close(PoolReference.Pool(rx, rows, columns, PoolReference.Average), y, Tol.Reduction(dtype), $"AvgPool2d {c} countIncludePad {countIncludePad} {dtype} {layout}");
        }
    }

    [Theory]
    [InlineData(DType.F32, 7, 5, 3, 2)]
    [InlineData(DType.F64, 7, 5, 3, 2)]
    [InlineData(DType.F64, 8, 8, 1, 1)]
    [InlineData(DType.F32, 5, 6, 5, 6)]
    [InlineData(DType.F64, 3, 4, 5, 7)]
    public void AdaptiveAvgPool2dMatchesTheDefinition(DType dtype, int height, int width, int outHeight, int outWidth)
    {
        using var scope = TensorScope.Begin();
        var (x, rx) = Sample.Make(3, [2, 3, height, width], dtype, Layout.Strided);
        var expected = PoolReference.Pool(rx, PoolReference.Adaptive(height, outHeight), PoolReference.Adaptive(width, outWidth), PoolReference.Average);
        Check.Close(expected, Functional.AdaptiveAvgPool2d(x, (outHeight, outWidth)), Tol.Reduction(dtype), $"AdaptiveAvgPool2d {height}x{width} -> {outHeight}x{outWidth} {dtype}");
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void MaxPool2dPropagatesNaN(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var values = Enumerable.Range(0, 2 * 20).Select(i => (double)i).ToArray();
        values[3] = double.NaN;
        values[20 + 10] = double.NaN;
        var x = Tensor.From(values, [1, 1, 2, 20]).To(dtype);
        double[] expected = [21, double.NaN, 25, 27, 29, double.NaN, 33, 35, 37, 39];
        Check.Exact([1, 1, 1, 10], expected, Functional.MaxPool2d(x, 2));
    }

    [Fact]
    public void BadArgumentsNameTheOpAndWhatWasExpected()
    {
        using var scope = TensorScope.Begin();
        var image = Tensor.Zeros([1, 2, 5, 5]);
        Expect.Throws<ArgumentException>(() => Functional.MaxPool2d(image, 3, padding: 2), "MaxPool2d", "padding 2", "half of the kernel extent 3");
        Expect.Throws<ArgumentException>(() => Functional.AvgPool2d(image, 7), "AvgPool2d", "kernel extent 7", "padded input 5");
        Expect.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros([2, 5, 5]), 2), "MaxPool2d", "[N, C, H, W]", "[2, 5, 5]");
        Expect.Throws<ArgumentException>(() => Functional.AdaptiveAvgPool2d(image, 0), "AdaptiveAvgPool2d", "output size must be positive");
        Expect.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros([1, 1, 1, 3]), (2, 1), 1, (1, 0), (2, 1)), "MaxPool2d", "window 0 (height) covers only padding");
        Expect.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros([1, 1, 4, 4], DType.I64), 2), "MaxPool2d", "F32 or F64");
    }
}
