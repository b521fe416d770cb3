using Engine.Random;

namespace Engine.NN;

/// <summary>
/// 2-D transposed convolution over [N, C, H, W], like <c>torch.nn.ConvTranspose2d</c>. Weight [in, out / groups, kh, kw]
/// and bias [out], initialised as PyTorch does (<see cref="Init.LayerDefaults"/> on the weight's own fans).
/// </summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>Creates the layer with parameters drawn from <paramref name="generator"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
        Size2d? outputPadding = null, Size2d? dilation = null, int groups = 1, bool bias = true, DType dtype = DType.F32, Generator? generator = null)
    {
        Conv2d.CheckChannels(nameof(ConvTranspose2d), inChannels, outChannels, groups);
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        OutputPadding = outputPadding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        var weight = RegisterParameter("weight", Tensor.Zeros([inChannels, outChannels / groups, kernelSize.Height, kernelSize.Width], dtype));
        Init.LayerDefaults(weight, bias ? RegisterParameter("bias", Tensor.Zeros([outChannels], dtype)) : null, generator);
    }

    /// <summary>Stride.</summary>
    public Size2d Stride { get; }
    /// <summary>Padding removed from each side of the output.</summary>
    public Size2d Padding { get; }
    /// <summary>Rows and columns added at the end of the output.</summary>
    public Size2d OutputPadding { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public Size2d Dilation { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>[in, out / groups, kh, kw].</summary>
    public Tensor Weight => Parameter("weight");

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias => HasParameter("bias") ? Parameter("bias") : null;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Dilation, Groups);
}
