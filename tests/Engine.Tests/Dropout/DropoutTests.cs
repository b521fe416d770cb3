using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Autodiff;
using Engine.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Dropout;

/// <summary>Dropout's mask is the generator's uniform stream compared with p; kept values are scaled; its gradient uses the same mask.</summary>
public class DropoutTests
{
    [Theory]
    [InlineData(DType.F32, 0.3)]
    [InlineData(DType.F64, 0.3)]
    [InlineData(DType.F32, 0.9)]
    [InlineData(DType.F64, 0.5)]
    public void KeepsExactlyTheElementsWhoseUniformDrawIsAtLeastP(DType dtype, double p)
    {
        using var scope = TensorScope.Begin();
        int[] shape = [37, 53];
        var (x, rx) = Sample.Make(1, shape, dtype, Support.Layout.Strided);
        var uniform = Tensor.Rand(shape, dtype, new Generator(99)).ToArray<double>();
        var y = Functional.Dropout(x, p, generator: new Generator(99)).ToArray<double>();
        double scale = dtype == DType.F32 ? (float)(1 / (1 - p)) : 1 / (1 - p);
        for (int i = 0; i < y.Length; i++)
        {
            double expected = uniform[i] >= p ? (dtype == DType.F32 ? (float)(rx.Data[i] * scale) : rx.Data[i] * scale) : 0;
            Assert.True(expected == y[i], $"element {i}: {y[i]}, expected {expected} (uniform {uniform[i]}, p {p})");
        }
    }

    [Fact]
    public void KeepsAboutOneMinusPOfALargeTensorAndAdvancesTheGenerator()
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(7);
        var ones = Tensor.Ones([200_000]);
        var first = Functional.Dropout(ones, 0.25, generator: generator);
        var second = Functional.Dropout(ones, 0.25, generator: generator);
        double kept = (first > 0).Mean().Item<float>();
        Assert.InRange(kept, 0.745, 0.755);
        Assert.Equal(ones.Sum().Item<float>(), first.Sum().Item<float>(), 0.02 * 200_000);
        Assert.NotEqual(first.ToArray<float>(), second.ToArray<float>());
    }

    [Fact]
    public void IsTheIdentityInEvaluationOrForPZeroAndZeroForPOne()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([5, 6], DType.F64, new Generator(3));
        Assert.Equal(x.ToArray<double>(), Functional.Dropout(x, 0.5, training: false).ToArray<double>());
        Assert.Equal(x.ToArray<double>(), Functional.Dropout(x, 0).ToArray<double>());
        Assert.All(Functional.Dropout(x, 1).ToArray<double>(), v => Assert.Equal(0, v));
        Expect.Throws<ArgumentException>(() => Functional.Dropout(x, 1.5), "Dropout", "[0, 1]", "1.5");
    }

    [Fact]
    public void GradientUsesTheForwardMask() =>
        GradProperty.ForAll(
            from x in GradGen.Input(Domain.Normal)
            from seed in GradGen.Seed
            from p in FsCheck.Fluent.Gen.Elements(0.2, 0.5, 0.8)
            select (x, seed, p),
            c => GradCheck.Check($"Dropout(p {c.p}, seed {c.seed})", a => Functional.Dropout(a[0], c.p, generator: new Generator(c.seed)), c.x.Create()));

    [Fact]
    public void GradientInEvaluationIsTheIdentity()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([3, 4], DType.F64, new Generator(4));
        using var tape = Tape.Record();
        tape.Watch(x);
        var g = tape.Gradients(Functional.Dropout(x, 0.5, training: false).Sum(), x)[0];
        Assert.All(g.ToArray<double>(), v => Assert.Equal(1, v));
    }
}
