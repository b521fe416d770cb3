using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>CrossEntropy against mean(logsumexp(x_n) - x_n[y_n]) with I32 and I64 labels, and MseLoss against mean((p - t)^2).</summary>
public class LossTests
{
    public static TheoryData<DType, DType, Layout> CrossEntropyCases()
    {
        var data = new TheoryData<DType, DType, Layout>();
        foreach (var dtype in Sample.FloatTypes)
            foreach (var labelType in new[] { DType.I32, DType.I64 })
                foreach (var layout in Sample.Layouts)
                    data.Add(dtype, labelType, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void CrossEntropyMatchesTheFormula(DType dtype, DType labelType, Layout layout)
    {
        int seed = 2600;
        foreach (var (n, c) in new[] { (1, 2), (6, 5), (300, 10) })
        {
            using var scope = TensorScope.Begin();
            var (logits, rl) = Sample.Make(seed++, [n, c], dtype, layout, -5, 5);
            var (labels, ry) = Sample.Make(seed++, [n], labelType, Layout.Strided, 0, c - 1);
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                double logSum = Math.Log(Enumerable.Range(0, c).Sum(j => Math.Exp(rl[i, j])));
                total += logSum - rl[i, (int)ry.Data[i]];
            }
            var loss = Functional.CrossEntropy(logits, labels);
            Assert.Equal(dtype, loss.DType);
            Check.Close(Ref.Of([], total / n), loss, Tol.Reduction(dtype), $"CrossEntropy [{n}, {c}] {dtype} {labelType} {layout}");
        }
    }

    public static TheoryData<DType, Layout> MseCases() => Sample.InEveryLayout(Sample.FloatTypes);

    [Theory]
    [MemberData(nameof(MseCases))]
    public void MseLossMatchesTheFormula(DType dtype, Layout layout)
    {
        int seed = 2700;
        foreach (int[] shape in new[] { new[] { 7 }, [3, 5], [2, 3, 4], [211, 197] })
        {
            using var scope = TensorScope.Begin();
            var (p, rp) = Sample.Make(seed++, shape, dtype, layout);
            var (t, rt) = Sample.Make(seed++, shape, dtype, Layout.Contiguous);
            double expected = Ref.Zip(rp, rt, (a, b) => (a - b) * (a - b)).Data.Average();
            // The rounding bound of a sum of n positive terms, plus the difference, square and scaling of each.
            var tolerance = new Tol(2 * (Ref.Count(shape) + 3) * Tol.UnitRoundoff(dtype), 0);
            Check.Close(Ref.Of([], expected), Functional.MseLoss(p, t), tolerance, $"MseLoss {Check.Describe(shape)} {dtype} {layout}");
        }
    }
}
