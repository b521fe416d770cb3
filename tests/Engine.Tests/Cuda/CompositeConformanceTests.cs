using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The fused linear combination, joins, views and chains of ops on the CUDA device against the CPU backend,
/// forward and gradient: what the ODE solvers and training loops run.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class CompositeConformanceTests
{
    public static TheoryData<DType, Layout> FloatingCases() => Sample.InEveryLayout(Sample.FloatTypes);

    public static TheoryData<DType, Layout> WritableCases() => Sample.InEveryLayout(Sample.FloatTypes, Sample.WritableLayouts);

    /// <summary>0 to 20 terms: more than the kernel's 16 per pass, strided terms copied first.</summary>
    [Theory]
    [MemberData(nameof(FloatingCases))]
    public void LinearCombinationMatchesTheCpu(DType dtype, Layout layout)
    {
        foreach (int terms in new[] { 0, 1, 3, 16, 20 })
        {
            using var scope = TensorScope.Begin();
            int seed = 3500 + terms;
            var (x0, _) = Sample.Make(seed++, [37, 53], dtype, layout);
            var xs = Enumerable.Range(0, terms).Select(i => Sample.Make(seed++, [37, 53], dtype, i % 2 == 0 ? layout : Layout.Contiguous).Tensor).ToArray();
            var c = Enumerable.Range(0, terms).Select(i => (i % 3 - 1) * 0.375 + 0.125 * i).ToArray();
            Conformance.Check($"LinearCombination of {terms} terms {dtype} {layout}", t => Tensor.LinearCombination(t[0], c, t[1..]),
                DeviceTol.Accumulated(dtype), [x0, .. xs]);
        }
    }

    /// <summary>
    /// The in-place form: into x0 itself (y += sum c_i x_i), into a strided view, and into one of the terms. Not into an
    /// expanded view, whose elements share memory, so the result depends on the order of the writes.
    /// </summary>
    [Theory]
    [MemberData(nameof(WritableCases))]
    public void LinearCombinationIntoAnOutputMatchesTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x0, _) = Sample.Make(3600, [19, 23], dtype, layout);
        var (x1, _) = Sample.Make(3601, [19, 23], dtype, Layout.Transposed);
        var (x2, _) = Sample.Make(3602, [19, 23], dtype, Layout.Contiguous);
        double[] c = [0.5, -1.25];
        Conformance.CheckForward($"LinearCombination into x0 {dtype} {layout}",
            t => Tensor.LinearCombination(t[0], c, [t[1], t[2]], output: t[0]).Clone(), DeviceTol.Elementwise(dtype), x0, x1, x2);
        Conformance.CheckForward($"LinearCombination into a term {dtype} {layout}",
            t => Tensor.LinearCombination(t[0], c, [t[1], t[2]], output: t[2]).Clone(), DeviceTol.Elementwise(dtype), x0, x1, x2);
        Conformance.CheckForward($"LinearCombination into a strided view {dtype} {layout}",
            t => Tensor.LinearCombination(t[0], c, [t[1], t[2]], output: t[1]).Clone(), DeviceTol.Elementwise(dtype), x0, x1, x2);
    }

    /// <summary>
    /// The fused error norm of adaptive ODE steps: two components, two estimates, strided operands, and more terms
    /// than one launch takes (20: each estimate is formed first).
    /// </summary>
    [Theory]
    [MemberData(nameof(FloatingCases))]
    public void ScaledErrorRmsMatchesTheCpu(DType dtype, Layout layout)
    {
        foreach (int count in new[] { 7, 20 })
        {
            using var scope = TensorScope.Begin();
            int seed = 3700 + count;
            int[][] shapes = [[41, 37], [5]];
            var terms = shapes.Select(shape => Enumerable.Range(0, count).Select(i => Sample.Make(seed++, shape, dtype, i % 2 == 0 ? layout : Layout.Contiguous).Tensor).ToArray()).ToArray();
            var y0 = shapes.Select(shape => Sample.Make(seed++, shape, dtype, layout).Tensor).ToArray();
            var y1 = shapes.Select(shape => Sample.Make(seed++, shape, dtype, Layout.Contiguous).Tensor).ToArray();
            var c = new double[2, count];
            for (int i = 0; i < count; i++) (c[0, i], c[1, i]) = (0.1 * (i % 5) - 0.2, i == 3 ? 0 : 0.05 * i);
            Tensor[] inputs = [.. terms.SelectMany(t => t), .. y0, .. y1];
            Conformance.CheckForward($"ScaledErrorRms of {count} terms {dtype} {layout}", t =>
            {
                var groups = new[] { t[..count], t[count..(2 * count)] };
                return Tensor.ScaledErrorRms(groups, c, t[(2 * count)..(2 * count + 2)], t[(2 * count + 2)..], 1e-3, 1e-6);
            }, DeviceTol.Accumulated(dtype), inputs);
        }
    }

    public static TheoryData<DType, Layout> AllCases() => Sample.InEveryLayout(Sample.AllTypes);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void JoinsAndViewsMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (a, _) = Sample.Make(40, [4, 6, 5], dtype, layout, -9, 9);
        var (b, _) = Sample.Make(41, [4, 3, 5], dtype, Layout.Transposed, -9, 9);
        var tol = dtype.IsFloating() ? DeviceTol.Elementwise(dtype) : DeviceTol.Exact;
        Conformance.Check($"Concat {layout}", t => Tensor.Concat([t[0], t[1], t[0]], axis: 1), tol, a, b);
        Conformance.Check($"Stack {layout}", t => Tensor.Stack([t[0], t[0].Flip()], axis: 2), tol, a);
        Conformance.Check($"Split {layout}", t => t[0].Split([2, 1, 3], axis: 1)[2].Contiguous(), tol, a);
        Conformance.Check($"Reshape of a permuted view {layout}", t => t[0].Permute(2, 0, 1).Reshape(5, 24), tol, a);
        Conformance.Check($"Slice with step {layout}", t => t[0].Slice(1, 1, 6, 2).Clone(), tol, a);
        Conformance.Check($"Expand {layout}", t => t[0].Narrow(1, 2, 1).Expand(4, 7, 5).Contiguous(), tol, a);
    }

    /// <summary>A small MLP's loss and its gradients: matmuls, broadcast bias, activations, reductions and their backward rules.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void TrainingStepGradientsMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(50, [64, 3], dtype, Layout.Contiguous);
        var (w1, _) = Sample.Make(51, [32, 3], dtype, Layout.Contiguous, -0.5, 0.5);
        var (b1, _) = Sample.Make(52, [32], dtype, Layout.Contiguous, -0.5, 0.5);
        var (w2, _) = Sample.Make(53, [4, 32], dtype, Layout.Contiguous, -0.5, 0.5);
        var (labels, _) = Sample.Make(54, [64], DType.I64, Layout.Contiguous, 0, 3);
        Conformance.Check($"MLP loss {dtype}", t =>
        {
            var hidden = Tensor.Linear(t[0], t[1], t[2]).Tanh();
            var logits = Tensor.Linear(hidden, t[3]).Gelu();
            return Functional.CrossEntropy(logits, t[4]) + hidden.Square().Mean() * 0.01 + logits.Std();
        }, DeviceTol.Accumulated(dtype), x, w1, b1, w2, labels);
    }
}
