using Engine.Tests.Ops;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cpu;

/// <summary>
/// A product with few rows and fewer than four NR-wide columns but enough work for two threads (the first linear layer
/// after a convolution stack: batch 32, 3136 inputs, 128 outputs) is split by columns; that split once asked for chunks
/// of at least four panels in a matrix narrower than that.
/// </summary>
public class GemmNarrowTests
{
    [Theory]
    [InlineData(DType.F32, 32, 3136, 128)]
    [InlineData(DType.F64, 16, 2048, 100)]
    public void FewRowsAndNarrowColumnsMatchTheReference(DType dtype, int m, int k, int n)
    {
        using var scope = TensorScope.Begin();
        var (a, ra) = Sample.Make(1, [m, k], dtype, Layout.Contiguous);
        var (b, rb) = Sample.Make(2, [k, n], dtype, Layout.Contiguous);
        var (expected, bound) = MatMulReference.Multiply(ra, rb, Tol.UnitRoundoff(dtype));
        Check.WithinBounds(expected, bound, a.MatMul(b), $"MatMul [{m}, {k}] @ [{k}, {n}] {dtype}");
    }
}
