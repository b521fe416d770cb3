using Engine.Random;
using Xunit;

namespace Engine.Tests.Random;

/// <summary>Random tensors are a pure function of (seed, position in the stream): same seed, same tensors, on any path.</summary>
public class GeneratorTests
{
    public static TheoryData<DType, bool> Cases() => new()
    {
        { DType.F32, false }, { DType.F32, true }, { DType.F64, false }, { DType.F64, true },
    };

    private static Tensor Draw(Generator generator, int[] shape, DType dtype, bool normal) =>
        normal ? Tensor.Randn(shape, dtype, generator) : Tensor.Rand(shape, dtype, generator);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheSameSeedGivesTheSameTensors(DType dtype, bool normal)
    {
        using var scope = TensorScope.Begin();
        var first = new Generator(1234);
        var second = new Generator(1234);
        foreach (int[] shape in new[] { new[] { 7 }, [3, 5], [50_000] })
        {
            var a = Draw(first, shape, dtype, normal);
            var b = Draw(second, shape, dtype, normal);
            Assert.Equal(dtype, a.DType);
            Assert.Equal(shape, a.Shape);
            Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DifferentSeedsAndConsecutiveDrawsDiffer(DType dtype, bool normal)
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(7);
        var a = Draw(generator, [1000], dtype, normal).ToArray<double>();
        var b = Draw(generator, [1000], dtype, normal).ToArray<double>();
        var c = Draw(new Generator(8), [1000], dtype, normal).ToArray<double>();
        Assert.True(a.Zip(b).Count(p => p.First == p.Second) < 5, "consecutive draws repeat");
        Assert.True(a.Zip(c).Count(p => p.First == p.Second) < 5, "seeds 7 and 8 give the same values");
        Assert.True(a.Distinct().Count() > 990);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesDependOnlyOnTheirPositionInTheStream(DType dtype, bool normal)
    {
        using var scope = TensorScope.Begin();
        var whole = Draw(new Generator(99), [60_000], dtype, normal).ToArray<double>();
        var small = Draw(new Generator(99), [10], dtype, normal).ToArray<double>();
        var matrix = Draw(new Generator(99), [4, 5], dtype, normal).ToArray<double>();
        Assert.Equal(whole[..10], small);
        Assert.Equal(whole[..20], matrix);
    }

    [Fact]
    public void EachDrawAdvancesTheCounterByWholeBlocksOfFour()
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(5);
        Assert.Equal(5UL, generator.Seed);
        Assert.Equal(0UL, generator.Offset);
        Tensor.Rand([10], generator: generator);
        Assert.Equal(3UL, generator.Offset);
        Tensor.Randn([2, 2], DType.F64, generator);
        Assert.Equal(4UL, generator.Offset);
    }

    [Fact]
    public void ManualSeedResetsTheDefaultGenerator()
    {
        using var scope = TensorScope.Begin();
        Generator.ManualSeed(2024);
        var a = Tensor.Rand([100]).ToArray<float>();
        var b = Tensor.Randn([100]).ToArray<float>();
        Generator.ManualSeed(2024);
        Assert.Equal(a, Tensor.Rand([100]).ToArray<float>());
        Assert.Equal(b, Tensor.Randn([100]).ToArray<float>());
        Assert.Equal(2024UL, Generator.Default.Seed);
    }
}
