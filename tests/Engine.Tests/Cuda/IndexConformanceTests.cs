using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// IndexSelect, IndexAdd, Gather, ScatterAdd and OneHot on the CUDA device against the CPU backend, along every
/// axis, with I32 and I64 indices that repeat (so additions collide), every dtype and layout, and gradients.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class IndexConformanceTests
{
    private static readonly int[] Shape = [4, 5, 6];

    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.AllTypes);

    private static DeviceTol Tol(DType dtype) => dtype.IsFloating() ? DeviceTol.Accumulated(dtype) : DeviceTol.Exact;

    [Theory]
    [MemberData(nameof(Cases))]
    public void SelectionsMatchTheCpu(DType dtype, Layout layout)
    {
        int seed = 3300;
        for (int axis = 0; axis < 3; axis++)
        {
            using var scope = TensorScope.Begin();
            int a = axis;
            var (x, _) = Sample.Make(seed++, Shape, dtype, layout, -50, 50);
            int[] indexShape = [3, 4, 5];
            indexShape[axis] = 7;
            var (index, _) = Sample.Make(seed++, indexShape, axis == 1 ? DType.I32 : DType.I64, Layout.Strided, 0, Shape[axis] - 1);
            Conformance.Check($"Gather axis {axis} {dtype} {layout}", t => t[0].Gather(a, t[1]), Tol(dtype), x, index);
            var (rows, _) = Sample.Make(seed++, [9], axis == 2 ? DType.I32 : DType.I64, Layout.Strided, 0, Shape[axis] - 1);
            Conformance.Check($"IndexSelect axis {axis} {dtype} {layout}", t => t[0].IndexSelect(a, t[1]), Tol(dtype), x, rows);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdditionsMatchTheCpu(DType dtype, Layout layout)
    {
        int seed = 3400;
        for (int axis = 0; axis < 3; axis++)
        {
            using var scope = TensorScope.Begin();
            int a = axis;
            var (target, _) = Sample.Make(seed++, Shape, dtype, layout, -9, 9);
            int[] indexShape = [3, 4, 5];
            indexShape[axis] = 8;
            var (index, _) = Sample.Make(seed++, indexShape, axis == 0 ? DType.I64 : DType.I32, Layout.Transposed, 0, Shape[axis] - 1);
            var (source, _) = Sample.Make(seed++, indexShape, dtype, layout, -9, 9);
            Conformance.Check($"ScatterAdd axis {axis} {dtype} {layout}", t => t[0].ScatterAdd(a, t[1], t[2]), Tol(dtype), target, index, source);
            var (rows, _) = Sample.Make(seed++, [8], axis == 1 ? DType.I64 : DType.I32, Layout.Strided, 0, Shape[axis] - 1);
            var sourceShape = (int[])Shape.Clone();
            sourceShape[axis] = 8;
            var (added, _) = Sample.Make(seed++, sourceShape, dtype, layout, -9, 9);
            Conformance.Check($"IndexAdd axis {axis} {dtype} {layout}", t => t[0].IndexAdd(a, t[1], t[2]), Tol(dtype), target, rows, added);
        }
    }

    [Theory]
    [InlineData(DType.I32, DType.F32)]
    [InlineData(DType.I64, DType.F64)]
    [InlineData(DType.I64, DType.I32)]
    [InlineData(DType.I32, DType.I64)]
    public void OneHotMatchesTheCpu(DType indexType, DType dtype)
    {
        using var scope = TensorScope.Begin();
        foreach (var layout in Sample.Layouts)
        {
            var (labels, _) = Sample.Make(3500, [6, 7], indexType, layout, 0, 9);
            Conformance.Check($"OneHot {indexType} -> {dtype} {layout}", t => Tensor.OneHot(t[0], 10, dtype), DeviceTol.Exact, labels);
        }
    }
}
