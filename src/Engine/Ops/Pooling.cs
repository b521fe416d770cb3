namespace Engine.Ops;

/// <summary>
/// The pooling ops. Average pooling and its transpose are each other's backward rule; max pooling's rule scatters the
/// gradient to the positions of the maxima, and that scatter's rule gathers from them.
/// </summary>
internal static class Pooling
{
    public static Tensor Max(Tensor x, Pool2dWindows windows)
    {
        int[] shape = OutputShape(x.Dims, windows), inputShape = x.Dims;
        var y = Tensor.Empty(shape, x.DType, x.Device);
        var indices = Tensor.Empty(shape, DType.I64, x.Device);
        x.Backend.MaxPool2d(x.Buffer, y.Buffer, indices.Buffer, windows);
        var result = y.Record("MaxPool2d", [x], [indices], (g, c) => [MaxScatter(g, c.Saved(0), inputShape, windows)]);
        indices.Dispose();
        return result;
    }

    /// <summary>The adjoint of max pooling for fixed positions: each element of gy added at its position in its plane.</summary>
    internal static Tensor MaxScatter(Tensor gy, Tensor indices, int[] inputShape, Pool2dWindows windows)
    {
        var gx = Tensor.Empty(inputShape, gy.DType, gy.Device);
        gy.Backend.MaxPool2dBackward(gy.Buffer, indices.Buffer, gx.Buffer, windows);
        int[] outputShape = gy.Dims;
        return gx.Record("MaxPool2dBackward", [gy], [indices], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            int n = outputShape[0], channels = outputShape[1];
            var gathered = g.Reshape(n, channels, -1).Gather(2, c.Saved(0).Reshape(n, channels, -1));
            return [scope.Keep(gathered.Reshape(outputShape))];
        });
    }

    public static Tensor Average(Tensor x, Pool2dWindows windows)
    {
        var y = Tensor.Empty(OutputShape(x.Dims, windows), x.DType, x.Device);
        x.Backend.AvgPool2d(x.Buffer, y.Buffer, windows);
        int[] inputShape = x.Dims;
        return y.Record("AvgPool2d", [x], [], (g, _) => [AverageTranspose(g, windows, inputShape)]);
    }

    /// <summary>The adjoint of <see cref="Average"/>: each element of gy spread evenly over its window.</summary>
    public static Tensor AverageTranspose(Tensor gy, Pool2dWindows windows, int[] inputShape)
    {
        var gx = Tensor.Empty(inputShape, gy.DType, gy.Device);
        gy.Backend.AvgPool2dTranspose(gy.Buffer, gx.Buffer, windows);
        return gx.Record("AvgPool2dTranspose", [gy], [], (g, _) => [Average(g, windows)]);
    }

    private static int[] OutputShape(int[] input, Pool2dWindows windows) => [input[0], input[1], windows.Rows.Outputs, windows.Columns.Outputs];
}
