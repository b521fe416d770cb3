using Engine.Tests.Ops;
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
    /// <summary>The CPU tests' small products, and a few larger and odd ones.</summary>
    private static readonly (int[] A, int[] B)[] Shapes =
    [
        .. MatMulTests.SmallCases,
        ([17, 33], [33, 9]),
        ([3, 2, 6, 5], [3, 2, 5, 7]),
        ([1, 5], [5, 1]),
    ];

    [Theory]
    [MemberData(nameof(MatMulTests.Cases), MemberType = typeof(MatMulTests))]
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
