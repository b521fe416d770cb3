using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The normalisation kernels on the CUDA device against the CPU backend: mean and variance over every kind of axis set
/// (a row group per output, a thread per output, long reductions split across blocks), their accuracy when the mean is
/// large against the spread, both multiply-add kernels, and batch norm's running statistics.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class NormalizationConformanceTests
{
    /// <summary>Batch norm's axes (rows of pixels per channel), instance norm's, one middle axis and the first (a thread per output).</summary>
    private static readonly int[][] AxisSets = [[0, 2, 3], [2, 3], [1], [0], [0, 1, 2, 3]];

    [Theory]
    [MemberData(nameof(LayerConformanceTests.Cases), MemberType = typeof(LayerConformanceTests))]
    public void MeanAndVarianceOverAnyAxesMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(6000, [3, 5, 7, 4], dtype, layout);
        foreach (var axes in AxisSets)
            foreach (int correction in new[] { 0, 1 })
                Conformance.Check($"VarMean over {Conformance.Format(axes)} correction {correction} {dtype} {layout}", t =>
                {
                    var (variance, mean) = t[0].VarMean(axes, correction: correction);
                    return Tensor.Concat([variance.Reshape(-1), mean.Reshape(-1)]);
                }, DeviceTol.Accumulated(dtype), x);
    }

    /// <summary>Three long rows (the row kernel) and three long columns (the per-output kernel), each split across blocks.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void LongReductionsSplitAcrossBlocksMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (rows, _) = Sample.Make(6010, [2, 3, 20011], dtype, Layout.Contiguous);
        var (columns, _) = Sample.Make(6011, [20011, 3], dtype, Layout.Contiguous);
        Conformance.Check($"VarMean of [2, 3, 20011] over [0, 2] {dtype}", t => t[0].VarMean([0, 2]).Variance, DeviceTol.Accumulated(dtype), rows);
        Conformance.Check($"VarMean of [20011, 3] over [0] {dtype}", t => t[0].VarMean([0]).Mean, DeviceTol.Accumulated(dtype), columns);
    }

    /// <summary>
    /// F32 values 10^4 + u, u uniform in [-1, 1]: the variance (about 1/3) must come out within 1e-5 of the exact one. Summing
    /// x^2 in F32 would lose it entirely (10^8 n has no bits left for 1/3 n), so this holds the kernels to a sound scheme.
    /// </summary>
    [Fact]
    public void TheVarianceOfValuesFarFromZeroIsAccurateInF32()
    {
        using var scope = TensorScope.Begin();
        var (spread, _) = Sample.Make(6020, [4, 50000], DType.F64, Layout.Contiguous, -1, 1);
        var values = (spread + 1e4).To(DType.F32);
        var exact = values.To(DType.F64).Var([1], correction: 0).ToArray<double>();
        var (variance, _) = values.To(CudaTest.Device).VarMean([1], correction: 0);
        var actual = variance.ToArray<double>();
        for (int i = 0; i < exact.Length; i++)
            Assert.True(Math.Abs(actual[i] - exact[i]) <= 1e-5 * exact[i], $"row {i}: variance {actual[i]:R} on the device, exactly {exact[i]:R}");
    }

    /// <summary>
    /// Contiguous x with a per-channel scale and shift (the row kernel), the same with x transposed (the strided kernel),
    /// rows too short for a row group, full-shape operands (the contiguous path) and scalars.
    /// </summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void MultiplyAddMatchesTheCpuOnEveryPath(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var tol = DeviceTol.Elementwise(dtype);
        var (x, _) = Sample.Make(6030, [3, 4, 5, 8], dtype, Layout.Contiguous);
        var (xt, _) = Sample.Make(6031, [3, 4, 5, 8], dtype, Layout.Transposed);
        var (channel, _) = Sample.Make(6032, [1, 4, 1, 1], dtype, Layout.Contiguous);
        var (shift, _) = Sample.Make(6033, [4, 1, 1], dtype, Layout.Strided);
        var (pixel, _) = Sample.Make(6034, [1, 1, 1, 8], dtype, Layout.Contiguous);
        var (full, _) = Sample.Make(6035, [3, 4, 5, 8], dtype, Layout.Contiguous);
        var (offsets, _) = Sample.Make(6036, [3, 4, 5, 8], dtype, Layout.Contiguous);
        var (factor, _) = Sample.Make(6037, [], dtype, Layout.Contiguous);
        var (term, _) = Sample.Make(6038, [], dtype, Layout.Contiguous);
        Conformance.Check($"MultiplyAdd per channel {dtype}", t => Tensor.MultiplyAdd(t[0], t[1], t[2]), tol, x, channel, shift);
        Conformance.Check($"MultiplyAdd per channel, x transposed {dtype}", t => Tensor.MultiplyAdd(t[0], t[1], t[2]), tol, xt, channel, shift);
        Conformance.Check($"MultiplyAdd per pixel {dtype}", t => Tensor.MultiplyAdd(t[0], t[1], t[2]), tol, x, pixel, channel);
        Conformance.Check($"MultiplyAdd full shape {dtype}", t => Tensor.MultiplyAdd(t[0], t[1], t[2]), tol, x, full, offsets);
        Conformance.Check($"MultiplyAdd scalars {dtype}", t => Tensor.MultiplyAdd(t[0], t[1], t[2]), tol, x, factor, term);
    }

    /// <summary>Training batch norm updates the running statistics in place: the output and both statistics match.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void BatchNormRunningStatisticsMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(6040, [4, 3, 6, 5], dtype, Layout.Strided, 1, 5);
        var (mean, _) = Sample.Make(6041, [3], dtype, Layout.Contiguous);
        var (variance, _) = Sample.Make(6042, [3], dtype, Layout.Contiguous, 0.5, 2);
        Conformance.CheckForward($"BatchNorm with running statistics {dtype}", t =>
        {
            using (Tape.NoGrad())
            {
                var y = Functional.BatchNorm(t[0], t[1], t[2], training: true, momentum: 0.3);
                return Tensor.Concat([y.Reshape(-1), t[1], t[2]]);
            }
        }, DeviceTol.Accumulated(dtype), x, mean, variance);
    }
}
