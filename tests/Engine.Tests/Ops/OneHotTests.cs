using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>OneHot against hand-built rows: 1-D and 2-D indices, I32 and I64, strided indices, each output dtype.</summary>
public class OneHotTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void BuildsOneHotRows(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var y = Tensor.OneHot(Tensor.From([2L, 0, 1]), 3, dtype);
        Assert.Equal(dtype, y.DType);
        Check.Exact([3, 3], [0, 0, 1, 1, 0, 0, 0, 1, 0], y);
        Check.Exact([2, 2, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
            Functional.OneHot(Tensor.From(new int[,] { { 0, 1 }, { 3, 3 } }), 4, dtype));
    }

    [Fact]
    public void DefaultsToF32AndAcceptsStridedIndices()
    {
        using var scope = TensorScope.Begin();
        var indices = Tensor.From([1, 7, 0, 7, 1]).Slice(0, 0, 5, 2);
        var y = Tensor.OneHot(indices, 2);
        Assert.Equal(DType.F32, y.DType);
        Check.Exact([3, 2], [0, 1, 1, 0, 0, 1], y);
        Check.Exact([0, 5], [], Tensor.OneHot(Tensor.From(Array.Empty<long>()), 5));
    }
}
