using System.Runtime.InteropServices;
using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

/// <summary>
/// The fused optimizer updates (kernels/optim.cu): one pass over a parameter, its gradient and its state, in place. The
/// rule's constants are derived here in double exactly as the CPU backend derives them, and rounded to the dtype in the
/// kernel, so both devices step with the same constants.
/// </summary>
internal sealed partial class CudaBackend
{
    /// <summary>kernels/optim.cu's SgdConstants.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct SgdConstants(double LearningRate, double Momentum, double WeightDecay, double Keep,
        int HasMomentum, int Nesterov, int FirstStep, int Pad);

    /// <summary>kernels/optim.cu's AdamConstants.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct AdamConstants(double Beta1, double Beta2, double OneMinusBeta1, double OneMinusBeta2,
        double StepSize, double Correction2, double Eps, double L2, double Shrink);

    public void SgdUpdate(BufferView parameter, BufferView gradient, BufferView? momentumBuffer, SgdRule rule)
    {
        long n = parameter.Count;
        if (n == 0) return;
        var buffer = momentumBuffer ?? parameter;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(parameter.Shape, parameter, gradient, buffer));
        arguments.Add(Address(parameter));
        arguments.Add(Address(gradient));
        arguments.Add(momentumBuffer is { } state ? Address(state) : 0UL);
        arguments.Add(new SgdConstants(rule.LearningRate, rule.Momentum, rule.WeightDecay, 1 - rule.Dampening,
            momentumBuffer is null ? 0 : 1, rule.Nesterov ? 1 : 0, rule.FirstStep ? 1 : 0, 0));
        Launch(KernelNames.Optim, $"sgd_update_{KernelNames.Suffix(parameter.DType)}", launch.Elementwise(n), arguments);
    }

    public void AdamUpdate(BufferView parameter, BufferView gradient, BufferView expAvg, BufferView expAvgSq, AdamRule rule)
    {
        long n = parameter.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(parameter.Shape, parameter, gradient, expAvg, expAvgSq));
        arguments.Add(Address(parameter));
        arguments.Add(Address(gradient));
        arguments.Add(Address(expAvg));
        arguments.Add(Address(expAvgSq));
        arguments.Add(new AdamConstants(rule.Beta1, rule.Beta2, 1 - rule.Beta1, 1 - rule.Beta2,
            rule.LearningRate / (1 - Math.Pow(rule.Beta1, rule.Step)), Math.Sqrt(1 - Math.Pow(rule.Beta2, rule.Step)), rule.Eps,
            rule.Decoupled ? 0 : rule.WeightDecay, rule.Decoupled ? 1 - rule.LearningRate * rule.WeightDecay : 1));
        Launch(KernelNames.Optim, $"adam_update_{KernelNames.Suffix(parameter.DType)}", launch.Elementwise(n), arguments);
    }
}
