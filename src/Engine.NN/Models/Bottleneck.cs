using Engine.Random;

namespace Engine.NN;

/// <summary>
/// The ResNet bottleneck block: 1x1 reduce to <c>planes</c>, 3x3 (carrying the stride, as in torchvision's ResNet v1.5),
/// 1x1 expand to 4 <c>planes</c>, each followed by batch norm, ReLU after each but the last, plus the shortcut (the
/// identity, or a projection named <c>downsample</c> when the stride or the width changes), then ReLU.
/// </summary>
public sealed class Bottleneck : Module
{
    /// <summary>Output channels per unit of <c>planes</c>.</summary>
    public const int Expansion = 4;

    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly Sequential? downsample;

    /// <summary>A block from <paramref name="inPlanes"/> to 4 <paramref name="planes"/> channels.</summary>
    public Bottleneck(int inPlanes, int planes, int stride = 1, DType dtype = DType.F32, Generator? generator = null)
    {
        conv1 = RegisterModule("conv1", ResNetLayers.Conv(inPlanes, planes, 1, 1, dtype, generator));
        bn1 = RegisterModule("bn1", new BatchNorm2d(planes, dtype: dtype));
        conv2 = RegisterModule("conv2", ResNetLayers.Conv(planes, planes, 3, stride, dtype, generator));
        bn2 = RegisterModule("bn2", new BatchNorm2d(planes, dtype: dtype));
        conv3 = RegisterModule("conv3", ResNetLayers.Conv(planes, planes * Expansion, 1, 1, dtype, generator));
        bn3 = RegisterModule("bn3", new BatchNorm2d(planes * Expansion, dtype: dtype));
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = RegisterModule("downsample", ResNetLayers.Projection(inPlanes, planes * Expansion, stride, dtype, generator));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = bn1.Forward(conv1.Forward(input)).Relu();
        x = bn2.Forward(conv2.Forward(x)).Relu();
        x = bn3.Forward(conv3.Forward(x));
        var shortcut = downsample?.Forward(input) ?? input;
        return (x + shortcut).Relu();
    }
}
