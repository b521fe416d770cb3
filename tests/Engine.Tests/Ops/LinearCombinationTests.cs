using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// LinearCombination(x0, c, xs) = x0 + sum_i c_i xs_i for 0 to 5 terms, with all inputs contiguous (the fused
/// blocked path) or some strided, on a small and a large (parallel) shape. Each element must be within the
/// rounding bound 2 (terms + 1) u (|x0| + sum_i |c_i xs_i|).
/// </summary>
public class LinearCombinationTests
{
    private static readonly double[] Coefficients = [0.5, -1.25, 2, 0.375, -3];

    public static TheoryData<DType, Layout, int> Cases()
    {
        var data = new TheoryData<DType, Layout, int>();
        foreach (var dtype in Sample.FloatTypes)
            foreach (var layout in Sample.Layouts)
                for (int terms = 0; terms <= 5; terms++)
                    data.Add(dtype, layout, terms);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(DType dtype, Layout layout, int terms)
    {
        int seed = 3500 + terms;
        foreach (int[] shape in new[] { new[] { 3, 7 }, [101, 499] })
        {
            using var scope = TensorScope.Begin();
            var (x0, r0) = Sample.Make(seed++, shape, dtype, Layout.Contiguous);
            // Terms alternate between the layout under test and contiguous, so mixed inputs are covered too.
            var xs = Enumerable.Range(0, terms).Select(i => Sample.Make(seed++, shape, dtype, i % 2 == 0 ? layout : Layout.Contiguous)).ToArray();
            var expected = r0.Map(v => v);
            var bound = r0.Map(Math.Abs);
            for (int i = 0; i < terms; i++)
                for (int e = 0; e < expected.Data.Length; e++)
                {
                    expected.Data[e] += Coefficients[i] * xs[i].Ref.Data[e];
                    bound.Data[e] += Math.Abs(Coefficients[i] * xs[i].Ref.Data[e]);
                }
            var u = Tol.UnitRoundoff(dtype);
            var y = Tensor.LinearCombination(x0, Coefficients[..terms], xs.Select(x => x.Tensor).ToArray());
            Check.WithinBounds(expected, bound.Map(b => 2 * (terms + 1) * u * b), y, $"{terms} terms {Check.Describe(shape)} {dtype} {layout}");
        }
    }

    [Fact]
    public void AStridedX0IsRead()
    {
        using var scope = TensorScope.Begin();
        var (x0, r0) = Sample.Make(3600, [5, 9], DType.F64, Layout.Strided);
        var (x1, r1) = Sample.Make(3601, [5, 9], DType.F64, Layout.Transposed);
        Check.Close(Ref.Zip(r0, r1, (a, b) => a + 2 * b), Tensor.LinearCombination(x0, [2], [x1]), Tol.Elementwise(DType.F64), "strided x0");
    }
}
