using Engine.Random;
using Xunit;

namespace Engine.Tests.Random;

/// <summary>
/// Moments of 100 000 draws. Bounds are loose (more than 10 standard errors), so they catch a wrong transform,
/// not bad luck.
/// </summary>
public class DistributionTests
{
    private const int N = 100_000;

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void UniformValuesLieInTheUnitIntervalWithMeanOneHalf(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var values = Tensor.Rand([N], dtype, new Generator(11)).ToArray<double>();
        Assert.All(values, v => Assert.InRange(v, 0.0, Math.BitDecrement(1.0)));
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / N;
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(variance, 1.0 / 12 - 0.005, 1.0 / 12 + 0.005);
        Assert.True(values.Min() < 1e-3 && values.Max() > 1 - 1e-3);
        Assert.InRange(values.Count(v => v < 0.25), 0.24 * N, 0.26 * N);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void NormalValuesHaveMeanZeroAndStandardDeviationOne(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var values = Tensor.Randn([N], dtype, new Generator(12)).ToArray<double>();
        Assert.All(values, v => Assert.True(double.IsFinite(v)));
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (N - 1));
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);
        Assert.InRange(values.Count(v => Math.Abs(v) < 1) / (double)N, 0.6827 - 0.01, 0.6827 + 0.01);
        Assert.InRange(values.Count(v => v > 0) / (double)N, 0.49, 0.51);
    }
}
