using Engine.Random;

namespace Engine.NN;

/// <summary>
/// The ResNet basic block (He et al. 2016): relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)) with 3x3
/// convolutions. The shortcut is the identity, or, when the stride or the width changes, a projection
/// (1x1 convolution with the block's stride and batch norm) named <c>downsample</c> as in torchvision.
/// </summary>
public sealed class BasicBlock : Module
{
    /// <summary>Output channels per unit of <c>planes</c>.</summary>
    public const int Expansion = 1;

    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels; convolutions drawn from <paramref name="generator"/>.</summary>
    public BasicBlock(int inPlanes, int planes, int stride = 1, DType dtype = DType.F32, Generator? generator = null)
    {
        conv1 = RegisterModule("conv1", ResNetLayers.Conv(inPlanes, planes, 3, stride, dtype, generator));
        bn1 = RegisterModule("bn1", new BatchNorm2d(planes, dtype: dtype));
        conv2 = RegisterModule("conv2", ResNetLayers.Conv(planes, planes, 3, 1, dtype, generator));
        bn2 = RegisterModule("bn2", new BatchNorm2d(planes, dtype: dtype));
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = RegisterModule("downsample", ResNetLayers.Projection(inPlanes, planes * Expansion, stride, dtype, generator));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var residual = bn2.Forward(conv2.Forward(bn1.Forward(conv1.Forward(input)).Relu()));
        var shortcut = downsample?.Forward(input) ?? input;
        return (residual + shortcut).Relu();
    }
}
