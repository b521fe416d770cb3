using BenchmarkDotNet.Attributes;
using Engine.Random;

namespace Engine.Bench;

/// <summary>
/// Memory-bound elementwise ops on F32 tensors. Throughput is the bytes an ideal single pass reads and
/// writes: for the unfused chain it is the same figure as for the fused op, so the two GB/s values compare
/// directly (the chain really moves 3x as many bytes through its temporaries).
/// </summary>
public class ElementwiseBenchmarks
{
    /// <summary>16M elements: 64 MB per tensor, far larger than the caches.</summary>
    public const int Large = 16 << 20;

    /// <summary>1M elements: 4 MB per tensor, the size of a Runge-Kutta state in the use case.</summary>
    public const int Small = 1 << 20;

    private static readonly double[] Coefficients = [0.25, -0.5, 0.125];

    private Tensor a = null!, b = null!, x0 = null!, x1 = null!, x2 = null!, x3 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(7);
        a = Tensor.Randn([Large], DType.F32, generator);
        b = Tensor.Randn([Large], DType.F32, generator);
        x0 = Tensor.Randn([Small], DType.F32, generator);
        x1 = Tensor.Randn([Small], DType.F32, generator);
        x2 = Tensor.Randn([Small], DType.F32, generator);
        x3 = Tensor.Randn([Small], DType.F32, generator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { a, b, x0, x1, x2, x3 }) t.Dispose();
    }

    /// <summary>y = a + b: reads 2, writes 1 tensor.</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 3.0 * 4 * Large)]
    public void Add16M()
    {
        using var y = a + b;
    }

    /// <summary>y = exp(a): reads 1, writes 1 tensor.</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 2.0 * 4 * Large)]
    public void Exp16M()
    {
        using var y = a.Exp();
    }

    /// <summary>y = x0 + c1 x1 + c2 x2 + c3 x3 fused: reads 4, writes 1 tensor.</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 5.0 * 4 * Small)]
    public void LinearCombination1M()
    {
        using var y = Tensor.LinearCombination(x0, Coefficients, [x1, x2, x3]);
    }

    /// <summary>The same update as a chain of six ops with five temporaries (disposed by the scope).</summary>
    [Benchmark, Throughput(WorkUnit.Bytes, 5.0 * 4 * Small)]
    public void LinearCombinationChain1M()
    {
        using var scope = TensorScope.Begin();
        _ = x0 + x1 * Coefficients[0] + x2 * Coefficients[1] + x3 * Coefficients[2];
    }
}
