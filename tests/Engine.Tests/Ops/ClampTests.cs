using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Clamp's bounds: inclusive, a degenerate interval, and one-sided clamps with infinite bounds.</summary>
public class ClampTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void LimitsEachElement(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var x = Ref.Of([6], -5, -2, -1, 0, 2, 7).ToTensor(dtype);
        Check.Exact([6], [-2, -2, -1, 0, 2, 3], x.Clamp(-2, 3));
        Check.Exact([6], [1, 1, 1, 1, 1, 1], x.Clamp(1, 1));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void InfiniteBoundsClampOneSide(DType dtype)
    {
        foreach (var layout in new[] { Layout.Contiguous, Layout.Transposed })
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(900, [13, 7], dtype, layout);
            Check.Exact(r.Map(v => Math.Max(v, 0.5)), x.Clamp(0.5, double.PositiveInfinity), $"lower {layout}");
            Check.Exact(r.Map(v => Math.Min(v, 0.5)), x.Clamp(double.NegativeInfinity, 0.5), $"upper {layout}");
        }
    }
}
