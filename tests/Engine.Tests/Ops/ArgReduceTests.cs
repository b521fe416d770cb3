using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// ArgMax/ArgMin along each axis (positive and negative) of rank-3 and rank-4 tensors, keepDim true and false,
/// in each layout. Integer inputs are whole numbers in [-3, 3], so ties are common and must resolve to the first index.
/// </summary>
public class ArgReduceTests
{
    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.AllTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchTheFirstExtremeAlongEachAxis(DType dtype, Layout layout)
    {
        int seed = 1700;
        foreach (int[] shape in new[] { new[] { 3, 4, 5 }, [2, 3, 4, 5], [2, 20_011] })
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(seed++, shape, dtype, layout, -3, 3);
            for (int axis = 0; axis < shape.Length; axis++)
                foreach (bool keepDim in new[] { false, true })
                {
                    int spelled = keepDim ? axis - shape.Length : axis;
                    string what = $"of {Check.Describe(shape)} {dtype} {layout} axis {spelled} keepDim {keepDim}";
                    var argMax = x.ArgMax(spelled, keepDim);
                    var argMin = x.ArgMin(spelled, keepDim);
                    Assert.Equal(DType.I64, argMax.DType);
                    Check.Exact(r.Reduce([axis], keepDim, v => Array.IndexOf(v, v.Max())), argMax, $"ArgMax {what}");
                    Check.Exact(r.Reduce([axis], keepDim, v => Array.IndexOf(v, v.Min())), argMin, $"ArgMin {what}");
                }
        }
    }

    [Fact]
    public void TiesResolveToTheFirstIndex()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 3, 3, 0, 0], 5);
        Assert.Equal(1L, x.ArgMax(0).Item<long>());
        Assert.Equal(3L, x.ArgMin(0).Item<long>());
    }
}
