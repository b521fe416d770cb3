using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Convolutions on the CUDA device against the CPU backend: forward values and the gradients of input, weight and bias
/// through the tape (so all three products run: the convolution, its transpose and its weight gradient) for geometries
/// with stride, padding, dilation, groups (depthwise included) and the 1x1 shortcut, in every layout of x and w. They
/// run on whatever computes the device's convolutions: the own kernels on the emulator, cuDNN on a GPU that has it
/// (gpu/run.sh runs them a second time with ENGINE_CUDNN=0 for the own kernels there).
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class ConvolutionConformanceTests
{
    /// <summary>One geometry: input and weight shapes and the hyper-parameters.</summary>
    public sealed record ConvCase(int[] Input, int[] Weight, Size2d Stride, Size2d Padding, Size2d Dilation, int Groups)
    {
        public override string ToString() =>
            $"x {Conformance.Format(Input)} w {Conformance.Format(Weight)} stride {Stride} padding {Padding} dilation {Dilation} groups {Groups}";
    }

    public static readonly Dictionary<string, ConvCase> Geometries = new()
    {
        ["3x3 same"] = new([2, 4, 6, 5], [6, 4, 3, 3], 1, 1, 1, 1),
        ["3x3 stride 2"] = new([2, 3, 7, 6], [5, 3, 3, 3], 2, 1, 1, 1),
        ["dilated"] = new([1, 3, 9, 8], [4, 3, 3, 3], 1, 2, 2, 1),
        ["grouped, mixed"] = new([2, 4, 6, 7], [6, 2, 2, 3], (2, 1), (0, 1), (1, 2), 2),
        ["depthwise"] = new([2, 4, 5, 5], [4, 1, 3, 3], 1, 1, 1, 4),
        ["1x1 pointwise"] = new([3, 4, 5, 4], [6, 4, 1, 1], 1, 0, 1, 1),
        ["1x1 grouped pointwise"] = new([2, 6, 3, 4], [4, 3, 1, 1], 1, 0, 1, 2),
        ["1x1 stride 2 projection"] = new([2, 4, 6, 6], [8, 4, 1, 1], 2, 0, 1, 1),
        ["2x3 stride 3, gaps"] = new([2, 2, 8, 9], [3, 2, 2, 3], 3, (1, 0), 1, 1),
    };

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(Geometries.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConvolutionsAndTheirGradientsMatchTheCpu(string name, DType dtype, Layout layout)
    {
        var c = Geometries[name];
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(5000, c.Input, dtype, layout);
        var (w, _) = Sample.Make(5001, c.Weight, dtype, layout);
        var (b, _) = Sample.Make(5002, [c.Weight[0]], dtype, Layout.Strided);
        Conformance.Check($"Conv2d {name} ({c}) {dtype} {layout}",
            t => Functional.Conv2d(t[0], t[1], t[2], c.Stride, c.Padding, c.Dilation, c.Groups), DeviceTol.Accumulated(dtype), x, w, b);
    }

    /// <summary>
    /// Transposed convolutions, the last with an output padding as large as the dilation allows: its output is one row
    /// longer than a convolution's forward rule gives, which cuDNN rejects, so it runs on the own kernels everywhere.
    /// </summary>
    [Theory]
    [InlineData(DType.F32, Layout.Contiguous)]
    [InlineData(DType.F64, Layout.Transposed)]
    [InlineData(DType.F64, Layout.Strided)]
    public void TransposedConvolutionsMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(5010, [2, 4, 4, 3], dtype, layout);
        var (w, _) = Sample.Make(5011, [4, 3, 3, 3], dtype, layout);
        var (b, _) = Sample.Make(5012, [6], dtype, Layout.Contiguous);
        var tol = DeviceTol.Accumulated(dtype);
        Conformance.Check($"ConvTranspose2d stride 2 output padding 1 groups 2 {dtype} {layout}",
            t => Functional.ConvTranspose2d(t[0], t[1], t[2], 2, 1, 1, 1, 2), tol, x, w, b);
        Conformance.Check($"ConvTranspose2d dilation 3 output padding 2 {dtype} {layout}",
            t => Functional.ConvTranspose2d(t[0], t[1], null, 1, 1, 2, 3, 2), tol, x, w);
    }

    /// <summary>A column budget of a few images makes the own kernels run a batch in several chunks, with uneven last ones.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void BatchesSplitIntoChunksMatchTheCpu(DType dtype)
    {
        var backend = CudaTest.Backend;
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(5020, [7, 3, 5, 6], dtype, Layout.Transposed);
        var (w, _) = Sample.Make(5021, [4, 3, 3, 3], dtype, Layout.Contiguous);
        long perImage = 3L * 3 * 3 * 5 * 6 * dtype.ElementSize();
        long saved = backend.ColumnBufferBytes;
        backend.ColumnBufferBytes = 3 * perImage;
        try
        {
            Conformance.Check($"Conv2d of 7 images in chunks of 3 {dtype}", t => Functional.Conv2d(t[0], t[1], null, 1, 1), DeviceTol.Accumulated(dtype), x, w);
        }
        finally
        {
            backend.ColumnBufferBytes = saved;
        }
    }
}
