using Engine.Tests.Autodiff;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Norm;

/// <summary>Finite-difference gradient properties of VarMean, MultiplyAdd and the normalisation functions.</summary>
public class NormGradTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    public void VarMean_variance_and_mean_over_random_axes(int correction, bool variance)
    {
        var cases =
            from shape in GradGen.Shape(1, 4)
            from axes in GradGen.Axes(shape.Length)
            let count = (axes.Length == 0 ? shape : axes.Select(a => shape[(a + shape.Length) % shape.Length])).Aggregate(1, (n, d) => n * d)
            where count > correction
            from keepDim in GradGen.Bool
            from x in GradGen.Input(Domain.Normal, shape)
            select (x, axes, keepDim);
        GradProperty.ForAll(cases, c =>
        {
            string name = $"VarMean(axes [{string.Join(", ", c.axes)}], keepDim {c.keepDim}, correction {correction}) {(variance ? "variance" : "mean")}";
            GradCheck.Check(name, a =>
            {
                var (v, m) = a[0].VarMean(c.axes, c.keepDim, correction);
                return variance ? v : m;
            }, c.x.Create());
        });
    }

    [Fact]
    public void VarMean_variance_times_mean_uses_both_outputs() =>
        GradProperty.ForAll(GradGen.Input(Domain.Normal, GradGen.Shape(1, 3).Where(s => s.Aggregate(1, (n, d) => n * d) > 1)), x =>
            GradCheck.Check("VarMean variance * mean", a =>
            {
                var (v, m) = a[0].VarMean();
                return v * m + m.Square();
            }, x.Create()));

    [Fact]
    public void MultiplyAdd_with_three_broadcast_operands() =>
        GradProperty.ForAll(
            from shapes in GradGen.BroadcastShapes(3)
            from x in GradGen.Input(Domain.Normal, shapes[0])
            from a in GradGen.Input(Domain.Normal, shapes[1])
            from b in GradGen.Input(Domain.Normal, shapes[2])
            select (x, a, b),
            c => GradCheck.Check("MultiplyAdd", t => Tensor.MultiplyAdd(t[0], t[1], t[2]), c.x.Create(), c.a.Create(), c.b.Create()));

    /// <summary>[N, C, *] with at least two values per channel.</summary>
    private static Gen<int[]> ChannelShape(int minRank) =>
        from shape in GradGen.Shape(minRank, 4)
        where shape.Aggregate(1, (n, d) => n * d) / shape[1] >= 2
        select shape;

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void BatchNorm_gradients_for_input_weight_and_bias(bool training, bool affine)
    {
        var cases =
            from shape in ChannelShape(2)
            from x in GradGen.Input(Domain.Normal, shape)
            from w in GradGen.Input(Domain.Normal, [shape[1]])
            from b in GradGen.Input(Domain.Normal, [shape[1]])
            from runningMean in GradGen.Input(Domain.Normal, [shape[1]])
            from runningVar in GradGen.Input(Domain.Positive, [shape[1]])
            select (x, w, b, runningMean, runningVar);
        GradProperty.ForAll(cases, c =>
        {
            Tensor? mean = training ? null : c.runningMean.Create(), variance = training ? null : c.runningVar.Create();
            Tensor[] inputs = affine ? [c.x.Create(), c.w.Create(), c.b.Create()] : [c.x.Create()];
            GradCheck.Check($"BatchNorm(training {training}, affine {affine})",
                a => Functional.BatchNorm(a[0], mean, variance, affine ? a[1] : null, affine ? a[2] : null, training), inputs);
        });
    }

    [Fact]
    public void GroupNorm_gradients_for_input_weight_and_bias()
    {
        var cases =
            from groups in Gen.Choose(1, 3)
            from perGroup in Gen.Choose(1, 2)
            from batch in Gen.Choose(1, 2)
            from spatial in GradGen.Shape(0, 2, maxDim: 3)
            where perGroup * spatial.Aggregate(1, (n, d) => n * d) >= 2
            let shape = (int[])[batch, groups * perGroup, .. spatial]
            from x in GradGen.Input(Domain.Normal, shape)
            from w in GradGen.Input(Domain.Normal, [shape[1]])
            from b in GradGen.Input(Domain.Normal, [shape[1]])
            select (groups, x, w, b);
        GradProperty.ForAll(cases, c =>
            GradCheck.Check($"GroupNorm(groups {c.groups})", a => Functional.GroupNorm(a[0], c.groups, a[1], a[2]), c.x.Create(), c.w.Create(), c.b.Create()));
    }

    [Fact]
    public void LayerNorm_gradients_for_input_weight_and_bias()
    {
        var cases =
            from shape in GradGen.Shape(1, 3)
            from k in Gen.Choose(1, shape.Length)
            let normalized = shape[^k..]
            where normalized.Aggregate(1, (n, d) => n * d) >= 2
            from x in GradGen.Input(Domain.Normal, shape)
            from w in GradGen.Input(Domain.Normal, normalized)
            from b in GradGen.Input(Domain.Normal, normalized)
            select (normalized, x, w, b);
        GradProperty.ForAll(cases, c =>
            GradCheck.Check($"LayerNorm({InputSpec.Format(c.normalized)})", a => Functional.LayerNorm(a[0], c.normalized, a[1], a[2]), c.x.Create(), c.w.Create(), c.b.Create()));
    }
}
