using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Where(condition, a, b) with broadcasting of all three, any non-zero condition counting as true, in each layout.</summary>
public class WhereTests
{
    private static readonly (int[] C, int[] A, int[] B)[] ShapeTriples =
    [
        ([3, 4], [3, 4], [3, 4]),
        ([3, 1], [1, 4], []),
        ([4], [3, 1], [3, 4]),
        ([2, 1, 5], [3, 1], [1]),
        ([201, 211], [211], [201, 1]),
    ];

    public static TheoryData<DType, DType, Layout> Cases()
    {
        var data = new TheoryData<DType, DType, Layout>();
        foreach (var valueType in new[] { DType.F32, DType.F64, DType.I32, DType.I64 })
            foreach (var conditionType in new[] { DType.F32, DType.I32, DType.I64 })
                foreach (var layout in Sample.Layouts)
                    data.Add(valueType, conditionType, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PicksAWhereTheConditionIsNonZero(DType valueType, DType conditionType, Layout layout)
    {
        int seed = 800;
        foreach (var (shapeC, shapeA, shapeB) in ShapeTriples)
        {
            using var scope = TensorScope.Begin();
            // Conditions in {-1, 0, 1}: -1 must count as true.
            var (c, rc) = Sample.Make(seed++, shapeC, conditionType, layout, -1, 1, integral: true);
            var (a, ra) = Sample.Make(seed++, shapeA, valueType, layout, -9, 9);
            var (b, rb) = Sample.Make(seed++, shapeB, valueType, layout, -9, 9);
            var shape = Ref.BroadcastShape(Ref.BroadcastShape(shapeC, shapeA), shapeB);
            var cs = rc.BroadcastTo(shape).Data;
            var bs = rb.BroadcastTo(shape).Data;
            var expected = ra.BroadcastTo(shape).Map(v => v);
            for (int i = 0; i < expected.Data.Length; i++)
                if (cs[i] == 0) expected.Data[i] = bs[i];
            var y = Tensor.Where(c, a, b);
            Assert.Equal(valueType, y.DType);
            Check.Exact(expected, y, $"Where {Check.Describe(shapeC)} {Check.Describe(shapeA)} {Check.Describe(shapeB)} {layout}");
        }
    }

    [Fact]
    public void WorksWithAComparisonMask()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([-2f, 3, 0, -1, 5], 5);
        Check.Exact([5], [0, 3, 0, 0, 5], Tensor.Where(x > 0, x, x.ZerosLike()));
    }
}
