using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>
/// The convolution, normalisation, pooling and dropout ops, forward outside any scope and forward plus backward inside
/// one, leave nothing allocated once their results are disposed: no leaked index tensors, contiguous copies or saved
/// tensors, on strided inputs too.
/// </summary>
[Collection(MemoryCounterCollection.Name)]
public class LayerOpLeakTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    /// <summary>x [3, 4, 5, 6], w [4, 4, 3, 3], its transpose view, b [4] and b viewed as [1, 4, 1, 1], running mean and variance [4].</summary>
    private static Tensor[] Run(Tensor x, Tensor w, Tensor wT, Tensor b, Tensor b4, Tensor mean, Tensor variance)
    {
        var (v, m) = x.VarMean([0, 2, 3]);
        return
        [
            Functional.Conv2d(x, w, b, 2, 1), Functional.ConvTranspose2d(x, wT, null, 2, 1, 1),
            Functional.BatchNorm(x, mean, variance, b, b, training: true), Functional.BatchNorm(x, mean, variance),
            Functional.GroupNorm(x, 2, b, b), Functional.LayerNorm(x, [5, 6]), Functional.MaxPool2d(x, 2),
            Functional.AvgPool2d(x, 3, 2, 1), Functional.AdaptiveAvgPool2d(x, 1), Functional.Dropout(x, 0.5, generator: new Generator(1)),
            Tensor.MultiplyAdd(x, b4, x), v, m,
        ];
    }

    [Fact]
    public void OpsOutsideAScopeFreeEverythingWhenDisposed()
    {
        Assert.Null(TensorScope.Current);
        var whole = Tensor.Randn([3, 6, 6, 5], DType.F64, new Generator(1));
        var transposed = whole.Transpose(2, 3);
        var x = transposed.Narrow(1, 0, 4);
        var w = Tensor.Randn([4, 4, 3, 3], DType.F64, new Generator(2));
        var wT = w.Transpose(0, 1);
        var b = Tensor.Ones([4], DType.F64);
        var b4 = b.Reshape(1, 4, 1, 1);
        var mean = Tensor.Zeros([4], DType.F64);
        var variance = Tensor.Ones([4], DType.F64);
        long before = Stats.BytesInUse;
        foreach (var t in Run(x, w, wT, b, b4, mean, variance)) t.Dispose();
        Assert.Equal(before, Stats.BytesInUse);
        foreach (var t in new[] { whole, transposed, x, w, wT, b, b4, mean, variance }) t.Dispose();
    }

    [Fact]
    public void ForwardAndBackwardInAScopeFreeEverything()
    {
        long before = Stats.BytesInUse;
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Record())
        {
            var x = Tensor.Randn([3, 4, 5, 6], DType.F64, new Generator(1));
            var w = Tensor.Randn([4, 4, 3, 3], DType.F64, new Generator(2));
            var b = Tensor.Ones([4], DType.F64);
            foreach (var t in new[] { x, w, b }) tape.Watch(t);
            var outputs = Run(x, w, w.Transpose(0, 1), b, b.Reshape(1, 4, 1, 1), Tensor.Zeros([4], DType.F64), Tensor.Ones([4], DType.F64));
            var loss = outputs.Select(t => t.Square().Sum()).Aggregate((s, t) => s + t);
            var grads = tape.Gradients(loss, x, w, b);
            Assert.All(grads, g => Assert.True(g.Abs().Sum().Item<double>() > 0));
        }
        Assert.Equal(before, Stats.BytesInUse);
    }
}
