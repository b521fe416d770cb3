using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// MatMul on the CUDA device (cuBLAS, or the emulator's GEMM with cuBLAS's column-major contract) against the CPU
/// backend: 2-D, batched with broadcast batch dimensions, 1-D operands, every pair of operand layouts, and Linear.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class MatMulConformanceTests
{
    private static readonly (int[] A, int[] B)[] Shapes =
    [
        ([2, 3], [3, 4]),
        ([17, 33], [33, 9]),
        ([2, 1, 3, 4], [5, 4, 2]),
        ([1, 3, 4], [2, 4, 5]),
        ([3, 4], [2, 4, 5]),
        ([2, 3, 4], [4, 5]),
        ([3, 2, 6, 5], [3, 2, 5, 7]),
        ([4], [4]),
        ([4], [4, 3]),
        ([3, 4], [4]),
        ([4], [2, 4, 3]),
        ([5, 1], [1, 6]),
        ([1, 1], [1, 1]),
        ([1, 5], [5, 1]),
        ([2, 0], [0, 3]),
    ];

    public static TheoryData<DType, Layout, Layout> Cases()
    {
        var data = new TheoryData<DType, Layout, Layout>();
        foreach (var dtype in Sample.FloatTypes)
            foreach (var layoutA in Sample.Layouts)
                foreach (var layoutB in Sample.Layouts)
                    data.Add(dtype, layoutA, layoutB);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheCpu(DType dtype, Layout layoutA, Layout layoutB)
    {
        int seed = 2000;
        foreach (var (shapeA, shapeB) in Shapes)
        {
            using var scope = TensorScope.Begin();
            var (a, _) = Sample.Make(seed++, shapeA, dtype, layoutA);
            var (b, _) = Sample.Make(seed++, shapeB, dtype, layoutB);
            Conformance.Check($"{Conformance.Format(shapeA)} {layoutA} @ {Conformance.Format(shapeB)} {layoutB} {dtype}",
                t => t[0].MatMul(t[1]), DeviceTol.Accumulated(dtype), a, b);
        }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void LinearMatchesTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var (input, _) = Sample.Make(2200, [7, 5, 12], dtype, Layout.Strided);
        var (weight, _) = Sample.Make(2201, [9, 12], dtype, Layout.Contiguous);
        var (bias, _) = Sample.Make(2202, [9], dtype, Layout.Contiguous);
        Conformance.Check($"Linear {dtype}", t => Tensor.Linear(t[0], t[1], t[2]), DeviceTol.Accumulated(dtype), input, weight, bias);
    }
}
