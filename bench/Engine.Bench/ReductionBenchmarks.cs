using BenchmarkDotNet.Attributes;
using Engine.Random;

namespace Engine.Bench;

/// <summary>Sums of F32 tensors; throughput counts the bytes read plus the (small) output written.</summary>
public class ReductionBenchmarks
{
    /// <summary>16M elements, 64 MB.</summary>
    public const int Large = 16 << 20;

    /// <summary>Side of the square matrix: 4096 x 4096 = 16M elements, 64 MB.</summary>
    public const int Side = 4096;

    private Tensor vector = null!, matrix = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(11);
        vector = Tensor.Randn([Large], DType.F32, generator);
        matrix = Tensor.Randn([Side, Side], DType.F32, generator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        vector.Dispose();
        matrix.Dispose();
    }

    /// <summary>Full reduction to one value.</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 4.0 * Large + 4)]
    public void Sum16M()
    {
        using var y = vector.Sum();
    }

    /// <summary>Column sums (over rows): the result has <see cref="Side"/> elements.</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 4.0 * Side * Side + 4.0 * Side)]
    public void SumAxis0()
    {
        using var y = matrix.Sum(0);
    }

    /// <summary>Row sums (over columns): the result has <see cref="Side"/> elements.</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 4.0 * Side * Side + 4.0 * Side)]
    public void SumAxis1()
    {
        using var y = matrix.Sum(1);
    }
}
