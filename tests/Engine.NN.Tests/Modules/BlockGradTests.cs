using Engine.NN.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.NN.Tests.Modules;

/// <summary>The parameter gradients of the ResNet blocks (in training mode, batch statistics) against finite differences in F64.</summary>
public class BlockGradTests
{
    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(2, 3, 2)]
    public void BasicBlockParameterGradientsMatchFiniteDifferences(int inPlanes, int planes, int stride)
    {
        using var scope = TensorScope.Begin();
        using var block = new BasicBlock(inPlanes, planes, stride, DType.F64, new Generator(21));
        RandomiseNorms(block, 22);
        var x = Tensor.Randn([2, inPlanes, 4, 4], DType.F64, new Generator(23));
        ModuleGradCheck.Check($"BasicBlock({inPlanes}, {planes}, stride {stride})", block, x);
    }

    [Fact]
    public void BottleneckParameterGradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        using var block = new Bottleneck(3, 1, 2, DType.F64, new Generator(31));
        RandomiseNorms(block, 32);
        var x = Tensor.Randn([2, 3, 4, 4], DType.F64, new Generator(33));
        ModuleGradCheck.Check("Bottleneck(3, 1, stride 2)", block, x);
    }

    /// <summary>Batch-norm weights and biases (the blocks' only 1-D parameters) away from 1 and 0, so their gradients are not special cases.</summary>
    private static void RandomiseNorms(Module block, ulong seed)
    {
        var generator = new Generator(seed);
        foreach (var p in block.Parameters().Where(p => p.Rank == 1)) Init.Uniform(p, 0.5, 1.5, generator);
    }
}
