using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class MatMulGradTests
{
    private static readonly Gen<int> Dim = Gen.Choose(1, 4);

    private static void CheckMatMul(Gen<(int[] a, int[] b)> shapes) =>
        GradProperty.ForAll(
            from s in shapes
            from a in GradGen.Input(Domain.Normal, s.a)
            from b in GradGen.Input(Domain.Normal, s.b)
            select (a, b),
            c => GradCheck.Check("MatMul", x => x[0].MatMul(x[1]), c.a.Create(), c.b.Create()));

    [Fact]
    public void Matrix_times_matrix() =>
        CheckMatMul(from m in Dim from k in Dim from n in Dim select ((int[])[m, k], (int[])[k, n]));

    [Fact]
    public void Batched_with_broadcast_batch_dimensions() =>
        CheckMatMul(
            from batch in GradGen.BroadcastShapes(2, maxRank: 2)
            from m in Dim
            from k in Dim
            from n in Dim
            select ((int[])[.. batch[0], m, k], (int[])[.. batch[1], k, n]));

    [Fact]
    public void Vector_times_matrix() =>
        CheckMatMul(
            from batch in GradGen.Shape(0, 1, maxDim: 3)
            from k in Dim
            from n in Dim
            select ((int[])[k], (int[])[.. batch, k, n]));

    [Fact]
    public void Matrix_times_vector() =>
        CheckMatMul(
            from batch in GradGen.Shape(0, 1, maxDim: 3)
            from m in Dim
            from k in Dim
            select ((int[])[.. batch, m, k], (int[])[k]));

    [Fact]
    public void Vector_times_vector() => CheckMatMul(from k in Dim select ((int[])[k], (int[])[k]));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear(bool withBias)
    {
        var cases =
            from lead in GradGen.Shape(0, 2, maxDim: 3)
            from inFeatures in Dim
            from outFeatures in Dim
            from x in GradGen.Input(Domain.Normal, [.. lead, inFeatures])
            from weight in GradGen.Input(Domain.Normal, [outFeatures, inFeatures])
            from bias in GradGen.Input(Domain.Normal, [outFeatures])
            select (x, weight, bias);
        GradProperty.ForAll(cases, c =>
        {
            Tensor[] inputs = withBias ? [c.x.Create(), c.weight.Create(), c.bias.Create()] : [c.x.Create(), c.weight.Create()];
            GradCheck.Check(withBias ? "Linear with bias" : "Linear", x => Tensor.Linear(x[0], x[1], withBias ? x[2] : null), inputs);
        });
    }
}
