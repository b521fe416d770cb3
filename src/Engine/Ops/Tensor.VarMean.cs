using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Variance and mean over <paramref name="axes"/> (all when null) from one pass over the elements, like
    /// <c>torch.var_mean</c>: the variance divides by count - <paramref name="correction"/> (1 = unbiased, 0 = the
    /// population variance that normalisation layers use).
    /// </summary>
    public (Tensor Variance, Tensor Mean) VarMean(int[]? axes = null, bool keepDim = false, int correction = 1)
    {
        const string name = "VarMean";
        OpChecks.Floating(name, this);
        var dims = Shapes.Axes(name, axes, Rank);
        long count = dims.Aggregate(1L, (n, d) => n * shape[d]);
        if (correction < 0 || count - correction <= 0)
            throw new ArgumentException($"{name}: {count} elements per result of {OpChecks.Describe(this)} over axes [{string.Join(", ", dims)}] are too few for correction {correction}");
        var keptShape = Shapes.Reduced(shape, dims, keepDim: true);
        var meanKept = Empty(keptShape, DType, Device);
        var varianceKept = Empty(keptShape, DType, Device);
        Backend.Moments(Buffer, meanKept.Buffer, varianceKept.Buffer, correction);
        var mean = keepDim ? meanKept : meanKept.DropAxes(dims);
        var variance = keepDim ? varianceKept : varianceKept.DropAxes(dims);
        int[] inputShape = shape;
        mean.Record("VarMean (mean)", [this], [], (g, _) =>
        {
            using var expanded = g.Reshape(keptShape).Expand(inputShape);
            return [expanded * (1.0 / count)];
        });
        // d var / dx = 2 (x - mean) / (count - correction); the mean saved is the recorded output, so the rule stays
        // differentiable through it.
        variance.Record("VarMean (variance)", [this], [this, mean], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            var scale = g.Reshape(keptShape) * (2.0 / (count - correction));
            var shift = -(c.Saved(1).Reshape(keptShape) * scale);
            return [scope.Keep(MultiplyAdd(c.Saved(0), scale, shift))];
        });
        return (variance, mean);
    }
}
