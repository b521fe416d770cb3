using Engine.Random;

namespace Engine.NN;

/// <summary>
/// 2-D convolution over [N, C, H, W], like <c>torch.nn.Conv2d</c> (zero padding). Weight [out, in / groups, kh, kw]
/// and bias [out] are initialised as PyTorch does (<see cref="Init.LayerDefaults"/>).
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with parameters drawn from <paramref name="generator"/>.</summary>
    public Conv2d(int inChannels, int outChannels, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, Size2d? dilation = null,
        int groups = 1, bool bias = true, DType dtype = DType.F32, Generator? generator = null)
    {
        CheckChannels(nameof(Conv2d), inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        var weight = RegisterParameter("weight", Tensor.Zeros([outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width], dtype));
        Init.LayerDefaults(weight, bias ? RegisterParameter("bias", Tensor.Zeros([outChannels], dtype)) : null, generator);
    }

    /// <summary>Channel counts must be positive and divisible by the groups (shared with <see cref="ConvTranspose2d"/>).</summary>
    internal static void CheckChannels(string layer, int inChannels, int outChannels, int groups)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"{layer}: channels {inChannels} -> {outChannels} must be positive and divisible by groups = {groups}");
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel height and width.</summary>
    public Size2d KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2d Stride { get; }
    /// <summary>Zero padding on each side.</summary>
    public Size2d Padding { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public Size2d Dilation { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>[out, in / groups, kh, kw].</summary>
    public Tensor Weight => Parameter("weight");

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias => HasParameter("bias") ? Parameter("bias") : null;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc />
    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}" +
        (Dilation != new Size2d(1, 1) ? $", dilation={Dilation}" : "") + (Groups != 1 ? $", groups={Groups}" : "") + (Bias is null ? ", bias=False" : "");
}
