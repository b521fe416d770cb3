using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>
/// A training step of a small MLP (forward, tape backward, gradient-descent update) inside a scope leaves
/// BytesInUse where it was once the gradients are cleared, and later steps are served from the cache.
/// </summary>
[Collection(MemoryCounterCollection.Name)]
public class TrainingStepMemoryTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    [Fact]
    public void AScopedStepReturnsToTheBaseline()
    {
        var generator = new Generator(42);
        Tensor Parameter(int[] shape, double scale)
        {
            using var scope = TensorScope.Begin();
            var p = scope.Keep(Tensor.Randn(shape, generator: generator) * scale);
            p.RequiresGrad = true;
            return p;
        }
        using var inputs = Tensor.Rand([64, 2], generator: generator);
        using var targets = Tensor.Randn([64, 1], generator: generator);
        using var w1 = Parameter([16, 2], Math.Sqrt(1.0 / 2));
        using var b1 = Parameter([16], 0);
        using var w2 = Parameter([1, 16], Math.Sqrt(1.0 / 16));
        using var b2 = Parameter([1], 0);
        Tensor[] parameters = [w1, b1, w2, b2];

        long baseline = Stats.BytesInUse;
        var losses = new List<float>();
        long nativeAfterFirstStep = 0;
        for (int step = 0; step < 4; step++)
        {
            using (var scope = TensorScope.Begin())
            using (var tape = Tape.Record())
            {
                var hidden = Tensor.Linear(inputs, w1, b1).Tanh();
                var loss = Functional.MseLoss(Tensor.Linear(hidden, w2, b2), targets);
                tape.Backward(loss);
                losses.Add(loss.Item<float>());
                using var noGrad = Tape.NoGrad();
                foreach (var p in parameters)
                {
                    Assert.Equal(p.Shape, p.Grad!.Shape);
                    p.CopyFrom(Tensor.LinearCombination(p, [-0.1], [p.Grad]));
                }
            }
            Assert.True(Stats.BytesInUse > baseline, "the gradients are still held");
            foreach (var p in parameters) p.ZeroGrad();
            Assert.Equal(baseline, Stats.BytesInUse);
            if (step == 0) nativeAfterFirstStep = Stats.NativeAllocationCount;
        }
        Assert.Equal(nativeAfterFirstStep, Stats.NativeAllocationCount);
        Assert.True(losses[^1] < losses[0], $"loss went from {losses[0]} to {losses[^1]}");
    }
}
