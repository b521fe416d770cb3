using BenchmarkDotNet.Attributes;
using Engine.Backends.Cpu;
using Engine.Random;

namespace Engine.Bench;

/// <summary>
/// Square matrix products C = A @ B through <see cref="Tensor.MatMul"/> (all cores); 2 N^3 flops each.
/// <see cref="GemmF32OneThread"/> calls the GEMM kernel on the calling thread alone, for the per-thread figure.
/// </summary>
public class MatMulBenchmarks
{
    private Tensor a32 = null!, b32 = null!, c32 = null!, a64 = null!, b64 = null!;

    [Params(256, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(42);
        a32 = Tensor.Randn([N, N], DType.F32, generator);
        b32 = Tensor.Randn([N, N], DType.F32, generator);
        c32 = Tensor.Zeros([N, N]);
        a64 = Tensor.Randn([N, N], DType.F64, generator);
        b64 = Tensor.Randn([N, N], DType.F64, generator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { a32, b32, c32, a64, b64 }) t.Dispose();
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

    [Benchmark, Throughput(WorkUnit.Flops, 2, Param = nameof(N), Power = 3)]
    public unsafe void GemmF32OneThread()
    {
        float* a = (float*)a32.Storage.Pointer, b = (float*)b32.Storage.Pointer, c = (float*)c32.Storage.Pointer;
        Gemm.Multiply(N, N, N, a, N, 1, b, N, 1, c, N, 1, maxThreads: 1);
    }
}
