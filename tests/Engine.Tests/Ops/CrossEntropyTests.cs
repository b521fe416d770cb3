using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Autodiff;
using Engine.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Cross-entropy with class weights, an ignored label and label smoothing, against PyTorch's formula.</summary>
public class CrossEntropyTests
{
    /// <summary>PyTorch's definition, written out per row: nll and smoothing terms, reduced as it reduces them.</summary>
    private static double Reference(double[,] logits, long[] labels, double[]? weight, long ignore, double smoothing, Reduction reduction, out double[] perRow)
    {
        int n = logits.GetLength(0), c = logits.GetLength(1);
        perRow = new double[n];
        double total = 0, weightSum = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] == ignore) continue;
            double max = double.NegativeInfinity;
            for (int k = 0; k < c; k++) max = Math.Max(max, logits[i, k]);
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.Exp(logits[i, k] - max);
            double LogP(int k) => logits[i, k] - max - Math.Log(sum);
            double w = weight?[labels[i]] ?? 1;
            double smooth = 0;
            for (int k = 0; k < c; k++) smooth -= (weight?[k] ?? 1) * LogP(k);
            perRow[i] = (1 - smoothing) * -w * LogP((int)labels[i]) + smoothing / c * smooth;
            total += perRow[i];
            weightSum += w;
        }
        return reduction switch { Reduction.Sum => total, Reduction.None => double.NaN, _ => total / weightSum };
    }

    [Theory]
    [InlineData(false, -100, 0.0, Reduction.Mean)]
    [InlineData(true, -100, 0.0, Reduction.Mean)]
    [InlineData(true, 2, 0.1, Reduction.Mean)]
    [InlineData(false, 1, 0.2, Reduction.Mean)]
    [InlineData(true, 0, 0.3, Reduction.Sum)]
    [InlineData(true, 2, 0.1, Reduction.None)]
    public void Matches_PyTorch_definition(bool weighted, long ignore, double smoothing, Reduction reduction)
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(5);
        var logits = Tensor.Randn([6, 4], DType.F64, generator);
        long[] labels = [0, 2, 3, 1, 2, 0];
        double[] weights = [0.5, 2, 1, 3];
        var values = logits.ToArray<double>();
        var grid = new double[6, 4];
        for (int i = 0; i < 24; i++) grid[i / 4, i % 4] = values[i];
        double expected = Reference(grid, labels, weighted ? weights : null, ignore, smoothing, reduction, out var perRow);
        var loss = Functional.CrossEntropy(logits, Tensor.From(labels), weighted ? Tensor.From(weights) : null, ignore, smoothing, reduction);
        if (reduction == Reduction.None)
            Check.Close(Ref.Of([6], perRow), loss, 1e-13, 1e-14, "per-row loss");
        else
            Assert.Equal(expected, loss.Item<double>(), 1e-13);
    }

    [Fact]
    public void Gradient_with_weights_ignore_index_and_smoothing_matches_finite_differences()
    {
        var gen =
            from x in GradGen.Input(Domain.Normal, [5, 3])
            from labels in GradGen.Indices(5, 3)
            from smoothing in FsCheck.Fluent.Gen.Elements(0.0, 0.15)
            select (x, labels, smoothing);
        GradProperty.ForAll(gen, c =>
        {
            c.labels[0] = 0; // one counted row at least: a mean over no rows is 0/0, as in PyTorch
            var labels = Tensor.From(c.labels);
            var weight = Tensor.FromArray([0.5, 1.5, 2.0], 3);
            GradCheck.Check("CrossEntropy(weight, ignoreIndex 1, smoothing)",
                a => Functional.CrossEntropy(a[0], labels, weight, ignoreIndex: 1, labelSmoothing: c.smoothing), c.x.Create());
        });
    }

    [Fact]
    public void A_strided_weight_gives_the_same_loss_as_a_contiguous_one()
    {
        using var scope = TensorScope.Begin();
        var logits = Tensor.Randn([6, 4], DType.F64, new Generator(9));
        var labels = Tensor.From(new long[] { 0, 2, 3, 1, 2, 0 });
        var weights = Tensor.FromArray([0.5, 9, 2, 9, 1, 9, 3, 9], 8);
        var strided = weights.Slice(0, 0, 8, 2);
        Assert.False(strided.IsContiguous);
        double expected = Functional.CrossEntropy(logits, labels, strided.Contiguous(), labelSmoothing: 0.1).Item<double>();
        Assert.Equal(expected, Functional.CrossEntropy(logits, labels, strided, labelSmoothing: 0.1).Item<double>(), 1e-15);
    }

    [Fact]
    public void Bad_weight_and_smoothing_are_refused_naming_CrossEntropy()
    {
        using var scope = TensorScope.Begin();
        var logits = Tensor.Zeros([2, 3]);
        var labels = Tensor.From(new long[] { 0, 1 });
        Expect.Throws<ArgumentException>(() => Functional.CrossEntropy(logits, labels, Tensor.Ones([2])), "CrossEntropy", "weight", "[3]");
        Expect.Throws<ArgumentException>(() => Functional.CrossEntropy(logits, labels, labelSmoothing: 1.5), "CrossEntropy", "labelSmoothing");
    }
}
