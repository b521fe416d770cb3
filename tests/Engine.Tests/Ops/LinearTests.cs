using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Linear(x, W, b) = x @ W^T + b, with weight [out, in], for 1-D, 2-D and batched inputs, with and without bias.</summary>
public class LinearTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void MatchesTheReference(DType dtype)
    {
        int seed = 2300;
        foreach (int[] inputShape in new[] { new[] { 3 }, [5, 3], [2, 5, 3] })
            foreach (bool withBias in new[] { true, false })
            {
                using var scope = TensorScope.Begin();
                var (x, rx) = Sample.Make(seed++, inputShape, dtype, Layout.Contiguous);
                var (w, rw) = Sample.Make(seed++, [4, 3], dtype, Layout.Transposed);
                var (b, rb) = Sample.Make(seed++, [4], dtype, Layout.Strided);
                var (product, bound) = MatMulReference.Multiply(rx, rw.Permute(1, 0), Tol.UnitRoundoff(dtype));
                var expected = withBias ? Ref.Zip(product, rb, (p, c) => p + c) : product;
                var tolerance = Ref.Zip(bound, expected, (e, v) => e + 2 * Tol.UnitRoundoff(dtype) * Math.Abs(v)); // plus the bias addition's rounding
                var y = Tensor.Linear(x, w, withBias ? b : null);
                Check.WithinBounds(expected, tolerance, y, $"Linear {Check.Describe(inputShape)} bias {withBias} {dtype}");
            }
    }
}
