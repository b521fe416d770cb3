using Engine.Random;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class CompositeGradTests
{
    private static readonly Gen<int> Dim = Gen.Choose(1, 4);

    [Fact]
    public void Two_layer_mlp_cross_entropy_loss_with_respect_to_inputs_weights_and_biases()
    {
        var cases =
            from n in Dim
            from inFeatures in Dim
            from hidden in Dim
            from classes in Gen.Choose(2, 4)
            from labels in GradGen.Indices(n, classes)
            from x in GradGen.Input(Domain.Normal, [n, inFeatures])
            from w1 in GradGen.Input(Domain.Normal, [hidden, inFeatures])
            from b1 in GradGen.Input(Domain.Normal, [hidden])
            from w2 in GradGen.Input(Domain.Normal, [classes, hidden])
            from b2 in GradGen.Input(Domain.Normal, [classes])
            select (inputs: new[] { x, w1, b1, w2, b2 }, labels);
        GradProperty.ForAll(cases, c =>
        {
            var labels = Tensor.From(c.labels);
            GradCheck.Check("MLP loss", p => Functional.CrossEntropy(Tensor.Linear(Tensor.Linear(p[0], p[1], p[2]).Tanh(), p[3], p[4]), labels),
                [.. c.inputs.Select(i => i.Create())]);
        });
    }

    [Fact]
    public void Gradients_of_a_tensor_used_several_times_accumulate() =>
        GradProperty.ForAll(GradGen.Input(Domain.Normal), x => GradCheck.Check("x * x + x.Exp() * x", a => a[0] * a[0] + a[0].Exp() * a[0], x.Create()));

    private static readonly Dictionary<string, Func<Tensor, Tensor>> SharedInputOps = new()
    {
        ["Mul(x, x)"] = x => x.Mul(x),
        ["Pow(x, x)"] = x => x.Pow(x),
        ["Concat([x, x])"] = x => Tensor.Concat([x, x], 0),
        ["LinearCombination(x, [2, -3], [x, x])"] = x => Tensor.LinearCombination(x, [2, -3], [x, x]),
        ["Where(mask, x, x.Exp())"] = x => Tensor.Where(Tensor.Rand(x.Shape, DType.F64, new Generator(7)) > 0.5, x, x.Exp()),
        ["MatMul(x, x)"] = x => x.MatMul(x),
    };

    public static TheoryData<string> SharedInputNames => [.. SharedInputOps.Keys];

    [Theory]
    [MemberData(nameof(SharedInputNames))]
    public void Gradients_of_a_tensor_passed_as_several_inputs_of_one_op_accumulate(string op)
    {
        var f = SharedInputOps[op];
        var shapes = op.StartsWith("MatMul", StringComparison.Ordinal)
            ? Dim.Select(n => (int[])[n, n])
            : GradGen.Shape(1, 4);
        GradProperty.ForAll(GradGen.Input(Domain.Positive, shapes), x => GradCheck.Check(op, a => f(a[0]), x.Create()));
    }

    [Fact]
    public void Chain_of_views_and_broadcasts()
    {
        var cases =
            from m in Dim
            from n in Dim
            from a in GradGen.Input(Domain.Distinct, [m, n])
            from b in GradGen.Input(Domain.Normal, [n, 1])
            select (a, b);
        GradProperty.ForAll(cases, c => GradCheck.Check("view and broadcast chain", x =>
        {
            var scaled = x[0].Transpose() * x[1];
            var everyOther = scaled.Slice(0, 0, scaled.Size(0), 2).Tanh();
            var flat = everyOther.Permute(1, 0).Reshape(-1);
            var scales = Tensor.Stack([x[0].Max(), x[1].Sum()]).Unsqueeze(1);
            return flat.Unsqueeze(0).Expand(2, -1) * scales + x[0].Mean(0).Narrow(0, 0, 1);
        }, c.a.Create(), c.b.Create()));
    }
}
