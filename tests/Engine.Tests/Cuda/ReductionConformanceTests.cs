using Engine.Tests.Ops;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Reductions on the CUDA device against the CPU backend: every reduction over every axis subset of a rank-3
/// tensor in every layout (row-group and per-output kernels), long reductions split across blocks, integer
/// reductions and arg-reductions with ties and NaN.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class ReductionConformanceTests
{
    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(ReductionCase.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryAxisSubsetMatchesTheCpu(string name, DType dtype, Layout layout)
    {
        var reduction = ReductionCase.All[name];
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(1000, [6, 35, 9], dtype, layout);
        foreach (var axes in ReductionCase.AxisSubsets(3).Append(null))
            foreach (bool keepDim in new[] { false, true })
            {
                string what = $"{name} of [6, 35, 9] {dtype} {layout} over {(axes is null ? "all" : Conformance.Format(axes))} keepDim {keepDim}";
                // Expanded inputs repeat along axis 0: their Std over it alone is 0, where its gradient is singular.
                bool singular = name.StartsWith("Std", StringComparison.Ordinal) && layout == Layout.Expanded && axes is [0];
                if (singular) Conformance.CheckForward(what, a => reduction.Op(a[0], axes, keepDim), DeviceTol.Accumulated(dtype), x);
                else Conformance.Check(what, a => reduction.Op(a[0], axes, keepDim), DeviceTol.Accumulated(dtype), x);
            }
    }

    /// <summary>Few outputs and long reductions: the kernels split each reduction across blocks and merge the partial results.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void LongReductionsSplitAcrossBlocksMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (vector, _) = Sample.Make(1, [70001], dtype, Layout.Contiguous);
        var (tall, _) = Sample.Make(2, [20011, 3], dtype, Layout.Contiguous);
        var (wide, _) = Sample.Make(3, [3, 20011], dtype, Layout.Transposed);
        foreach (var (what, x) in new[] { ("vector", vector), ("tall", tall), ("wide transposed", wide) })
            foreach (var name in new[] { "Sum", "Max", "Min", "Mean" })
                foreach (int[]? axes in new int[]?[] { null, [0] })
                    Conformance.Check($"{name} of {what} over {(axes is null ? "all" : "axis 0")}", a => ReductionCase.All[name].Op(a[0], axes, false),
                        DeviceTol.Accumulated(dtype), x);
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void IntegerReductionsMatchTheCpuExactly(DType dtype)
    {
        using var scope = TensorScope.Begin();
        foreach (var layout in Sample.Layouts)
        {
            var (x, _) = Sample.Make(1200, [7, 45, 5], dtype, layout, -50, 50);
            foreach (var axes in ReductionCase.AxisSubsets(3))
            {
                Conformance.Check($"Sum {Conformance.Format(axes)} {layout}", a => a[0].Sum(axes), DeviceTol.Exact, x);
                Conformance.Check($"Max {Conformance.Format(axes)} {layout}", a => a[0].Max(axes, keepDim: true), DeviceTol.Exact, x);
                Conformance.Check($"Min {Conformance.Format(axes)} {layout}", a => a[0].Min(axes), DeviceTol.Exact, x);
            }
        }
    }

    public static TheoryData<DType, Layout> ArgCases() => Sample.InEveryLayout(Sample.AllTypes);

    /// <summary>Integral values in [-3, 3] make ties common: the first extreme index must win, as on the CPU.</summary>
    [Theory]
    [MemberData(nameof(ArgCases))]
    public void ArgMaxAndArgMinMatchTheCpuWithTies(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(1400, [5, 300, 7], dtype, layout, -3, 3, integral: true);
        for (int axis = -3; axis < 3; axis++)
            foreach (bool keepDim in new[] { false, true })
            {
                int a = axis;
                Conformance.Check($"ArgMax axis {a} {layout}", t => t[0].ArgMax(a, keepDim), DeviceTol.Exact, x);
                Conformance.Check($"ArgMin axis {a} {layout}", t => t[0].ArgMin(a, keepDim), DeviceTol.Exact, x);
            }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void NaNPropagatesAsOnTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var values = Enumerable.Range(0, 60).Select(i => i % 7 == 3 ? double.NaN : Math.Sin(i)).ToArray();
        values[0] = double.NegativeInfinity;
        var x = Tensor.From(values, [6, 10]).To(dtype);
        foreach (var (name, f) in new (string, Func<Tensor, Tensor>)[]
                 {
                     ("Max(1)", t => t.Max(1)), ("Min(0)", t => t.Min(0)), ("Sum(1)", t => t.Sum(1)), ("ArgMax(1)", t => t.ArgMax(1)),
                     ("ArgMin(0)", t => t.ArgMin(0)), ("Softmax(1)", t => t.Softmax(1)), ("Maximum", t => t.Maximum(t.Flip())),
                 })
            Conformance.Check($"{name} with NaN {dtype}", a => f(a[0]), DeviceTol.Elementwise(dtype), x);
    }
}

/// <summary>A reversal used to pair NaN with numbers in both orders.</summary>
internal static class FlipExtensions
{
    public static Tensor Flip(this Tensor x) => x.IndexSelect(0, Tensor.From(Enumerable.Range(0, x.Size(0)).Reverse().Select(i => (long)i).ToArray()).To(x.Device));
}
