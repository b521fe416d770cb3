using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Tensor-scalar ops, tensor first (x - s) and scalar first (s - x), against a plain-loop reference.</summary>
public class ScalarOpTests
{
    // 1.5 and -0.75 are exact in float, so the F32 reference needs no rounding of the scalar.
    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<double, double> Reference, double Lo, double Hi)> Ops = new()
    {
        ["x + 1.5"] = (x => x + 1.5, x => x + 1.5, -2, 2),
        ["1.5 + x"] = (x => 1.5 + x, x => 1.5 + x, -2, 2),
        ["x - 1.5"] = (x => x - 1.5, x => x - 1.5, -2, 2),
        ["1.5 - x"] = (x => 1.5 - x, x => 1.5 - x, -2, 2),
        ["x * -0.75"] = (x => x * -0.75, x => x * -0.75, -2, 2),
        ["-0.75 * x"] = (x => -0.75 * x, x => -0.75 * x, -2, 2),
        ["x / -0.75"] = (x => x / -0.75, x => x / -0.75, -2, 2),
        ["1.5 / x"] = (x => 1.5 / x, x => 1.5 / x, 0.25, 3),
        ["Pow(x, 1.5)"] = (x => x.Pow(1.5), x => Math.Pow(x, 1.5), 0, 3),
        ["Pow(x, -0.75)"] = (x => x.Pow(-0.75), x => Math.Pow(x, -0.75), 0.25, 3),
        ["Maximum(x, -0.75)"] = (x => x.Maximum(-0.75), x => Math.Max(x, -0.75), -2, 2),
        ["Minimum(x, -0.75)"] = (x => x.Minimum(-0.75), x => Math.Min(x, -0.75), -2, 2),
    };

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(Ops.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(string name, DType dtype, Layout layout)
    {
        var (op, reference, lo, hi) = Ops[name];
        int seed = 300;
        foreach (var shape in Sample.ElementwiseShapes)
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(seed++, shape, dtype, layout, lo, hi);
            var y = op(x);
            Assert.Equal(dtype, y.DType);
            Check.Close(r.Map(reference), y, Tol.Elementwise(dtype), $"{name} {dtype} {layout} {Check.Describe(shape)}");
        }
    }
}
