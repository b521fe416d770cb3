namespace Engine.Ops;

/// <summary>
/// The three linear maps of a convolution, each an op whose backward rule is written with the other two: the
/// convolution y = conv(x, w), its transpose (the input gradient), and its weight gradient. The operands have been
/// checked by the public functions; every rule is itself differentiable.
/// </summary>
internal static class Convolution
{
    /// <summary>y = conv(x, w) (+ bias).</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, Conv2dGeometry geometry)
    {
        var y = Tensor.Empty(geometry.OutputShape, x.DType, x.Device);
        x.Backend.Conv2d(x.Buffer, w.Buffer, bias?.Buffer, y.Buffer, geometry);
        return y.Record("Conv2d", bias is null ? [x, w] : [x, w, bias], [x, w], (gy, c) =>
        {
            var grads = new Tensor?[bias is null ? 2 : 3];
            if (c.Needs(0)) grads[0] = Transpose(gy, c.Saved(1), null, geometry);
            if (c.Needs(1)) grads[1] = WeightGradient(c.Saved(0), gy, geometry);
            if (bias is not null && c.Needs(2)) grads[2] = BiasGradient(gy);
            return grads;
        });
    }

    /// <summary>The gradient of a per-channel bias: the sum of gy over images and pixels.</summary>
    private static Tensor BiasGradient(Tensor gy)
    {
        using var sum = BroadcastGradient.SumTo(gy, [1, gy.Dims[1], 1, 1]);
        return sum.Reshape(gy.Dims[1]);
    }

    /// <summary>The transposed convolution of x (shaped like conv's output) with w (+ bias): shaped like conv's input.</summary>
    public static Tensor Transpose(Tensor x, Tensor w, Tensor? bias, Conv2dGeometry geometry)
    {
        var y = Tensor.Empty(geometry.InputShape, x.DType, x.Device);
        x.Backend.Conv2dTranspose(x.Buffer, w.Buffer, bias?.Buffer, y.Buffer, geometry);
        return y.Record("ConvTranspose2d", bias is null ? [x, w] : [x, w, bias], [x, w], (gy, c) =>
        {
            var grads = new Tensor?[bias is null ? 2 : 3];
            if (c.Needs(0)) grads[0] = Forward(gy, c.Saved(1), null, geometry);
            if (c.Needs(1)) grads[1] = WeightGradient(gy, c.Saved(0), geometry);
            if (bias is not null && c.Needs(2)) grads[2] = BiasGradient(gy);
            return grads;
        });
    }

    /// <summary>The gradient of sum(gy * conv(x, w)) with respect to w; it is bilinear in x and gy.</summary>
    public static Tensor WeightGradient(Tensor x, Tensor gy, Conv2dGeometry geometry)
    {
        var gw = Tensor.Empty(geometry.WeightShape, x.DType, x.Device);
        x.Backend.Conv2dWeightGradient(x.Buffer, gy.Buffer, gw.Buffer, geometry);
        return gw.Record("Conv2dWeightGradient", [x, gy], [x, gy], (g, c) =>
        [
            c.Needs(0) ? Transpose(c.Saved(1), g, null, geometry) : null,
            c.Needs(1) ? Forward(c.Saved(0), g, null, geometry) : null,
        ]);
    }
}
