using BenchmarkDotNet.Attributes;
using Engine.Autodiff;
using Engine.Random;

namespace Engine.Bench;

/// <summary>
/// Per-op overhead: adds of two [16] F32 tensors, where the kernel is a few nanoseconds and everything else
/// (output allocation, scope registration, recording) is the cost. A neural ODE makes thousands of such ops per
/// solve. Each call runs 1,000 adds in one scope; the time shown is per add.
/// </summary>
[MemoryDiagnoser]
public class SmallOpBenchmarks
{
    private const int Ops = 1000;

    private Tensor a = null!, b = null!, leaf = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(5);
        a = Tensor.Randn([16], DType.F32, generator);
        b = Tensor.Randn([16], DType.F32, generator);
        leaf = Tensor.Randn([16], DType.F32, generator);
        leaf.RequiresGrad = true;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { a, b, leaf }) t.Dispose();
    }

    /// <summary>a + b with no tape open.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public void Add16()
    {
        using var scope = TensorScope.Begin();
        for (int i = 0; i < Ops; i++) _ = a + b;
    }

    /// <summary>leaf + b recorded on an open tape (every add appends a node).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public void Add16Recorded()
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        for (int i = 0; i < Ops; i++) _ = leaf + b;
    }
}
