using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>Softmax, log-softmax and the losses on the CUDA device against the CPU backend, along every axis, in every layout.</summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class SoftmaxConformanceTests
{
    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.FloatTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void SoftmaxAlongEachAxisMatchesTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        // A short, a long (past one row group) and an odd axis.
        var (x, _) = Sample.Make(1500, [3, 700, 37], dtype, layout, -6, 6);
        for (int axis = 0; axis < 3; axis++)
        {
            int a = axis;
            Conformance.Check($"Softmax axis {a} {dtype} {layout}", t => t[0].Softmax(a), DeviceTol.Accumulated(dtype), x);
            Conformance.Check($"LogSoftmax axis {a} {dtype} {layout}", t => t[0].LogSoftmax(a), DeviceTol.Accumulated(dtype), x);
        }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void LargeAndInfiniteLogitsMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.From(new[] { 1000.0, 999, -1000, 0, double.NegativeInfinity, 3, double.NegativeInfinity, double.NegativeInfinity, 5, 2, 1, 0 }, [3, 4]).To(dtype);
        Conformance.Check("Softmax of large logits", t => t[0].Softmax(), DeviceTol.Elementwise(dtype), x);
        Conformance.Check("LogSoftmax of large logits", t => t[0].LogSoftmax(), DeviceTol.Elementwise(dtype), x);
    }

    public static TheoryData<DType, DType, Layout> CrossEntropyCases()
    {
        var data = new TheoryData<DType, DType, Layout>();
        foreach (var dtype in Sample.FloatTypes)
            foreach (var labels in new[] { DType.I32, DType.I64 })
                foreach (var layout in Sample.Layouts)
                    data.Add(dtype, labels, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void CrossEntropyMatchesTheCpu(DType dtype, DType labelType, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (logits, _) = Sample.Make(1600, [67, 10], dtype, layout, -4, 4);
        var (labels, _) = Sample.Make(1601, [67], labelType, Layout.Strided, 0, 9);
        Conformance.Check($"CrossEntropy {dtype} {labelType} {layout}", t => Functional.CrossEntropy(t[0], t[1]), DeviceTol.Accumulated(dtype), logits, labels);
    }

    /// <summary>Class weights, an ignored label and label smoothing, with each reduction.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void CrossEntropyOptionsMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (logits, _) = Sample.Make(1610, [53, 300], dtype, Layout.Contiguous, -4, 4);
        // Contiguous: the CPU backend reads the weight as contiguous whatever its strides (a strided one gives NaN there).
        var (weight, _) = Sample.Make(1611, [300], dtype, Layout.Contiguous, 0.5, 2);
        var labels = Tensor.From(Enumerable.Range(0, 53).Select(i => i % 7 == 0 ? -100L : i * 37 % 300).ToArray());
        var fewLabels = Tensor.From(Enumerable.Range(0, 53).Select(i => i % 5).ToArray());
        foreach (var reduction in Enum.GetValues<Reduction>())
            foreach (double smoothing in new[] { 0.0, 0.1 })
            {
                Conformance.Check($"CrossEntropy {dtype} weighted, smoothing {smoothing}, {reduction}",
                    t => Functional.CrossEntropy(t[0], t[1], t[2], labelSmoothing: smoothing, reduction: reduction), DeviceTol.Accumulated(dtype),
                    logits, labels, weight);
                Conformance.Check($"CrossEntropy {dtype} ignoring label 3, smoothing {smoothing}, {reduction}",
                    t => Functional.CrossEntropy(t[0], t[1], ignoreIndex: 3, labelSmoothing: smoothing, reduction: reduction),
                    DeviceTol.Accumulated(dtype), logits, fewLabels);
            }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MseLossMatchesTheCpu(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (prediction, _) = Sample.Make(1700, [31, 17], dtype, layout);
        var (target, _) = Sample.Make(1701, [31, 17], dtype, Layout.Contiguous);
        Conformance.Check($"MseLoss {dtype} {layout}", t => Functional.MseLoss(t[0], t[1]), DeviceTol.Accumulated(dtype), prediction, target);
    }
}
