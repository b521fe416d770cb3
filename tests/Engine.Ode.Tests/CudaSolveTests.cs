using Engine.Autodiff;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The solvers on the CUDA device (the emulated one in CI: ./build.sh test sets ENGINE_CUDA_EMULATOR=1): the same
/// neural ODE solved on the CPU and on cuda:0 gives the same states, steps and Direct gradients. Stage updates,
/// the fused error norm and the field's ops all run as CUDA kernels. An <see cref="OdeBlock"/> moved there does the same.
/// </summary>
[Trait("Category", "Gpu")]
public class CudaSolveTests
{
    public static TheoryData<string> Cases() => new("rk4", "dopri5", "tsit5", "dopri8");

    [Theory]
    [MemberData(nameof(Cases))]
    public void SolvesAndDifferentiatesLikeTheCpu(string name)
    {
        if (!CudaDevices.IsAvailable) Assert.Skip("no CUDA device: set ENGINE_CUDA_EMULATOR=1 (./build.sh test does) to use the emulated device");
        var solver = Solvers.All.Single(s => s.Name == name);
        var options = solver.IsAdaptive ? new OdeOptions { Solver = solver, Rtol = 1e-8, Atol = 1e-9 } : new OdeOptions { Solver = solver, Steps = 20 };
        var (cpuStates, cpuGradients, cpuSteps) = Solve(Device.Cpu, options);
        var (gpuStates, gpuGradients, gpuSteps) = Solve(Device.Cuda(), options);
        Assert.Equal(cpuSteps, gpuSteps);
        AssertClose($"{name} states", cpuStates, gpuStates);
        for (int i = 0; i < cpuGradients.Length; i++) AssertClose($"{name} gradient {i}", cpuGradients[i], gpuGradients[i]);
    }

    [Fact]
    public void AnOdeBlockMovedToTheDeviceGivesTheCpusOutputAndGradients()
    {
        if (!CudaDevices.IsAvailable) Assert.Skip("no CUDA device: set ENGINE_CUDA_EMULATOR=1 (./build.sh test does) to use the emulated device");
        var (cpuOutput, cpuGradients) = BlockOutputAndGradients(Device.Cpu);
        var (gpuOutput, gpuGradients) = BlockOutputAndGradients(Device.Cuda());
        AssertClose("block output", cpuOutput, gpuOutput);
        for (int i = 0; i < cpuGradients.Length; i++) AssertClose($"block gradient {i}", cpuGradients[i], gpuGradients[i]);
    }

    /// <summary>A time-dependent, checkpointed block's output and the gradients of sum(output^2) for its field's parameters.</summary>
    private static (double[] Output, double[][] Gradients) BlockOutputAndGradients(Device device)
    {
        var generator = new Generator(0xB10C);
        var field = new NN.Sequential(new NN.Linear(3, 16, dtype: DType.F64, generator: generator), new NN.Tanh(),
            new NN.Linear(16, 2, dtype: DType.F64, generator: generator));
        using var block = new OdeBlock(field, new OdeOptions { Rtol = 1e-8, Atol = 1e-9, Gradient = OdeGradient.Checkpointed }, timeDependent: true);
        block.To(device);
        using var scope = TensorScope.Begin();
        var z0 = Tensor.Randn([8, 2], DType.F64, generator).To(device);
        using var tape = Tape.Record();
        var output = block.Forward(z0);
        Assert.Equal(device, output.Device);
        tape.Backward(output.Square().Sum());
        return (output.ToArray<double>(), block.Parameters().Select(p => p.Grad!.ToArray<double>()).ToArray());
    }

    /// <summary>States at the output times, gradients of sum(states^2) for z0 and the field's parameters, and the accepted steps.</summary>
    private static (double[] States, double[][] Gradients, int Steps) Solve(Device device, OdeOptions options)
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(0xC0DE);
        Tensor Draw(int[] shape, double scale) => (Tensor.Randn(shape, DType.F64, generator) * scale).To(device);
        Tensor[] p = [Draw([16, 2], 1), Draw([32, 2], 0.8), Draw([32], 0.3), Draw([2, 32], 0.5), Draw([2], 0.3)];
        var times = Tensor.From(new[] { 0.0, 0.5, 1.0 });
        using var tape = Tape.Record();
        foreach (var x in p) tape.Watch(x);
        var solution = Ode.Solve((t, z) => Tensor.Linear((Tensor.Linear(z, p[1], p[2]) + t).Tanh(), p[3], p[4]), p[0], times, options);
        Assert.Equal(device, solution.States.Device);
        var gradients = tape.Gradients(solution.States.Square().Sum(), p);
        return (solution.States.ToArray<double>(), gradients.Select(g => g.ToArray<double>()).ToArray(), solution.Stats.AcceptedSteps);
    }

    private static void AssertClose(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-10 * (1 + Math.Abs(expected[i])),
                $"{what}: element {i} is {actual[i]:R} on cuda:0, {expected[i]:R} on the CPU");
    }
}
