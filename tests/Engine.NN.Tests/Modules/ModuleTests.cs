using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Modules;

/// <summary>Names, modes, state dictionaries, conversion and ownership of modules.</summary>
public class ModuleTests
{
    [Fact]
    public void ParametersAndBuffersAreNamedByPathInRegistrationOrder()
    {
        using var net = new Sequential(new Conv2d(1, 2, 3, bias: false), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 3));
        Assert.Equal(["0.weight", "1.weight", "1.bias", "4.weight", "4.bias"], net.NamedParameters().Select(p => p.Name));
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "4.weight", "4.bias"], net.StateDict().Keys);
        Assert.Equal(["", "0", "1", "2", "3", "4"], net.NamedModules().Select(m => m.Name));
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(18 + 2 + 2 + 24 + 3, net.ParameterCount);
    }

    [Fact]
    public void ResNetNamesFollowTorchvisionAndResNet20HasTheExpectedSize()
    {
        using var resnet = ResNet.Cifar(20, generator: new Generator(1));
        var names = resnet.StateDict().Keys.ToArray();
        Assert.Contains("conv1.weight", names);
        Assert.Contains("layer1.0.conv1.weight", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer3.2.bn2.running_var", names);
        Assert.Contains("fc.bias", names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);
        // conv1 432 + bn1 32, stage 1: 3 x 4,672; stage 2: 14,528 + 2 x 18,560; stage 3: 57,728 + 2 x 73,984; fc 650.
        Assert.Equal(272_474, resnet.ParameterCount);
        using var bottleneck = ResNet.Cifar(29, generator: new Generator(1));
        Assert.Equal(ResNetBlock.Bottleneck, bottleneck.Block);
        Expect.Throws<ArgumentException>(() => ResNet.Cifar(21), "ResNet.Cifar", "depth 21", "6n + 2", "9n + 2");
    }

    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        using var net = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5), new BatchNorm2d(1)));
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));
        net.Eval();
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training));
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));
    }

    [Fact]
    public void LoadStateDictCopiesValuesAndNamesEveryMismatch()
    {
        using var source = new Sequential(new Linear(3, 2, generator: new Generator(1)), new BatchNorm2d(2));
        using var target = new Sequential(new Linear(3, 2, generator: new Generator(2)), new BatchNorm2d(2));
        target.LoadStateDict(source.StateDict());
        foreach (var ((name, a), (_, b)) in source.StateDict().Zip(target.StateDict()))
            Assert.True(a.ToArray<double>().SequenceEqual(b.ToArray<double>()), name);

        using var scope = TensorScope.Begin();
        var state = source.StateDict().ToDictionary();
        state.Remove("0.bias");
        state["extra"] = Tensor.Zeros([1]);
        Expect.Throws<ArgumentException>(() => target.LoadStateDict(state), "missing: 0.bias", "unexpected: extra");
        target.LoadStateDict(state, strict: false);
        state["0.weight"] = Tensor.Zeros([2, 4]);
        state["1.running_mean"] = Tensor.Zeros([2], DType.F64);
        Expect.Throws<ArgumentException>(() => target.LoadStateDict(state, strict: false),
            "0.weight: shape [2, 4] in the state, [2, 3] in the module", "1.running_mean: dtype F64 in the state, F32 in the module");
    }

    [Fact]
    public void ToDTypeConvertsFloatingTensorsAndKeepsIntegerBuffers()
    {
        using var net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
        var before = net.StateDict()["0.weight"].ToArray<float>();
        net.To(DType.F64);
        var state = net.StateDict();
        Assert.Equal(DType.F64, state["0.weight"].DType);
        Assert.Equal(DType.F64, state["1.running_var"].DType);
        Assert.Equal(DType.I64, state["1.num_batches_tracked"].DType);
        Assert.True(state["0.weight"].RequiresGrad);
        Assert.Equal(before.Select(v => (double)v), state["0.weight"].ToArray<double>());
        Assert.Same(net, net.To(Device.Cpu));
    }

    [Fact]
    public void ToStringShowsTheTree()
    {
        using var net = new Sequential(new Conv2d(3, 8, 3, padding: 1, bias: false), new ReLU());
        Assert.Equal("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)\n  (1): ReLU()\n)",
            net.ToString().ReplaceLineEndings("\n"));
    }
}
