using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Arithmetic binary ops with NumPy broadcasting against a plain-loop reference, F32 and F64, with both
/// operands in each layout. One pair is large (42 411 elements) so the parallel paths run; per-channel pairs take the
/// periodic-column path, and the 1100 x 1000 row broadcast (over 4 MB) the streaming stores.
/// </summary>
public class BinaryOpTests
{
    internal static readonly (int[] A, int[] B)[] ShapePairs =
    [
        ([3, 4], [3, 4]),
        ([3, 4], [4]),
        ([4], [3, 4]),
        ([3, 1], [1, 4]),
        ([2, 1, 5], [3, 1]),
        ([1, 3, 1], [2, 1, 5]),
        ([], [2, 3]),
        ([5], []),
        ([1], [7]),
        ([201, 211], [211]),
        ([2, 3, 4, 5], [1, 3, 1, 1]),
        ([3, 1, 1], [2, 3, 4, 5]),
        ([2, 3, 4, 5], [2, 3, 1, 1]),
        ([1100, 1000], [1000]),
    ];

    /// <summary>Engine call, reference, and the input ranges of a and b.</summary>
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Op, Func<double, double, double> Reference, double BLo, double BHi)> Ops = new()
    {
        ["Add"] = ((a, b) => a.Add(b), (a, b) => a + b, -2, 2),
        ["+"] = ((a, b) => a + b, (a, b) => a + b, -2, 2),
        ["Sub"] = ((a, b) => a.Sub(b), (a, b) => a - b, -2, 2),
        ["-"] = ((a, b) => a - b, (a, b) => a - b, -2, 2),
        ["Mul"] = ((a, b) => a.Mul(b), (a, b) => a * b, -2, 2),
        ["*"] = ((a, b) => a * b, (a, b) => a * b, -2, 2),
        ["Div"] = ((a, b) => a.Div(b), (a, b) => a / b, 0.25, 2),
        ["/"] = ((a, b) => a / b, (a, b) => a / b, 0.25, 2),
        ["Maximum"] = ((a, b) => a.Maximum(b), Math.Max, -2, 2),
        ["Minimum"] = ((a, b) => a.Minimum(b), Math.Min, -2, 2),
    };

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(Ops.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(string name, DType dtype, Layout layout)
    {
        var (op, reference, bLo, bHi) = Ops[name];
        int seed = 100;
        foreach (var (shapeA, shapeB) in ShapePairs)
        {
            using var scope = TensorScope.Begin();
            var (a, ra) = Sample.Make(seed++, shapeA, dtype, layout);
            var (b, rb) = Sample.Make(seed++, shapeB, dtype, layout, bLo, bHi);
            Check.Close(Ref.Zip(ra, rb, reference), op(a, b), Tol.Elementwise(dtype),
                $"{Check.Describe(shapeA)} {name} {Check.Describe(shapeB)} {dtype} {layout}");
        }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void PowMatchesMathPow(DType dtype)
    {
        int seed = 200;
        foreach (var layout in Sample.Layouts)
            foreach (var (shapeA, shapeB) in ShapePairs)
            {
                using var scope = TensorScope.Begin();
                var (a, ra) = Sample.Make(seed++, shapeA, dtype, layout, 0.25, 3);
                var (b, rb) = Sample.Make(seed++, shapeB, dtype, layout, -3, 3);
                Check.Close(Ref.Zip(ra, rb, Math.Pow), a.Pow(b), Tol.Elementwise(dtype),
                    $"{Check.Describe(shapeA)} Pow {Check.Describe(shapeB)} {dtype} {layout}");
            }
    }

    [Fact]
    public void PowOfNegativeBaseWithIntegerExponent()
    {
        using var scope = TensorScope.Begin();
        var y = Tensor.FromArray([-2.0, -3, 0.5], 3).Pow(Tensor.FromArray([3.0, 2, -1], 3));
        Assert.Equal([-8.0, 9, 2], y.ToArray<double>());
    }
}
