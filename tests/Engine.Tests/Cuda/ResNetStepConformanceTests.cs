using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// One training step of a small ResNet on the CUDA device against the same step on the CPU: a stem (conv with bias,
/// ReLU, max pool), a BasicBlock with a projection shortcut (3x3 stride-2 conv, BN, ReLU, 3x3 conv, BN; 1x1
/// stride-2 conv, BN; add, ReLU), global average pool, dropout, a linear layer and cross-entropy. The loss, every
/// parameter's gradient, the running statistics and the parameters after a fused SGD (momentum) and AdamW step all match.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class ResNetStepConformanceTests
{
    private static readonly (string Name, int[] Shape)[] Parameters =
    [
        ("stem.weight", [8, 3, 3, 3]), ("stem.bias", [8]),
        ("conv1.weight", [16, 8, 3, 3]), ("bn1.weight", [16]), ("bn1.bias", [16]),
        ("conv2.weight", [16, 16, 3, 3]), ("bn2.weight", [16]), ("bn2.bias", [16]),
        ("downsample.weight", [16, 8, 1, 1]), ("downsample.bn.weight", [16]), ("downsample.bn.bias", [16]),
        ("fc.weight", [5, 16]), ("fc.bias", [5]),
    ];

    [Theory]
    [InlineData(DType.F32, 1e-4)]
    [InlineData(DType.F64, 1e-11)]
    public void ATrainingStepMatchesTheCpu(DType dtype, double tolerance)
    {
        var expected = Step(Device.Cpu, dtype);
        var actual = Step(CudaTest.Device, dtype);
        foreach (var (name, values) in expected)
        {
            double scale = Math.Max(1, values.Max(Math.Abs));
            for (int i = 0; i < values.Length; i++)
                Assert.True(Math.Abs(actual[name][i] - values[i]) <= tolerance * (Math.Abs(values[i]) + scale),
                    $"{name}[{i}] {dtype}: {actual[name][i]:R} on {CudaTest.Device}, {values[i]:R} on the CPU");
        }
    }

    /// <summary>The loss, gradients, running statistics and updated parameters of one step, by name, as host arrays.</summary>
    internal static Dictionary<string, double[]> Step(Device device, DType dtype)
    {
        using var scope = TensorScope.Begin();
        var p = new Dictionary<string, Tensor>();
        for (int i = 0; i < Parameters.Length; i++)
        {
            var (name, shape) = Parameters[i];
            double bound = name.StartsWith("bn", StringComparison.Ordinal) || name.Contains(".bn.") ? 1 : 0.4;
            var (value, _) = Sample.Make(7300 + i, shape, dtype, Layout.Contiguous, name.EndsWith("weight") && bound == 1 ? 0.5 : -bound, bound);
            p[name] = value.To(device);
        }
        var running = new[] { 16, 16, 16 }.Select(c => (Mean: Tensor.Zeros([c], dtype, device), Var: Tensor.Ones([c], dtype, device))).ToArray();
        var (images, _) = Sample.Make(7350, [4, 3, 10, 10], dtype, Layout.Contiguous);
        var x = images.To(device);
        var labels = Tensor.From(new long[] { 3, 0, 4, 1 }, [4], device);

        var result = new Dictionary<string, double[]>();
        Tensor[] gradients;
        var names = p.Keys.ToArray();
        using (var tape = Tape.Record())
        {
            foreach (var name in names) tape.Watch(p[name]);
            Tensor Bn(Tensor t, string prefix, int index) =>
                Functional.BatchNorm(t, running[index].Mean, running[index].Var, p[prefix + ".weight"], p[prefix + ".bias"], training: true);
            var stem = Functional.MaxPool2d(Functional.Conv2d(x, p["stem.weight"], p["stem.bias"], padding: 1).Relu(), 3, 1, 1);
            var residual = Bn(Functional.Conv2d(Bn(Functional.Conv2d(stem, p["conv1.weight"], null, 2, 1), "bn1", 0).Relu(), p["conv2.weight"], null, 1, 1), "bn2", 1);
            var shortcut = Bn(Functional.Conv2d(stem, p["downsample.weight"], null, 2), "downsample.bn", 2);
            var features = Functional.AdaptiveAvgPool2d((residual + shortcut).Relu(), 1).Reshape(4, 16);
            var logits = Tensor.Linear(Functional.Dropout(features, 0.25, generator: new Generator(5)), p["fc.weight"], p["fc.bias"]);
            var loss = Functional.CrossEntropy(logits, labels);
            result["loss"] = [loss.Item<double>()];
            gradients = tape.Gradients(loss, [.. names.Select(n => p[n])]);
        }
        using (Tape.NoGrad())
        {
            for (int i = 0; i < names.Length; i++)
            {
                result[names[i] + ".grad"] = gradients[i].ToArray<double>();
                var parameter = p[names[i]];
                if (parameter.Rank == 4)
                {
                    var momentum = Tensor.Zeros(parameter.Shape, dtype, device);
                    ParameterUpdate.Sgd(parameter, gradients[i], momentum, 0.1, momentum: 0.9, weightDecay: 1e-4, firstStep: true);
                }
                else
                {
                    var (m, v) = (Tensor.Zeros(parameter.Shape, dtype, device), Tensor.Zeros(parameter.Shape, dtype, device));
                    ParameterUpdate.Adam(parameter, gradients[i], m, v, 1, 0.01, weightDecay: 0.01, decoupledWeightDecay: true);
                }
                result[names[i]] = parameter.ToArray<double>();
            }
        }
        for (int i = 0; i < running.Length; i++)
        {
            result[$"running mean {i}"] = running[i].Mean.ToArray<double>();
            result[$"running var {i}"] = running[i].Var.ToArray<double>();
        }
        return result;
    }
}
