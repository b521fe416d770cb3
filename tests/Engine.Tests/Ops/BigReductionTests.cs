using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Reductions of tensors past the parallel threshold (32 768 elements): to one value (per-core partial results)
/// and along a kept axis that the work is split over. Values lie in [0, 1) so sums do not cancel. Max and Min
/// must be exact; sums may differ by twice the bound for recursive summation of n positive terms in any order,
/// n * u * sum (u the unit roundoff; twice, as the double reference rounds too), which for F64 still exposes
/// a single missing or doubled element.
/// </summary>
public class BigReductionTests
{
    private static Tol SumTolerance(DType dtype, int n) => new(2 * n * Tol.UnitRoundoff(dtype), 0);

    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.FloatTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FullReductions(DType dtype, Layout layout)
    {
        foreach (int[] shape in new[] { new[] { 100_003 }, [3, 40_009], [317, 331] })
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(1400, shape, dtype, layout, 0, 1);
            var all = Enumerable.Range(0, shape.Length).ToArray();
            string what = $"{Check.Describe(shape)} {dtype} {layout}";
            var tolerance = SumTolerance(dtype, r.Data.Length);
            Check.Close(r.Reduce(all, false, v => v.Sum()), x.Sum(), tolerance, $"Sum {what}");
            Check.Close(r.Reduce(all, false, v => v.Average()), x.Mean(), tolerance, $"Mean {what}");
            Check.Exact(r.Reduce(all, true, v => v.Max()), x.Max(keepDim: true), $"Max {what}");
            Check.Exact(r.Reduce(all, false, v => v.Min()), x.Min(), $"Min {what}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReductionsAlongOneAxis(DType dtype, Layout layout)
    {
        foreach (int[] shape in new[] { new[] { 2, 40_009 }, [40_009, 3], [300, 151] })
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(1500, shape, dtype, layout, 0, 1);
            foreach (int axis in new[] { 0, 1 })
            {
                string what = $"{Check.Describe(shape)} axis {axis} {dtype} {layout}";
                Check.Close(r.Reduce([axis], false, v => v.Sum()), x.Sum(axis), SumTolerance(dtype, shape[axis]), $"Sum {what}");
                Check.Exact(r.Reduce([axis], true, v => v.Max()), x.Max(axis, keepDim: true), $"Max {what}");
                Check.Exact(r.Reduce([axis], false, v => v.Min()), x.Min(axis), $"Min {what}");
            }
        }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void EveryAxisSubsetOfABigRank3Tensor(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(1600, [41, 37, 29], dtype, Layout.Transposed, 0, 1);
        foreach (var axes in ReductionCase.AxisSubsets(3))
        {
            int n = axes.Aggregate(1, (count, a) => count * x.Size(a));
            Check.Close(r.Reduce(axes, false, v => v.Sum()), x.Sum(axes), SumTolerance(dtype, n), $"Sum {Check.Describe(axes)}");
            Check.Exact(r.Reduce(axes, true, v => v.Max()), x.Max(axes, keepDim: true), $"Max {Check.Describe(axes)}");
            Check.Exact(r.Reduce(axes, false, v => v.Min()), x.Min(axes), $"Min {Check.Describe(axes)}");
        }
    }
}
