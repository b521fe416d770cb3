using Engine.Ops;
using Engine.Tests.Autodiff;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Pool;

/// <summary>Finite-difference gradient properties of the pools (distinct values for max pooling, so no window ties).</summary>
public class PoolGradTests
{
    private static readonly Gen<int[]> Image =
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        from h in Gen.Choose(1, 6)
        from w in Gen.Choose(1, 6)
        select (int[])[n, c, h, w];

    /// <summary>Kernel, stride, padding and dilation that fit an image of <paramref name="shape"/>.</summary>
    private static Gen<(Size2d Kernel, Size2d Stride, Size2d Padding, Size2d Dilation, bool CeilMode)> Window(int[] shape, bool dilated) =>
        from kh in Gen.Choose(1, 3)
        from kw in Gen.Choose(1, 3)
        from sh in Gen.Choose(1, 3)
        from sw in Gen.Choose(1, 3)
        from dh in dilated ? Gen.Choose(1, 2) : Gen.Constant(1)
        from dw in dilated ? Gen.Choose(1, 2) : Gen.Constant(1)
        from ph in Gen.Choose(0, (dh * (kh - 1) + 1) / 2)
        from pw in Gen.Choose(0, (dw * (kw - 1) + 1) / 2)
        from ceil in GradGen.Bool
        where Fits(shape[2], kh, sh, ph, dh, ceil) && Fits(shape[3], kw, sw, pw, dw, ceil)
        select (new Size2d(kh, kw), new Size2d(sh, sw), new Size2d(ph, pw), new Size2d(dh, dw), ceil);

    /// <summary>Whether every window along an axis reaches the input (the pools reject windows that cover only padding).</summary>
    private static bool Fits(int size, int kernel, int stride, int padding, int dilation, bool ceilMode) =>
        size + 2 * padding >= dilation * (kernel - 1) + 1
        && PoolReference.Sliding(size, kernel, stride, padding, dilation, ceilMode, true)
            .All(w => Enumerable.Range(0, w.Taps).Any(i => w.Start + i * w.Step >= 0 && w.Start + i * w.Step < size));

    [Fact]
    public void MaxPool2d() =>
        GradProperty.ForAll(
            from shape in Image
            from window in Window(shape, dilated: true)
            from x in GradGen.Input(Domain.Distinct, shape)
            select (x, window),
            c => GradCheck.Check($"MaxPool2d{c.window}", a => Functional.MaxPool2d(a[0], c.window.Kernel, c.window.Stride, c.window.Padding, c.window.Dilation, c.window.CeilMode), c.x.Create()));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AvgPool2d(bool countIncludePad) =>
        GradProperty.ForAll(
            from shape in Image
            from window in Window(shape, dilated: false)
            from x in GradGen.Input(Domain.Normal, shape)
            select (x, window),
            c => GradCheck.Check($"AvgPool2d{c.window} countIncludePad {countIncludePad}",
                a => Functional.AvgPool2d(a[0], c.window.Kernel, c.window.Stride, c.window.Padding, c.window.CeilMode, countIncludePad), c.x.Create()));

    [Fact]
    public void AdaptiveAvgPool2d() =>
        GradProperty.ForAll(
            from shape in Image
            from outHeight in Gen.Choose(1, 4)
            from outWidth in Gen.Choose(1, 4)
            from x in GradGen.Input(Domain.Normal, shape)
            select (x, size: new Size2d(outHeight, outWidth)),
            c => GradCheck.Check($"AdaptiveAvgPool2d{c.size}", a => Functional.AdaptiveAvgPool2d(a[0], c.size), c.x.Create()));

    /// <summary>Max pooling's backward op (a scatter to fixed positions) has a rule of its own: a gather from them.</summary>
    [Fact]
    public void MaxPool2d_backward_op() =>
        GradProperty.ForAll(
            from shape in Image
            from window in Window(shape, dilated: true)
            from x in GradGen.Input(Domain.Distinct, shape)
            from seed in GradGen.Seed
            select (shape, window, x, seed),
            c =>
            {
                var windows = new Pool2dWindows(
                    PoolAxis.Sliding("test", "height", c.shape[2], c.window.Kernel.Height, c.window.Stride.Height, c.window.Padding.Height, c.window.Dilation.Height, c.window.CeilMode, true),
                    PoolAxis.Sliding("test", "width", c.shape[3], c.window.Kernel.Width, c.window.Stride.Width, c.window.Padding.Width, c.window.Dilation.Width, c.window.CeilMode, true));
                var input = c.x.Create();
                int[] outputShape = [c.shape[0], c.shape[1], windows.Rows.Outputs, windows.Columns.Outputs];
                var y = Tensor.Zeros(outputShape, DType.F64);
                var indices = Tensor.Zeros(outputShape, DType.I64);
                input.Backend.MaxPool2d(input.Buffer, y.Buffer, indices.Buffer, windows);
                var gy = Tensor.From(Domain.Normal.Values(outputShape, c.seed), outputShape);
                GradCheck.Check($"MaxPool2dBackward{c.window}", a => Pooling.MaxScatter(a[0], indices, c.shape, windows), gy);
            });

    /// <summary>The transpose of average pooling (its backward op) has a rule of its own: average pooling again.</summary>
    [Fact]
    public void AvgPool2d_transpose() =>
        GradProperty.ForAll(
            from shape in Image
            from outHeight in Gen.Choose(1, 3)
            from outWidth in Gen.Choose(1, 3)
            from gy in GradGen.Input(Domain.Normal, [shape[0], shape[1], outHeight, outWidth])
            select (shape, gy),
            c =>
            {
                var windows = new Pool2dWindows(PoolAxis.Adaptive("test", "height", c.shape[2], c.gy.Shape[2]), PoolAxis.Adaptive("test", "width", c.shape[3], c.gy.Shape[3]));
                GradCheck.Check("AvgPool2dTranspose", a => Pooling.AverageTranspose(a[0], windows, c.shape), c.gy.Create());
            });
}
