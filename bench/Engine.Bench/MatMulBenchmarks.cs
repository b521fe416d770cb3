using BenchmarkDotNet.Attributes;
using Engine.Random;

namespace Engine.Bench;

/// <summary>Square matrix products C = A @ B through <see cref="Tensor.MatMul"/>; 2 N^3 flops each.</summary>
public class MatMulBenchmarks
{
    private Tensor a32 = null!, b32 = null!, a64 = null!, b64 = null!;

    [Params(256, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(42);
        a32 = Tensor.Randn([N, N], DType.F32, generator);
        b32 = Tensor.Randn([N, N], DType.F32, generator);
        a64 = Tensor.Randn([N, N], DType.F64, generator);
        b64 = Tensor.Randn([N, N], DType.F64, generator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { a32, b32, a64, b64 }) t.Dispose();
    }

    [Benchmark(Baseline = true), Throughput(WorkUnit.Flops, 2, Param = nameof(N), Power = 3)]
    public void MatMulF32()
    {
        using var c = a32.MatMul(b32);
    }

    [Benchmark, Throughput(WorkUnit.Flops, 2, Param = nameof(N), Power = 3)]
    public void MatMulF64()
    {
        using var c = a64.MatMul(b64);
    }
}
