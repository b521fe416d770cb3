using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Every unary op against System.Math on seeded random inputs, F32 and F64, in every layout, on small odd
/// shapes and on one large enough (41 567 elements) for the parallel and SIMD paths. The reference is computed
/// in double from the (float-rounded) inputs; tolerances are <see cref="Tol.Elementwise"/>.
/// </summary>
public class UnaryOpTests
{
    private static readonly int[][] TestShapes = [[], [1], [7], [3, 5], [2, 3, 5], [211, 197]];

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(UnaryCase.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(string name, DType dtype, Layout layout)
    {
        var op = UnaryCase.All[name];
        int seed = name.Length;
        foreach (var shape in TestShapes)
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(seed++, shape, dtype, layout, op.Lo, op.Hi);
            var y = op.Op(x);
            Assert.Equal(dtype, y.DType);
            Check.Close(r.Map(op.Reference), y, Tol.Elementwise(dtype), $"{name} {dtype} {layout} {Check.Describe(shape)}");
        }
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void IntegerOpsMatchTheReference(DType dtype)
    {
        (string, Func<Tensor, Tensor>, Func<double, double>)[] ops =
        [
            ("Neg", x => x.Neg(), x => -x),
            ("Abs", x => x.Abs(), Math.Abs),
            ("Square", x => x.Square(), x => x * x),
            ("Sign", x => x.Sign(), x => Math.Sign(x)),
            ("Relu", x => x.Relu(), x => Math.Max(x, 0)),
            ("Clamp", x => x.Clamp(-3, 4), x => Math.Clamp(x, -3, 4)),
        ];
        foreach (var (name, op, reference) in ops)
            foreach (var layout in Sample.Layouts)
            {
                using var scope = TensorScope.Begin();
                var (x, r) = Sample.Make(7, [5, 9], dtype, layout, -9, 9);
                var y = op(x);
                Assert.Equal(dtype, y.DType);
                Check.Exact(r.Map(reference), y, $"{name} {dtype} {layout}");
            }
    }
}
