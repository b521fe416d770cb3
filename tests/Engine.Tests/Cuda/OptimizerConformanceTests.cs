using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The fused SGD and Adam updates on the CUDA device against the CPU backend, for every variant of the rules (momentum
/// on its first and later steps, dampening, Nesterov, weight decay, L2 and decoupled), on parameters and state in
/// every writable (not expanded) layout, over three steps so that the state carries over.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class OptimizerConformanceTests
{
    private static readonly Dictionary<string, Action<Tensor[], int>> Rules = new()
    {
        ["SGD"] = (t, _) => ParameterUpdate.Sgd(t[0], t[1], null, 0.1, weightDecay: 0.01),
        ["SGD momentum, dampening"] = (t, step) => ParameterUpdate.Sgd(t[0], t[1], t[2], 0.1, momentum: 0.9, dampening: 0.2, firstStep: step == 0),
        ["SGD Nesterov"] = (t, step) => ParameterUpdate.Sgd(t[0], t[1], t[2], 0.05, momentum: 0.8, weightDecay: 0.1, nesterov: true, firstStep: step == 0),
        ["Adam, L2 decay"] = (t, step) => ParameterUpdate.Adam(t[0], t[1], t[2], t[3], step + 1, 0.01, weightDecay: 0.05),
        ["AdamW"] = (t, step) => ParameterUpdate.Adam(t[0], t[1], t[2], t[3], step + 1, 0.02, 0.8, 0.99, 1e-6, 0.1, decoupledWeightDecay: true),
    };

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(Rules.Keys, Sample.WritableLayouts);

    [Theory]
    [MemberData(nameof(Cases))]
    public void UpdatesMatchTheCpu(string name, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (p, _) = Sample.Make(7200, [6, 9], dtype, layout);
        var (g, _) = Sample.Make(7201, [6, 9], dtype, Layout.Strided);
        var (m, _) = Sample.Make(7202, [6, 9], dtype, layout);
        var (v, _) = Sample.Make(7203, [6, 9], dtype, Layout.Transposed, 0, 1);
        Conformance.CheckForward($"{name} {dtype} {layout}", t =>
        {
            using (Tape.NoGrad())
                for (int step = 0; step < 3; step++) Rules[name](t, step);
            return Tensor.Concat([t[0], t[2], t[3]]);
        }, DeviceTol.Elementwise(dtype), p, g, m, v);
    }
}
