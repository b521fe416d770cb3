using BenchmarkDotNet.Attributes;
using Engine.Autodiff;
using Engine.NN;
using Engine.Random;

namespace Engine.Bench;

/// <summary>
/// Training-step workloads built from modules: a ResNet basic block (conv-BN-ReLU-conv-BN + identity, ReLU) on
/// [32, 64, 32, 32] F32, forward and backward (gradients of every parameter and the input), and one full optimisation
/// step of the MNIST ConvNet on a batch of 64. Flops count the convolutions only (3 x forward for forward + backward).
/// </summary>
public class BlockBenchmarks
{
    private const double ConvForwardFlops = 2.0 * 32 * 64 * 64 * 9 * 32 * 32;
    private const double MnistStepFlops = 3 * 2.0 * 64 * (28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 128 + 128 * 10);

    private BasicBlock block = null!;
    private MnistConvNet mnist = null!;
    private Adam adam = null!;
    private Tensor x = null!, gy = null!, images = null!, labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(5);
        block = new BasicBlock(64, 64, generator: generator);
        x = Tensor.Randn([32, 64, 32, 32], DType.F32, generator);
        x.RequiresGrad = true;
        gy = Tensor.Randn([32, 64, 32, 32], DType.F32, generator);
        mnist = new MnistConvNet(generator: generator);
        adam = new Adam(mnist.Parameters());
        images = Tensor.Randn([64, 1, 28, 28], DType.F32, generator);
        labels = Tensor.From(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        block.Dispose();
        mnist.Dispose();
        adam.Dispose();
        foreach (var t in new[] { x, gy, images, labels }) t.Dispose();
    }

    /// <summary>Forward, then the gradients of the block's parameters and its input for a given output gradient.</summary>
    [Benchmark, Throughput(WorkUnit.Flops, 2 * 3 * ConvForwardFlops)]
    public void BasicBlockForwardBackward()
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        var y = block.Forward(x);
        tape.Gradients([y], [gy], [x, .. block.Parameters()]);
    }

    /// <summary>Forward, cross-entropy, backward and an Adam step of the MNIST ConvNet on 64 images.</summary>
    [Benchmark, Throughput(WorkUnit.Flops, MnistStepFlops)]
    public void MnistConvNetTrainingStep()
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        tape.Backward(Functional.CrossEntropy(mnist.Forward(images), labels));
        adam.Step();
        adam.ZeroGrad();
    }
}
