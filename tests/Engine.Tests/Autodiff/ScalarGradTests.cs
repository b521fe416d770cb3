using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class ScalarGradTests
{
    private static readonly Dictionary<string, (Func<Tensor, double, Tensor> F, Func<double, Domain> Domain)> Ops = new()
    {
        ["x + s"] = ((x, s) => x + s, _ => Domain.Normal),
        ["s + x"] = ((x, s) => s + x, _ => Domain.Normal),
        ["x - s"] = ((x, s) => x - s, _ => Domain.Normal),
        ["s - x"] = ((x, s) => s - x, _ => Domain.Normal),
        ["x * s"] = ((x, s) => x * s, _ => Domain.Normal),
        ["s * x"] = ((x, s) => s * x, _ => Domain.Normal),
        ["x / s"] = ((x, s) => x / s, _ => Domain.Normal),
        ["s / x"] = ((x, s) => s / x, _ => Domain.Denominator),
        ["x.Pow(s)"] = ((x, s) => x.Pow(s), _ => Domain.Positive),
        ["x.Maximum(s)"] = ((x, s) => x.Maximum(s), s => Domain.AwayFrom(s)),
        ["x.Minimum(s)"] = ((x, s) => x.Minimum(s), s => Domain.AwayFrom(s)),
    };

    private static readonly Gen<double> Scalars = Gen.Elements(-2.5, -1.5, -0.75, 0.5, 1.25, 3.0);

    public static TheoryData<string> Names => [.. Ops.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string op)
    {
        var (f, domain) = Ops[op];
        var cases =
            from s in Scalars
            from x in GradGen.Input(domain(s))
            select (x, s);
        GradProperty.ForAll(cases, c => GradCheck.Check($"{op} with s = {c.s}", a => f(a[0], c.s), c.x.Create()));
    }
}
