using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class ReductionGradTests
{
    private static readonly Dictionary<string, (Func<Tensor, int[], bool, Tensor> F, Domain Domain)> Ops = new()
    {
        ["Sum"] = ((x, axes, keepDim) => x.Sum(axes, keepDim), Domain.Normal),
        ["Mean"] = ((x, axes, keepDim) => x.Mean(axes, keepDim), Domain.Normal),
        ["Max"] = ((x, axes, keepDim) => x.Max(axes, keepDim), Domain.Distinct),
        ["Min"] = ((x, axes, keepDim) => x.Min(axes, keepDim), Domain.Distinct),
        ["LogSumExp"] = ((x, axes, keepDim) => x.LogSumExp(axes, keepDim), Domain.Normal),
        ["LogSumExp, wide"] = ((x, axes, keepDim) => x.LogSumExp(axes, keepDim), Domain.Wide),
    };

    public static TheoryData<string> Names => [.. Ops.Keys];

    /// <summary>An input, a subset of its axes (empty: all) that reduces at least <paramref name="minCount"/> elements into each result, and keepDim.</summary>
    private static Gen<(InputSpec x, int[] axes, bool keepDim)> Cases(Domain domain, int minCount = 1) =>
        from shape in GradGen.Shape()
        from axes in GradGen.Axes(shape.Length)
        where ReducedCount(shape, axes) >= minCount
        from keepDim in GradGen.Bool
        from x in GradGen.Input(domain, shape)
        select (x, axes, keepDim);

    private static int ReducedCount(int[] shape, int[] axes) =>
        axes.Length == 0 ? shape.Aggregate(1, (n, d) => n * d) : axes.Aggregate(1, (n, a) => n * shape[a < 0 ? a + shape.Length : a]);

    private static string Name(string op, int[] axes, bool keepDim) => $"{op}(axes [{string.Join(", ", axes)}], keepDim {keepDim})";

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_over_random_axes_matches_finite_differences(string op)
    {
        var (f, domain) = Ops[op];
        GradProperty.ForAll(Cases(domain), c => GradCheck.Check(Name(op, c.axes, c.keepDim), a => f(a[0], c.axes, c.keepDim), c.x.Create()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Var_gradient_matches_finite_differences(int correction) =>
        GradProperty.ForAll(Cases(Domain.Normal, minCount: correction + 1), c =>
            GradCheck.Check(Name($"Var correction {correction}", c.axes, c.keepDim), a => a[0].Var(c.axes, c.keepDim, correction), c.x.Create()));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Std_gradient_matches_finite_differences(int correction) =>
        GradProperty.ForAll(Cases(Domain.Distinct, minCount: 2), c =>
            GradCheck.Check(Name($"Std correction {correction}", c.axes, c.keepDim), a => a[0].Std(c.axes, c.keepDim, correction), c.x.Create()));

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void Norm_gradient_matches_finite_differences(double p) =>
        GradProperty.ForAll(Cases(double.IsPositiveInfinity(p) ? Domain.Distinct : Domain.AwayFromZero), c =>
            GradCheck.Check(Name($"Norm p = {p}", c.axes, c.keepDim), a => a[0].Norm(c.axes, c.keepDim, p), c.x.Create()));
}
