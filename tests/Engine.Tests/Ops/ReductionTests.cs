using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Every reduction over every non-empty subset of the axes of a rank-3 and a rank-4 tensor, keepDim true and
/// false, F32 and F64, in each layout. Odd subsets are passed as negative axes, so both spellings are covered.
/// </summary>
public class ReductionTests
{
    private static readonly int[][] TestShapes = [[3, 4, 5], [2, 3, 4, 5]];

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(ReductionCase.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryAxisSubsetMatchesTheReference(string name, DType dtype, Layout layout)
    {
        var reduction = ReductionCase.All[name];
        int seed = 1000;
        foreach (var shape in TestShapes)
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(seed++, shape, dtype, layout);
            int subsetNumber = 0;
            foreach (var axes in ReductionCase.AxisSubsets(shape.Length))
            {
                var spelled = subsetNumber++ % 2 == 1 ? axes.Select(a => a - shape.Length).ToArray() : axes;
                foreach (bool keepDim in new[] { false, true })
                {
                    var y = reduction.Op(x, spelled, keepDim);
                    Assert.Equal(dtype, y.DType);
                    Check.Close(r.Reduce(axes, keepDim, reduction.Fold), y, Tol.Reduction(dtype),
                        $"{name} of {Check.Describe(shape)} {dtype} {layout} over [{string.Join(", ", spelled)}] keepDim {keepDim}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NullAxesReduceEverything(string name, DType dtype, Layout layout)
    {
        var reduction = ReductionCase.All[name];
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(1100, [3, 4, 5], dtype, layout);
        Check.Close(r.Reduce([0, 1, 2], false, reduction.Fold), reduction.Op(x, null, false), Tol.Reduction(dtype), $"{name} all");
        Check.Close(r.Reduce([0, 1, 2], true, reduction.Fold), reduction.Op(x, null, true), Tol.Reduction(dtype), $"{name} all, keepDim");
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void IntegerSumMaxMinStayInteger(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(1200, [3, 4, 5], dtype, Layout.Transposed, -50, 50);
        foreach (var axes in ReductionCase.AxisSubsets(3))
        {
            Assert.Equal(dtype, x.Sum(axes).DType);
            Check.Exact(r.Reduce(axes, false, v => v.Sum()), x.Sum(axes), $"Sum {Check.Describe(axes)}");
            Check.Exact(r.Reduce(axes, true, v => v.Max()), x.Max(axes, keepDim: true), $"Max {Check.Describe(axes)}");
            Check.Exact(r.Reduce(axes, false, v => v.Min()), x.Min(axes), $"Min {Check.Describe(axes)}");
        }
    }

    [Fact]
    public void SingleAxisOverloadsMatchTheArrayOnes()
    {
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(1300, [3, 4, 5], DType.F64, Layout.Contiguous);
        Check.Close(r.Reduce([1], false, v => v.Sum()), x.Sum(1), Tol.Reduction(DType.F64), "Sum(1)");
        Check.Close(r.Reduce([2], true, v => v.Max()), x.Max(-1, keepDim: true), Tol.Reduction(DType.F64), "Max(-1)");
        Check.Close(r.Reduce([0], false, v => v.Min()), x.Min(0), Tol.Reduction(DType.F64), "Min(0)");
        Check.Close(r.Reduce([1], false, v => v.Average()), x.Mean(1), Tol.Reduction(DType.F64), "Mean(1)");
    }
}
