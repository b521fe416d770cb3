using Engine.Ops;

namespace Engine;

public static partial class Functional
{
    /// <summary>
    /// 2-D convolution of <paramref name="input"/> [N, C, H, W] with <paramref name="weight"/> [K, C / groups, R, S],
    /// plus <paramref name="bias"/> [K] when given, like <c>torch.nn.functional.conv2d</c> (cross-correlation, zero
    /// padding). Stride and dilation default to 1, padding to 0.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Size2d? padding = null,
        Size2d? dilation = null, int groups = 1)
    {
        const string op = "Conv2d";
        CheckConvOperands(op, input, weight, bias);
        var geometry = Conv2dGeometry.ForConv(op, input.Dims, weight.Dims, stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        CheckBias(op, bias, geometry.OutChannels);
        return Convolution.Forward(input, weight, bias, geometry);
    }

    /// <summary>
    /// 2-D transposed convolution of <paramref name="input"/> [N, C_in, H, W] with <paramref name="weight"/>
    /// [C_in, C_out / groups, R, S], plus <paramref name="bias"/> [C_out], like <c>torch.nn.functional.conv_transpose2d</c>:
    /// the gradient of <see cref="Conv2d"/> with respect to its input. The output is
    /// (H - 1) stride - 2 padding + dilation (R - 1) + outputPadding + 1 high (likewise wide).
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Size2d? padding = null,
        Size2d? outputPadding = null, Size2d? dilation = null, int groups = 1)
    {
        const string op = "ConvTranspose2d";
        CheckConvOperands(op, input, weight, bias);
        var geometry = Conv2dGeometry.ForTranspose(op, input.Dims, weight.Dims, stride ?? 1, padding ?? 0, outputPadding ?? 0, dilation ?? 1, groups);
        CheckBias(op, bias, geometry.InChannels);
        return Convolution.Transpose(input, weight, bias, geometry);
    }

    private static void CheckConvOperands(string op, Tensor input, Tensor weight, Tensor? bias)
    {
        OpChecks.Floating(op, input);
        OpChecks.Compatible(op, input, weight);
        if (bias is not null) OpChecks.Compatible(op, input, bias);
    }

    private static void CheckBias(string op, Tensor? bias, int channels)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Dims[0] != channels))
            throw new ArgumentException($"{op}: bias {OpChecks.Describe(bias)} should be [{channels}], one value per output channel");
    }
}
