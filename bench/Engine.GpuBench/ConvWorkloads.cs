using Engine.Autodiff;
using Engine.Random;

namespace Engine.GpuBench;

/// <summary>
/// The convolution workloads of bench/README.md's CPU table, on the device: a 3x3 convolution N=32, C=64 to 64, 32x32,
/// stride 1, padding 1 (forward; forward and the gradients of input and weight), and a ResNet basic block
/// relu(bn2(conv2(relu(bn1(conv1(x))))) + x) in training mode, forward and backward. Work counts the convolutions' flops
/// (2 N K P Q C R S each; backward twice the forward), not batch norm's or ReLU's. A quick run uses N=1, C=8, 8x8.
/// </summary>
internal static class ConvWorkloads
{
    public static IEnumerable<Workload> All(bool quick)
    {
        int n = quick ? 1 : 32, c = quick ? 8 : 64, size = quick ? 8 : 32;
        double conv = 2.0 * n * c * size * size * c * 9;
        yield return new("conv3x3_fwd", WorkUnit.Flops, conv, device => Forward(device, n, c, size));
        yield return new("conv3x3_fwd_bwd", WorkUnit.Flops, 3 * conv, device => ForwardBackward(device, n, c, size));
        yield return new("basicblock_fwd_bwd", WorkUnit.Flops, 6 * conv, device => BasicBlock(device, n, c, size));
    }

    private static Tensor Random(Device device, int[] shape, ulong seed, double scale = 1)
    {
        using var draw = Tensor.Randn(shape, DType.F32, new Generator(seed), device);
        return draw * scale;
    }

    private static Action Forward(Device device, int n, int c, int size)
    {
        var x = Random(device, [n, c, size, size], 21);
        var w = Random(device, [c, c, 3, 3], 22, 0.05);
        return () => Functional.Conv2d(x, w, null, 1, 1).Dispose();
    }

    private static Action ForwardBackward(Device device, int n, int c, int size)
    {
        var x = Random(device, [n, c, size, size], 23);
        var w = Random(device, [c, c, 3, 3], 24, 0.05);
        var gy = Random(device, [n, c, size, size], 25);
        return () =>
        {
            using var scope = TensorScope.Begin();
            using var tape = Tape.Record();
            tape.Watch(x);
            tape.Watch(w);
            tape.Gradients([Functional.Conv2d(x, w, null, 1, 1)], [gy], [x, w]);
        };
    }

    private static Action BasicBlock(Device device, int n, int c, int size)
    {
        var x = Random(device, [n, c, size, size], 26);
        var w1 = Random(device, [c, c, 3, 3], 27, 0.05);
        var w2 = Random(device, [c, c, 3, 3], 28, 0.05);
        var gy = Random(device, [n, c, size, size], 29);
        Tensor Vector(double value) => Tensor.Full([c], value, DType.F32, device);
        Tensor[] parameters = [w1, w2, Vector(1), Vector(0), Vector(1), Vector(0)];
        Tensor[] running = [Vector(0), Vector(1), Vector(0), Vector(1)];
        return () =>
        {
            using var scope = TensorScope.Begin();
            using var tape = Tape.Record();
            foreach (var p in parameters.Append(x)) tape.Watch(p);
            var h = Functional.BatchNorm(Functional.Conv2d(x, w1, null, 1, 1), running[0], running[1], parameters[2], parameters[3], training: true).Relu();
            var y = Functional.BatchNorm(Functional.Conv2d(h, w2, null, 1, 1), running[2], running[3], parameters[4], parameters[5], training: true);
            tape.Gradients([(y + x).Relu()], [gy], [.. parameters, x]);
        };
    }
}
