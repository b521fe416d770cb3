using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Modules;

/// <summary>Layers compute their functional forms, initialise as PyTorch does (seeded), and keep their state.</summary>
public class LayerTests
{
    [Fact]
    public void LinearAndConv2dComputeTheirFunctionalForms()
    {
        using var scope = TensorScope.Begin();
        using var linear = new Linear(5, 3, generator: new Generator(1));
        using var conv = new Conv2d(2, 4, 3, stride: 2, padding: 1, generator: new Generator(2));
        var x = Tensor.Randn([6, 5], generator: new Generator(3));
        var image = Tensor.Randn([2, 2, 7, 7], generator: new Generator(4));
        Assert.Equal(Tensor.Linear(x, linear.Weight, linear.Bias).ToArray<float>(), linear.Forward(x).ToArray<float>());
        Assert.Equal(Functional.Conv2d(image, conv.Weight, conv.Bias, 2, 1).ToArray<float>(), conv.Forward(image).ToArray<float>());
        Assert.Equal([2, 4, 4, 4], conv.Forward(image).Shape);
    }

    [Fact]
    public void DefaultInitialisationDrawsFromPyTorchsRangesAndDependsOnlyOnTheSeed()
    {
        using var a = new Conv2d(16, 8, 3, generator: new Generator(7));
        using var b = new Conv2d(16, 8, 3, generator: new Generator(7));
        using var c = new Conv2d(16, 8, 3, generator: new Generator(8));
        double bound = 1 / Math.Sqrt(16 * 9);
        var weights = a.Weight.ToArray<float>();
        Assert.All(weights, w => Assert.InRange(w, -bound, bound));
        Assert.All(a.Bias!.ToArray<float>(), w => Assert.InRange(w, -bound, bound));
        Assert.True(weights.Max() > 0.9 * bound && weights.Min() < -0.9 * bound, "the draws fill the range");
        Assert.Equal(weights, b.Weight.ToArray<float>());
        Assert.NotEqual(weights, c.Weight.ToArray<float>());
    }

    [Theory]
    [InlineData("kaiming normal fan in", 2.0 / 256)]
    [InlineData("kaiming normal fan out relu", 2.0 / 2048)]
    [InlineData("kaiming uniform", 2.0 / 256)]
    [InlineData("xavier normal", 2.0 / (256 + 2048))]
    [InlineData("xavier uniform", 2.0 / (256 + 2048))]
    public void InitialisationsHaveTheirVariance(string scheme, double variance)
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Zeros([128, 16, 4, 4]);
        var g = new Generator(11);
        switch (scheme)
        {
            case "kaiming normal fan in": Init.KaimingNormal(w, nonlinearity: Nonlinearity.Relu, generator: g); break;
            case "kaiming normal fan out relu": Init.KaimingNormal(w, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu, generator: g); break;
            case "kaiming uniform": Init.KaimingUniform(w, nonlinearity: Nonlinearity.Relu, generator: g); break;
            case "xavier normal": Init.XavierNormal(w, generator: g); break;
            default: Init.XavierUniform(w, generator: g); break;
        }
        var (v, mean) = w.VarMean();
        Assert.InRange(mean.Item<float>(), -0.05 * Math.Sqrt(variance), 0.05 * Math.Sqrt(variance));
        Assert.InRange(v.Item<float>(), 0.95 * variance, 1.05 * variance);
        Assert.Equal((256L, 2048L), Init.Fans(w));
    }

    [Fact]
    public void BatchNorm2dTracksRunningStatisticsInTrainingAndUsesThemInEvaluation()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm2d(3, momentum: 0.5);
        var x = Tensor.Randn([4, 3, 5, 5], generator: new Generator(5)) * 2 + 1;
        var y = bn.Forward(x);
        var (variance, mean) = x.VarMean([0, 2, 3], correction: 1);
        Assert.Equal(1L, bn.NamedBuffers().Single(b => b.Name == "num_batches_tracked").Buffer.Item<long>());
        Assert.Equal((mean * 0.5).ToArray<float>(), bn.RunningMean!.ToArray<float>(), new FloatTolerance(1e-6f));
        Assert.Equal((variance * 0.5 + 0.5).ToArray<float>(), bn.RunningVar!.ToArray<float>(), new FloatTolerance(1e-5f));
        Assert.InRange(y.Mean().Item<float>(), -1e-5f, 1e-5f);
        bn.Eval();
        var expected = Functional.BatchNorm(x, bn.RunningMean, bn.RunningVar, bn.Weight, bn.Bias);
        Assert.Equal(expected.ToArray<float>(), bn.Forward(x).ToArray<float>());
        Assert.Equal(1L, bn.NamedBuffers().Single(b => b.Name == "num_batches_tracked").Buffer.Item<long>());
    }

    [Fact]
    public void BatchNorm2dWithoutMomentumAveragesAllBatches()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm2d(2, momentum: null);
        var first = Tensor.Randn([3, 2, 4, 4], generator: new Generator(1));
        var second = Tensor.Randn([3, 2, 4, 4], generator: new Generator(2)) + 3;
        bn.Forward(first);
        bn.Forward(second);
        var average = (first.Mean([0, 2, 3]) + second.Mean([0, 2, 3])) * 0.5;
        Assert.Equal(average.ToArray<float>(), bn.RunningMean!.ToArray<float>(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void DropoutModuleDropsOnlyInTraining()
    {
        using var scope = TensorScope.Begin();
        using var dropout = new Dropout(0.5, new Generator(3));
        var x = Tensor.Ones([1000]);
        double kept = (dropout.Forward(x) > 0).Mean().Item<float>();
        Assert.InRange(kept, 0.4, 0.6);
        dropout.Eval();
        Assert.Equal(x.ToArray<float>(), dropout.Forward(x).ToArray<float>());
        Expect.Throws<ArgumentException>(() => new Dropout(2), "Dropout", "[0, 1]");
    }

    [Fact]
    public void ModulesRejectBadInputsWithClearMessages()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm2d(3);
        using var conv = new Conv2d(3, 4, 3);
        using var net = new MnistConvNet();
        Expect.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([2, 3])), "BatchNorm2d", "4-D input", "[2, 3]");
        Expect.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros([1, 2, 5, 5])), "Conv2d", "[1, 2, 5, 5]", "[4, 3, 3, 3]");
        Expect.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros([1, 1, 32, 32])), "MnistConvNet", "[N, 1, 28, 28]");
        Expect.Throws<ArgumentException>(() => new Conv2d(3, 4, 3, groups: 2), "Conv2d", "divisible by groups = 2");
    }

    [Fact]
    public void ModelsProduceLogitsOfTheRightShape()
    {
        using var scope = TensorScope.Begin();
        using var mnist = new MnistConvNet(generator: new Generator(1));
        using var resnet = new ResNet(ResNetBlock.Bottleneck, 1, classes: 7, generator: new Generator(2));
        Assert.Equal([2, 10], mnist.Forward(Tensor.Zeros([2, 1, 28, 28])).Shape);
        Assert.Equal([3, 7], resnet.Forward(Tensor.Randn([3, 3, 16, 16], generator: new Generator(3))).Shape);
        using var tape = Tape.Record();
        tape.Backward(resnet.Forward(Tensor.Randn([2, 3, 8, 8], generator: new Generator(4))).Sum());
        Assert.All(resnet.Parameters(), p => Assert.NotNull(p.Grad));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance * (1 + Math.Abs(b));
        public int GetHashCode(float value) => 0;
    }
}
