namespace Engine.Ops;

/// <summary>
/// The sizes of one 2-D convolution y = conv(x, w) in NCHW layout: x [N, C, H, W], w [K, C / groups, R, S],
/// y [N, K, P, Q]. The transposed convolution is the adjoint of this map (from y's space to x's), so it is
/// described by the geometry of the convolution it transposes.
/// </summary>
internal sealed record Conv2dGeometry(
    int Batch, int InChannels, int Height, int Width,
    int OutChannels, int KernelHeight, int KernelWidth,
    Size2d Stride, Size2d Padding, Size2d Dilation, int Groups,
    int OutHeight, int OutWidth)
{
    public int[] InputShape => [Batch, InChannels, Height, Width];
    public int[] OutputShape => [Batch, OutChannels, OutHeight, OutWidth];
    public int[] WeightShape => [OutChannels, InChannels / Groups, KernelHeight, KernelWidth];

    /// <summary>Multiply-adds of the forward convolution (the backward passes each do as many).</summary>
    public long MultiplyAdds => (long)Batch * OutChannels * OutHeight * OutWidth * (InChannels / Groups) * KernelHeight * KernelWidth;

    /// <summary>The geometry of conv2d(input, weight) with the given hyper-parameters; throws naming <paramref name="op"/> when they do not fit.</summary>
    public static Conv2dGeometry ForConv(string op, int[] input, int[] weight, Size2d stride, Size2d padding, Size2d dilation, int groups)
    {
        CheckRanks(op, input, weight, "[N, C, H, W]", "[K, C / groups, R, S]");
        CheckHyper(op, stride, padding, dilation, groups);
        int channels = input[1], outChannels = weight[0];
        if (channels % groups != 0 || outChannels % groups != 0 || weight[1] * groups != channels)
            throw new ArgumentException(
                $"{op}: input {Shapes.Format(input)} and weight {Shapes.Format(weight)} do not fit groups = {groups}; " +
                $"expected weight [K, C / groups, R, S] with C = {channels} and K divisible by {groups}");
        int outHeight = OutputSize(input[2], weight[2], stride.Height, padding.Height, dilation.Height);
        int outWidth = OutputSize(input[3], weight[3], stride.Width, padding.Width, dilation.Width);
        if (outHeight <= 0 || outWidth <= 0 || weight[2] <= 0 || weight[3] <= 0)
            throw new ArgumentException(
                $"{op}: kernel {weight[2]}x{weight[3]} with dilation {dilation} does not fit input {input[2]}x{input[3]} with padding {padding} " +
                $"(output would be {outHeight}x{outWidth})");
        return new Conv2dGeometry(input[0], channels, input[2], input[3], outChannels, weight[2], weight[3],
            stride, padding, dilation, groups, outHeight, outWidth);
    }

    /// <summary>
    /// The geometry of the convolution that conv_transpose2d(input, weight) transposes: its output is the transposed
    /// convolution's input [N, C_in, H, W] and its input the transposed convolution's result, of height
    /// (H - 1) * stride - 2 * padding + dilation * (R - 1) + outputPadding + 1 (likewise the width).
    /// </summary>
    public static Conv2dGeometry ForTranspose(string op, int[] input, int[] weight, Size2d stride, Size2d padding, Size2d outputPadding,
        Size2d dilation, int groups)
    {
        CheckRanks(op, input, weight, "[N, C_in, H, W]", "[C_in, C_out / groups, R, S]");
        CheckHyper(op, stride, padding, dilation, groups);
        if (outputPadding.Height < 0 || outputPadding.Width < 0
            || outputPadding.Height >= Math.Max(stride.Height, dilation.Height) || outputPadding.Width >= Math.Max(stride.Width, dilation.Width))
            throw new ArgumentException($"{op}: output padding {outputPadding} must be non-negative and smaller than the stride {stride} or the dilation {dilation}");
        int inChannels = input[1];
        if (weight[0] != inChannels || inChannels % groups != 0)
            throw new ArgumentException(
                $"{op}: input {Shapes.Format(input)} and weight {Shapes.Format(weight)} do not fit groups = {groups}; " +
                $"expected weight [C_in, C_out / groups, R, S] with C_in = {inChannels} divisible by {groups}");
        int height = (input[2] - 1) * stride.Height - 2 * padding.Height + dilation.Height * (weight[2] - 1) + outputPadding.Height + 1;
        int width = (input[3] - 1) * stride.Width - 2 * padding.Width + dilation.Width * (weight[3] - 1) + outputPadding.Width + 1;
        if (height <= 0 || width <= 0 || weight[2] <= 0 || weight[3] <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(input)} with weight {Shapes.Format(weight)}, stride {stride} and padding {padding} gives an empty output ({height}x{width})");
        // The output size is the transposed input's, not the forward rule's: with outputPadding >= stride (allowed when
        // the dilation is larger) the forward rule would give one more row, and the transposed op is the adjoint of the
        // convolution restricted to the first H x W outputs.
        return new Conv2dGeometry(input[0], weight[1] * groups, height, width, inChannels, weight[2], weight[3],
            stride, padding, dilation, groups, input[2], input[3]);
    }

    /// <summary>floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1, or 0 when the dilated kernel is larger than the padded input.</summary>
    private static int OutputSize(int size, int kernel, int stride, int padding, int dilation)
    {
        int span = size + 2 * padding - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    private static void CheckRanks(string op, int[] input, int[] weight, string inputForm, string weightForm)
    {
        if (input.Length != 4 || weight.Length != 4)
            throw new ArgumentException($"{op}: expected input {inputForm} and weight {weightForm}, got {Shapes.Format(input)} and {Shapes.Format(weight)}");
        if (input.Any(d => d <= 0))
            throw new ArgumentException($"{op}: input {Shapes.Format(input)} has an empty dimension");
    }

    private static void CheckHyper(string op, Size2d stride, Size2d padding, Size2d dilation, int groups)
    {
        if (stride.Height < 1 || stride.Width < 1) throw new ArgumentException($"{op}: stride {stride} must be positive");
        if (dilation.Height < 1 || dilation.Width < 1) throw new ArgumentException($"{op}: dilation {dilation} must be positive");
        if (padding.Height < 0 || padding.Width < 0) throw new ArgumentException($"{op}: padding {padding} must be non-negative");
        if (groups < 1) throw new ArgumentException($"{op}: groups must be positive, got {groups}");
    }
}
