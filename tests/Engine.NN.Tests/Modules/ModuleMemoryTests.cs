using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Xunit;

namespace Engine.NN.Tests.Modules;

/// <summary>Modules own their tensors: parameters survive the scope they were built in, and memory comes back after training steps and disposal.</summary>
[Collection(MemoryCounterCollection.Name)]
public class ModuleMemoryTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    [Fact]
    public void ParametersOutliveTheScopeTheModuleWasBuiltInAndDisposeFreesThem()
    {
        long baseline = Stats.BytesInUse;
        Module net;
        using (TensorScope.Begin())
            net = new Sequential(new Linear(64, 64), new ReLU());
        using (TensorScope.Begin())
            Assert.Equal([2, 64], net.Forward(Tensor.Ones([2, 64])).Shape);
        Assert.True(Stats.BytesInUse > baseline);
        net.Dispose();
        net.Dispose();
        Assert.Equal(baseline, Stats.BytesInUse);
        Assert.Throws<ObjectDisposedException>(() => net.Parameters().ToArray());
    }

    /// <summary>
    /// A scoped training step of a ResNet (forward, backward, SGD with momentum) leaves only the parameters, buffers and
    /// optimizer state behind: every step after the first (which creates the momentum buffers) returns to the same
    /// bytes in use, served from the allocator's cache, and disposing everything returns to the starting point.
    /// </summary>
    [Fact]
    public void AScopedResNetTrainingStepReturnsToTheBaseline()
    {
        long before = Stats.BytesInUse;
        using (var model = new ResNet(ResNetBlock.Basic, 1, classes: 4, generator: new Generator(3)))
        using (var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9, weightDecay: 1e-4))
        using (var inputs = Tensor.Randn([4, 3, 8, 8], generator: new Generator(4)))
        using (var labels = Tensor.From(new long[] { 0, 1, 2, 3 }))
        {
            long afterModel = Stats.BytesInUse, baseline = 0, native = 0;
            var losses = new List<double>();
            for (int step = 0; step < 4; step++)
            {
                using (var scope = TensorScope.Begin())
                using (var tape = Tape.Record())
                {
                    var loss = Functional.CrossEntropy(model.Forward(inputs), labels);
                    tape.Backward(loss);
                    optimizer.Step();
                    losses.Add(loss.Item<double>());
                }
                long held = Stats.BytesInUse;
                optimizer.ZeroGrad();
                Assert.True(held > Stats.BytesInUse, "the gradients were held until ZeroGrad");
                if (step == 0)
                {
                    baseline = Stats.BytesInUse;
                    native = Stats.NativeAllocationCount;
                    Assert.True(baseline > afterModel, "the first step creates the momentum buffers");
                }
                Assert.Equal(baseline, Stats.BytesInUse);
            }
            Assert.Equal(native, Stats.NativeAllocationCount);
            Assert.True(losses[^1] < losses[0], $"loss went from {losses[0]} to {losses[^1]}");
        }
        Assert.Equal(before, Stats.BytesInUse);
    }
}
