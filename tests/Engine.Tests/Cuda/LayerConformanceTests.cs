using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The layers' ops together on the CUDA device against the CPU backend, forward and gradient, in every layout: the
/// convolution and its transpose, batch, group and layer norm, the pools, dropout and the fused optimizer updates. The
/// kernels' own cases are in ConvolutionConformanceTests, NormalizationConformanceTests, PoolConformanceTests,
/// DropoutConformanceTests and OptimizerConformanceTests.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class LayerConformanceTests
{
    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.FloatTypes);

    public static TheoryData<DType, Layout> WritableCases() => Sample.InEveryLayout(Sample.FloatTypes, Sample.WritableLayouts);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConvolutionsMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(4000, [2, 4, 7, 6], dtype, layout);
        var (w, _) = Sample.Make(4001, [6, 2, 3, 3], dtype, layout);
        var (b, _) = Sample.Make(4002, [6], dtype, Layout.Contiguous);
        var (wt, _) = Sample.Make(4003, [4, 3, 3, 2], dtype, layout);
        var tol = DeviceTol.Accumulated(dtype);
        Conformance.Check($"Conv2d {dtype} {layout}", t => Functional.Conv2d(t[0], t[1], t[2], (2, 1), 1, 1, 2), tol, x, w, b);
        Conformance.Check($"ConvTranspose2d {dtype} {layout}", t => Functional.ConvTranspose2d(t[0], t[1], null, 2, 1, 1, 1, 2), tol, x, wt);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NormalisationsMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(4010, [3, 4, 5, 6], dtype, layout);
        var (w, _) = Sample.Make(4011, [4], dtype, Layout.Contiguous);
        var (b, _) = Sample.Make(4012, [4], dtype, Layout.Strided);
        var (mean, _) = Sample.Make(4013, [4], dtype, Layout.Contiguous);
        var (variance, _) = Sample.Make(4014, [4], dtype, Layout.Contiguous, 0.5, 2);
        var tol = DeviceTol.Accumulated(dtype);
        Conformance.Check($"BatchNorm training {dtype} {layout}", t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), tol, x, w, b);
        Conformance.Check($"BatchNorm inference {dtype} {layout}", t => Functional.BatchNorm(t[0], t[3], t[4], t[1], t[2]), tol, x, w, b, mean, variance);
        Conformance.Check($"GroupNorm {dtype} {layout}", t => Functional.GroupNorm(t[0], 2, t[1], t[2]), tol, x, w, b);
        Conformance.Check($"LayerNorm {dtype} {layout}", t => Functional.LayerNorm(t[0], [5, 6]), tol, x);
        Conformance.Check($"VarMean variance {dtype} {layout}", t => t[0].VarMean([0, 2]).Variance, tol, x);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PoolsAndDropoutMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(4020, [2, 3, 9, 10], dtype, layout);
        var tol = DeviceTol.Elementwise(dtype);
        Conformance.Check($"MaxPool2d {dtype} {layout}", t => Functional.MaxPool2d(t[0], 3, 2, 1), tol, x);
        Conformance.Check($"AvgPool2d {dtype} {layout}", t => Functional.AvgPool2d(t[0], 3, 2, 1, countIncludePad: false), tol, x);
        Conformance.Check($"AdaptiveAvgPool2d {dtype} {layout}", t => Functional.AdaptiveAvgPool2d(t[0], (4, 3)), tol, x);
        Conformance.Check($"Dropout {dtype} {layout}", t => Functional.Dropout(t[0], 0.4, generator: new Generator(7)), tol, x);
    }

    [Theory]
    [MemberData(nameof(WritableCases))]
    public void FusedOptimizerUpdatesMatchTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (p, _) = Sample.Make(4030, [5, 7], dtype, layout);
        var (g, _) = Sample.Make(4031, [5, 7], dtype, Layout.Transposed);
        var (m, _) = Sample.Make(4032, [5, 7], dtype, Layout.Contiguous);
        var (v, _) = Sample.Make(4033, [5, 7], dtype, Layout.Contiguous, 0, 1);
        var tol = DeviceTol.Elementwise(dtype);
        Conformance.CheckForward($"Sgd {dtype} {layout}", t =>
        {
            using (Tape.NoGrad()) ParameterUpdate.Sgd(t[0], t[1], t[2], 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true);
            return Tensor.Concat([t[0], t[2]]);
        }, tol, p, g, m);
        Conformance.CheckForward($"AdamW {dtype} {layout}", t =>
        {
            using (Tape.NoGrad()) ParameterUpdate.Adam(t[0], t[1], t[2], t[3], 3, 0.01, weightDecay: 0.1, decoupledWeightDecay: true);
            return Tensor.Concat([t[0], t[2], t[3]]);
        }, tol, p, g, m, v);
    }
}
