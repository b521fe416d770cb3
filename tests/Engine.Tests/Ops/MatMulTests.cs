using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// MatMul against a naive triple loop: 2-D, batched with broadcast batch dimensions, 1-D operands on either
/// side, every combination of operand layouts (transposed, strided, expanded), F32 and F64, and a product with
/// every dimension above 128. Each element must be within the rounding bound of <see cref="MatMulReference"/>.
/// </summary>
public class MatMulTests
{
    /// <summary>2-D, batched with broadcast batch dimensions, 1-D on either side, and empty products (the CUDA conformance tests reuse them).</summary>
    internal static readonly (int[] A, int[] B)[] SmallCases =
    [
        ([2, 3], [3, 4]),
        ([2, 1, 3, 4], [5, 4, 2]),
        ([1, 3, 4], [2, 4, 5]),
        ([3, 4], [2, 4, 5]),
        ([2, 3, 4], [4, 5]),
        ([4], [4]),
        ([4], [4, 3]),
        ([3, 4], [4]),
        ([4], [2, 4, 3]),
        ([2, 3, 4], [4]),
        ([5, 1], [1, 6]),
        ([1, 1], [1, 1]),
        ([2, 0], [0, 3]),
    ];

    public static TheoryData<DType, Layout, Layout> Cases()
    {
        var data = new TheoryData<DType, Layout, Layout>();
        foreach (var dtype in Sample.FloatTypes)
            foreach (var layoutA in Sample.Layouts)
                foreach (var layoutB in Sample.Layouts)
                    data.Add(dtype, layoutA, layoutB);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SmallProductsMatchTheNaiveLoop(DType dtype, Layout layoutA, Layout layoutB)
    {
        int seed = 2000;
        foreach (var (shapeA, shapeB) in SmallCases)
        {
            using var scope = TensorScope.Begin();
            var (a, ra) = Sample.Make(seed++, shapeA, dtype, layoutA);
            var (b, rb) = Sample.Make(seed++, shapeB, dtype, layoutB);
            var (value, bound) = MatMulReference.Multiply(ra, rb, Tol.UnitRoundoff(dtype));
            var y = a.MatMul(b);
            Assert.Equal(dtype, y.DType);
            Check.WithinBounds(value, bound, y, $"{Check.Describe(shapeA)} {layoutA} @ {Check.Describe(shapeB)} {layoutB} {dtype}");
        }
    }

    [Theory]
    [InlineData(DType.F32, Layout.Contiguous, Layout.Contiguous)]
    [InlineData(DType.F32, Layout.Transposed, Layout.Transposed)]
    [InlineData(DType.F32, Layout.Strided, Layout.Transposed)]
    [InlineData(DType.F64, Layout.Contiguous, Layout.Contiguous)]
    [InlineData(DType.F64, Layout.Transposed, Layout.Strided)]
    public void ProductsLargerThan128InEveryDimension(DType dtype, Layout layoutA, Layout layoutB)
    {
        foreach (var (shapeA, shapeB) in new (int[], int[])[] { ([130, 140], [140, 135]), ([2, 129, 131], [131, 133]) })
        {
            using var scope = TensorScope.Begin();
            var (a, ra) = Sample.Make(2100, shapeA, dtype, layoutA);
            var (b, rb) = Sample.Make(2101, shapeB, dtype, layoutB);
            var (value, bound) = MatMulReference.Multiply(ra, rb, Tol.UnitRoundoff(dtype));
            Check.WithinBounds(value, bound, a.MatMul(b), $"{Check.Describe(shapeA)} {layoutA} @ {Check.Describe(shapeB)} {layoutB} {dtype}");
        }
    }

    [Fact]
    public void TransposeOfAProductIsTheProductOfTransposes()
    {
        using var scope = TensorScope.Begin();
        var (a, _) = Sample.Make(2200, [6, 4], DType.F64, Layout.Contiguous);
        var (b, _) = Sample.Make(2201, [4, 5], DType.F64, Layout.Contiguous);
        var left = a.MatMul(b).Transpose().ToArray<double>();
        var right = b.Transpose().MatMul(a.Transpose()).ToArray<double>();
        for (int i = 0; i < left.Length; i++) Assert.Equal(left[i], right[i], 1e-12);
    }
}
