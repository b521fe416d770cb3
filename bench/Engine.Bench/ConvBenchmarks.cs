using BenchmarkDotNet.Attributes;
using Engine.Autodiff;
using Engine.Random;

namespace Engine.Bench;

/// <summary>
/// The 3x3 convolution of a CIFAR ResNet stage: input [32, 64, 32, 32] F32, weight [64, 64, 3, 3], stride 1,
/// padding 1. The forward pass is 2 N K C R S P Q = 2.42 GFLOP; forward and backward (input and weight gradients)
/// three times that.
/// </summary>
public class ConvBenchmarks
{
    private const double ForwardFlops = 2.0 * 32 * 64 * 64 * 9 * 32 * 32;

    private Tensor x = null!, w = null!, gy = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(3);
        x = Tensor.Randn([32, 64, 32, 32], DType.F32, generator);
        using (var scale = Tensor.Randn([64, 64, 3, 3], DType.F32, generator)) w = scale * 0.05;
        gy = Tensor.Randn([32, 64, 32, 32], DType.F32, generator);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { x, w, gy }) t.Dispose();
    }

    [Benchmark, Throughput(WorkUnit.Flops, ForwardFlops)]
    public void Conv3x3Forward()
    {
        using var noGrad = Tape.NoGrad();
        using var y = Functional.Conv2d(x, w, padding: 1);
    }

    /// <summary>Forward, then the input and weight gradients for a given output gradient.</summary>
    [Benchmark, Throughput(WorkUnit.Flops, 3 * ForwardFlops)]
    public void Conv3x3ForwardBackward()
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        var y = Functional.Conv2d(x, w, padding: 1);
        tape.Gradients([y], [gy], [x, w]);
    }
}
