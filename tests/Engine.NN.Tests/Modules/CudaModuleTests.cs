using Engine.Autodiff;
using Engine.Random;
using Xunit;

namespace Engine.NN.Tests.Modules;

/// <summary>
/// Modules on a CUDA device (the emulated one under ./build.sh test): moved with To(device), a training step with
/// batch norm, pooling and dropout gives the CPU's loss and updated weights, and the state comes back to the CPU.
/// </summary>
[Trait("Category", "Gpu")]
public class CudaModuleTests
{
    [Fact]
    public void AConvNetTrainingStepOnCudaMatchesTheCpu()
    {
        if (!CudaDevices.IsAvailable)
            Assert.Skip("no CUDA device: no GPU driver here; ENGINE_CUDA_EMULATOR=1 (./build.sh test sets it) uses the emulated device");
        var cuda = Device.Cuda();
        double Step(Device device, out Dictionary<string, double[]> state)
        {
            using var scope = TensorScope.Begin();
            using var model = new MnistConvNet(generator: new Generator(1));
            model.To(device);
            using var optimizer = new Adam(model.Parameters(), 1e-2);
            var images = Tensor.Randn([4, 1, 28, 28], DType.F32, new Generator(2), device);
            var labels = Tensor.From(new long[] { 1, 7, 3, 9 }, [4], device);
            Generator.ManualSeed(3);
            double loss;
            using (var tape = Tape.Record())
            {
                var value = Functional.CrossEntropy(model.Forward(images), labels);
                tape.Backward(value);
                loss = value.Item<double>();
            }
            optimizer.Step();
            Assert.All(model.Parameters(), p => Assert.Equal(device, p.Device));
            state = model.To(Device.Cpu).StateDict().ToDictionary(s => s.Key, s => s.Value.ToArray<double>());
            return loss;
        }
        double cpuLoss = Step(Device.Cpu, out var cpuState), cudaLoss = Step(cuda, out var cudaState);
        Assert.Equal(cpuLoss, cudaLoss, 1e-5);
        foreach (var (name, expected) in cpuState)
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - cudaState[name][i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"{name}[{i}]: cpu {expected[i]}, cuda {cudaState[name][i]}");
    }
}
