using Engine.Random;

namespace Engine.NN;

/// <summary>Which residual block a <see cref="ResNet"/> stacks.</summary>
public enum ResNetBlock
{
    /// <summary><see cref="BasicBlock"/>: two 3x3 convolutions.</summary>
    Basic,
    /// <summary><see cref="Bottleneck"/>: 1x1, 3x3, 1x1 with four-fold expansion.</summary>
    Bottleneck,
}

/// <summary>
/// The CIFAR-style ResNet of He et al. (2016, section 4.2) for 32x32 images: a 3x3 convolution to 16 channels with
/// batch norm and ReLU, three stages of n blocks at widths 16, 32, 64 (the second and third start with stride 2 and a
/// projection shortcut), global average pooling and a linear classifier. With basic blocks the depth is 6n + 2
/// (ResNet-20, -32, -44, -56, -110); with bottlenecks 9n + 2 (ResNet-164 for n = 18). Names follow torchvision
/// (<c>conv1</c>, <c>bn1</c>, <c>layer1.0.conv1</c>, ..., <c>fc</c>).
/// </summary>
public sealed class ResNet : Module
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1, layer2, layer3;
    private readonly Linear fc;

    /// <summary>A CIFAR ResNet of <paramref name="blocksPerStage"/> blocks per stage; weights drawn from <paramref name="generator"/>.</summary>
    public ResNet(ResNetBlock block, int blocksPerStage, int classes = 10, int inChannels = 3, DType dtype = DType.F32, Generator? generator = null)
    {
        if (blocksPerStage < 1) throw new ArgumentException($"ResNet: blocks per stage must be positive, got {blocksPerStage}");
        Block = block;
        BlocksPerStage = blocksPerStage;
        conv1 = RegisterModule("conv1", ResNetLayers.Conv(inChannels, 16, 3, 1, dtype, generator));
        bn1 = RegisterModule("bn1", new BatchNorm2d(16, dtype: dtype));
        int expansion = block == ResNetBlock.Basic ? BasicBlock.Expansion : Bottleneck.Expansion;
        int inPlanes = 16;
        Sequential Stage(string name, int planes, int stride)
        {
            var blocks = new Module[blocksPerStage];
            for (int i = 0; i < blocksPerStage; i++)
            {
                int s = i == 0 ? stride : 1;
                blocks[i] = block == ResNetBlock.Basic
                    ? new BasicBlock(inPlanes, planes, s, dtype, generator)
                    : new Bottleneck(inPlanes, planes, s, dtype, generator);
                inPlanes = planes * expansion;
            }
            return RegisterModule(name, new Sequential(blocks));
        }
        layer1 = Stage("layer1", 16, 1);
        layer2 = Stage("layer2", 32, 2);
        layer3 = Stage("layer3", 64, 2);
        fc = RegisterModule("fc", new Linear(64 * expansion, classes, dtype: dtype, generator: generator));
    }

    /// <summary>ResNet-<paramref name="depth"/> for CIFAR: basic blocks when depth = 6n + 2, otherwise bottlenecks when depth = 9n + 2.</summary>
    public static ResNet Cifar(int depth, int classes = 10, DType dtype = DType.F32, Generator? generator = null)
    {
        if (depth >= 8 && (depth - 2) % 6 == 0) return new ResNet(ResNetBlock.Basic, (depth - 2) / 6, classes, 3, dtype, generator);
        if (depth >= 11 && (depth - 2) % 9 == 0) return new ResNet(ResNetBlock.Bottleneck, (depth - 2) / 9, classes, 3, dtype, generator);
        throw new ArgumentException($"ResNet.Cifar: depth {depth} is neither 6n + 2 (basic blocks) nor 9n + 2 (bottlenecks)");
    }

    /// <summary>The block type.</summary>
    public ResNetBlock Block { get; }

    /// <summary>Blocks in each of the three stages.</summary>
    public int BlocksPerStage { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = bn1.Forward(conv1.Forward(input)).Relu();
        x = layer3.Forward(layer2.Forward(layer1.Forward(x)));
        return fc.Forward(Functional.AdaptiveAvgPool2d(x, 1).Flatten(1));
    }
}
