using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>Factories: shapes, dtypes, layouts and values of From/FromArray, Zeros/Ones/Full/Scalar, Arange, Linspace and Eye.</summary>
public class CreationTests
{
    [Fact]
    public void FromCopiesDataWithTheGivenShape()
    {
        using var scope = TensorScope.Begin();
        var data = new[] { 1f, 2, 3, 4, 5, 6 };
        var x = Tensor.From(data, [2, 3]);
        data[0] = 100;
        Assert.Equal([2, 3], x.Shape);
        Assert.Equal([3L, 1L], x.Strides);
        Assert.Equal(0, x.Offset);
        Assert.Equal(2, x.Rank);
        Assert.Equal(6, x.NumElements);
        Assert.Equal(3, x.Size(-1));
        Assert.True(x.IsContiguous);
        Assert.Equal(Device.Cpu, x.Device);
        Check.Exact([2, 3], [1, 2, 3, 4, 5, 6], x);

        Assert.Equal([3], Tensor.From([1L, 2, 3]).Shape);
        Assert.Equal(DType.I64, Tensor.From([1L, 2, 3]).DType);
        Assert.Equal(DType.I32, Tensor.From([1, 2]).DType);
        Assert.Equal(DType.F64, Tensor.From([1.0]).DType);
        Assert.Equal([0], Tensor.From(Array.Empty<float>()).Shape);
        Assert.Equal([], Tensor.From([7.0], []).Shape);
    }

    [Fact]
    public void FromArrayAndTwoDimensionalArrays()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 3, 2);
        Assert.Equal(DType.F32, x.DType);
        Check.Exact([3, 2], [1, 2, 3, 4, 5, 6], x);
        Assert.Equal([4], Tensor.FromArray([1.0, 2, 3, 4]).Shape);
        Assert.Equal(DType.F64, Tensor.FromArray([1.0, 2], 1, 2, 1).DType);
        Assert.Equal([1, 2, 1], Tensor.FromArray([1.0, 2], 1, 2, 1).Shape);
        var m = Tensor.From(new long[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(DType.I64, m.DType);
        Check.Exact([2, 3], [1, 2, 3, 4, 5, 6], m);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void FilledTensors(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var zeros = Tensor.Zeros([2, 3], dtype);
        Assert.Equal(dtype, zeros.DType);
        Check.Exact([2, 3], new double[6], zeros);
        Check.Exact([3], [1, 1, 1], Tensor.Ones([3], dtype));
        Check.Exact([2, 2], [-4, -4, -4, -4], Tensor.Full([2, 2], -4, dtype));
        var scalar = Tensor.Scalar(5, dtype);
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(1, scalar.NumElements);
        Assert.Equal(5.0, scalar.Item<double>());
        var like = Tensor.Full([4, 1], 3, dtype);
        Check.Exact([4, 1], [0, 0, 0, 0], like.ZerosLike());
        Check.Exact([4, 1], [1, 1, 1, 1], like.OnesLike());
        Assert.Equal(dtype, like.OnesLike().DType);
        Check.Exact([0, 3], [], Tensor.Zeros([0, 3], dtype));
    }

    [Fact]
    public void DefaultsAreF32()
    {
        using var scope = TensorScope.Begin();
        Assert.Equal(DType.F32, Tensor.Zeros([1]).DType);
        Assert.Equal(DType.F32, Tensor.Scalar(1).DType);
        Assert.Equal(DType.F32, Tensor.Arange(0, 3).DType);
        Assert.Equal(DType.I64, Tensor.Arange(3).DType);
        Assert.Equal(DType.F32, Tensor.Linspace(0, 1, 3).DType);
        Assert.Equal(DType.F32, Tensor.Eye(2).DType);
    }

    [Fact]
    public void Arange()
    {
        using var scope = TensorScope.Begin();
        Check.Exact([5], [0, 1, 2, 3, 4], Tensor.Arange(5));
        Check.Exact([4], [0, 0.25, 0.5, 0.75], Tensor.Arange(0, 1, 0.25, DType.F64));
        Check.Exact([4], [0, 3, 6, 9], Tensor.Arange(0, 10, 3));
        Check.Exact([3], [-3, -1, 1], Tensor.Arange(-3, 3, 2, DType.I32));
        Check.Exact([4], [5, 3.5, 2, 0.5], Tensor.Arange(5, 0, -1.5));
        Check.Exact([4], [1, 0.5, 0, -0.5], Tensor.Arange(1, -1, -0.5, DType.F64));
        Check.Exact([3], [10, 7, 4], Tensor.Arange(10, 3, -3, DType.I64));
        Check.Exact([0], [], Tensor.Arange(2, 2));
        Check.Exact([0], [], Tensor.Arange(3.0, 0));
        Check.Exact([0], [], Tensor.Arange(3, 0));
        Check.Exact([0], [], Tensor.Arange(0, 3, -1));
        Assert.Equal(10, Tensor.Arange(0, 1, 0.1, DType.F64).NumElements);
    }

    [Fact]
    public void Linspace()
    {
        using var scope = TensorScope.Begin();
        Check.Exact([5], [0, 0.25, 0.5, 0.75, 1], Tensor.Linspace(0, 1, 5));
        Check.Exact([3], [2, 0, -2], Tensor.Linspace(2, -2, 3, DType.F64));
        Check.Exact([6], [0, 2, 4, 6, 8, 10], Tensor.Linspace(0, 10, 6, DType.I64));
        Check.Exact([1], [3], Tensor.Linspace(3, 9, 1));
        Check.Exact([0], [], Tensor.Linspace(3, 9, 0));
        var sevenths = Tensor.Linspace(-1, 1, 7, DType.F64).ToArray<double>();
        Assert.Equal(-1, sevenths[0]);
        Assert.Equal(1, sevenths[^1], 1e-15);
        for (int i = 0; i < 7; i++) Assert.Equal(-1 + i / 3.0, sevenths[i], 1e-15);
    }

    [Fact]
    public void Eye()
    {
        using var scope = TensorScope.Begin();
        Check.Exact([3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1], Tensor.Eye(3));
        Check.Exact([2, 3], [1, 0, 0, 0, 1, 0], Tensor.Eye(2, 3));
        Check.Exact([3, 2], [1, 0, 0, 1, 0, 0], Tensor.Eye(3, 2, DType.I32));
        Check.Exact([1, 1], [1], Tensor.Eye(1, dtype: DType.F64));
        Check.Exact([0, 0], [], Tensor.Eye(0));
    }
}
