using Engine.Backends.Cpu;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// F32 reductions are accurate (block sums in float, the blocks in double) and deterministic: the same bits with one
/// core as with two, because the work is cut by shape, not by the number of threads.
/// </summary>
[Collection(Memory.MemoryCounterCollection.Name)]
public class AccurateReductionTests
{
    private static float[] Serially(Func<Tensor> f)
    {
        using var serial = WorkerPool.Serial();
        using var scope = TensorScope.Begin();
        return f().ToArray<float>();
    }

    private static float[] InParallel(Func<Tensor> f)
    {
        using var scope = TensorScope.Begin();
        return f().ToArray<float>();
    }

    [Fact]
    public void The_sum_of_16M_copies_of_0point1_is_within_1e6_and_the_same_on_one_and_two_cores()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Full([16 << 20], 0.1f);
        const double exact = 1_677_721.6;
        var parallel = InParallel(() => x.Sum());
        var serial = Serially(() => x.Sum());
        Assert.True(Math.Abs(parallel[0] - exact) <= 1e-6 * exact, $"sum {parallel[0]} vs {exact}");
        Assert.Equal(BitConverter.SingleToInt32Bits(serial[0]), BitConverter.SingleToInt32Bits(parallel[0]));
        Assert.True(Math.Abs(x.Mean().Item<float>() - 0.1) <= 1e-7, "mean");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Sums_along_an_axis_of_a_large_constant_matrix_are_accurate_and_deterministic(int axis)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Full([4096, 4096], 0.1f);
        var parallel = InParallel(() => x.Sum(axis));
        var serial = Serially(() => x.Sum(axis));
        Assert.Equal(serial, parallel);
        Assert.All(parallel, s => Assert.True(Math.Abs(s - 409.6) <= 1e-6 * 409.6, $"{s}"));
    }

    [Fact]
    public void An_ill_conditioned_sum_stays_within_a_few_float_roundings_of_the_sum_of_magnitudes()
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(17);
        // Large values that cancel, with small ones between: naive float accumulation loses the small ones.
        var values = Tensor.Randn([3 << 20], DType.F64, generator).ToArray<double>();
        var floats = new float[values.Length];
        for (int i = 0; i < floats.Length; i++) floats[i] = (float)(i % 2 == 0 ? values[i] * 1e6 : values[i]);
        for (int i = 0; i + 1 < floats.Length; i += 4) floats[i + 2] = -floats[i];
        double exact = 0, magnitude = 0;
        foreach (float f in floats)
        {
            exact += f;
            magnitude += Math.Abs(f);
        }
        var x = Tensor.From(floats);
        double sum = x.Sum().Item<float>();
        double bound = 16 * Math.Pow(2, -24) * magnitude / Math.Sqrt(floats.Length / 256.0) + Math.Abs(exact) * Math.Pow(2, -24);
        Assert.True(Math.Abs(sum - exact) <= bound, $"sum {sum} vs exact {exact}: error {Math.Abs(sum - exact)} above {bound}");
        Assert.Equal(Serially(() => x.Sum()), InParallel(() => x.Sum()));
    }

    [Fact]
    public void Var_Norm_and_LogSumExp_of_large_F32_inputs_are_accurate()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Full([8 << 20], 0.1f) + Tensor.FromArray([0.05f, -0.05f], 2).Expand(4 << 20, 2).Reshape(8 << 20);
        Assert.Equal(0.05 * 0.05, x.Var(correction: 0).Item<float>(), 1e-8);
        Assert.Equal(Math.Sqrt(4 << 20) * Math.Sqrt(0.15 * 0.15 + 0.05 * 0.05), x.Norm().Item<float>(), 1e-6 * 1000);
        Assert.Equal(Math.Log(4 << 20) + Math.Log(Math.Exp(0.15) + Math.Exp(0.05)), x.LogSumExp().Item<float>(), 1e-5);
    }
}
