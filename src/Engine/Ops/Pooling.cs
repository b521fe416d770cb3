namespace Engine.Ops;

/// <summary>The pooling ops. Average pooling and its transpose are each other's backward rule; max pooling scatters its gradient.</summary>
internal static class Pooling
{
    public static Tensor Max(Tensor x, Pool2dWindows windows)
    {
        int[] shape = OutputShape(x.Dims, windows), inputShape = x.Dims;
        var y = Tensor.Empty(shape, x.DType, x.Device);
        var indices = Tensor.Empty(shape, DType.I64, x.Device);
        x.Backend.MaxPool2d(x.Buffer, y.Buffer, indices.Buffer, windows);
        var result = y.Record("MaxPool2d", [x], [indices], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            int n = inputShape[0], channels = inputShape[1];
            var planes = Tensor.Zeros([n, channels, inputShape[2] * inputShape[3]], g.DType, g.Device);
            var scattered = planes.ScatterAdd(2, c.Saved(0).Reshape(n, channels, -1), g.Reshape(n, channels, -1));
            return [scope.Keep(scattered.Reshape(inputShape))];
        });
        indices.Dispose();
        return result;
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
