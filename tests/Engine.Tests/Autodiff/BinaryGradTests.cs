using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class BinaryGradTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> F, Domain A, Domain B)> Ops = new()
    {
        ["Add"] = ((a, b) => a + b, Domain.Normal, Domain.Normal),
        ["Sub"] = ((a, b) => a - b, Domain.Normal, Domain.Normal),
        ["Mul"] = ((a, b) => a * b, Domain.Normal, Domain.Normal),
        ["Div"] = ((a, b) => a / b, Domain.Normal, Domain.Denominator),
        ["Pow"] = ((a, b) => a.Pow(b), Domain.Positive, Domain.Normal),
        ["Maximum"] = ((a, b) => a.Maximum(b), Domain.Lattice(0), Domain.Lattice(0.125)),
        ["Minimum"] = ((a, b) => a.Minimum(b), Domain.Lattice(0.125), Domain.Lattice(0)),
    };

    public static TheoryData<string> Names => [.. Ops.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Broadcast_gradients_of_both_inputs_match_finite_differences(string op)
    {
        var (f, domainA, domainB) = Ops[op];
        var cases =
            from shapes in GradGen.BroadcastShapes(2)
            from a in GradGen.Input(domainA, shapes[0])
            from b in GradGen.Input(domainB, shapes[1])
            select (a, b);
        GradProperty.ForAll(cases, c => GradCheck.Check(op, x => f(x[0], x[1]), c.a.Create(), c.b.Create()));
    }

    [Fact]
    public void Where_gradients_of_both_branches_match_finite_differences()
    {
        var cases =
            from shapes in GradGen.BroadcastShapes(3)
            from conditionSeed in GradGen.Seed
            from a in GradGen.Input(Domain.Normal, shapes[1])
            from b in GradGen.Input(Domain.Normal, shapes[2])
            select (condition: new InputSpec(shapes[0], conditionSeed, Domain.Normal, Layout.Contiguous), a, b);
        GradProperty.ForAll(cases, c =>
        {
            var condition = c.condition.Create() > 0;
            GradCheck.Check("Where", x => Tensor.Where(condition, x[0], x[1]), c.a.Create(), c.b.Create());
        });
    }
}
