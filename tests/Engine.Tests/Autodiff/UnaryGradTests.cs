using Xunit;

namespace Engine.Tests.Autodiff;

public class UnaryGradTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, Domain Domain)> Ops = new()
    {
        ["Neg"] = (x => x.Neg(), Domain.Normal),
        ["Abs"] = (x => x.Abs(), Domain.AwayFromZero),
        ["Exp"] = (x => x.Exp(), Domain.Normal),
        ["Log"] = (x => x.Log(), Domain.Positive),
        ["Sqrt"] = (x => x.Sqrt(), Domain.Positive),
        ["Rsqrt"] = (x => x.Rsqrt(), Domain.Positive),
        ["Square"] = (x => x.Square(), Domain.Normal),
        ["Tanh"] = (x => x.Tanh(), Domain.Normal),
        ["Sigmoid"] = (x => x.Sigmoid(), Domain.Normal),
        ["Relu"] = (x => x.Relu(), Domain.AwayFromZero),
        ["LeakyRelu"] = (x => x.LeakyRelu(0.2), Domain.AwayFromZero),
        ["Softplus"] = (x => x.Softplus(), Domain.Normal),
        ["Gelu"] = (x => x.Gelu(), Domain.Normal),
        ["Sin"] = (x => x.Sin(), Domain.Normal),
        ["Cos"] = (x => x.Cos(), Domain.Normal),
        ["Sign"] = (x => x.Sign(), Domain.AwayFromZero),
        ["Clamp"] = (x => x.Clamp(-0.5, 0.75), Domain.AwayFrom(-0.5, 0.75)),
        ["Negation operator"] = (x => -x, Domain.Normal),
        ["Tanh, wide"] = (x => x.Tanh(), Domain.Wide),
        ["Sigmoid, wide"] = (x => x.Sigmoid(), Domain.Wide),
        ["Softplus, wide"] = (x => x.Softplus(), Domain.Wide),
        ["Gelu, wide"] = (x => x.Gelu(), Domain.Wide),
    };

    public static TheoryData<string> Names => [.. Ops.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string op)
    {
        var (f, domain) = Ops[op];
        GradProperty.ForAll(GradGen.Input(domain), x => GradCheck.Check(op, a => f(a[0]), x.Create()));
    }
}
