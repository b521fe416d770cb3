using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>To(dtype) between every pair of dtypes, ToArray/Item conversions, Contiguous and Clone.</summary>
public class ConversionTests
{
    [Fact]
    public void FloatingToInteger()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([2.7, -2.7, 0.5, -0.5, 7, 1e6], 6);
        foreach (var dtype in new[] { DType.I32, DType.I64 })
        {
            var y = x.To(dtype);
            Assert.Equal(dtype, y.DType);
            Check.Exact([6], [2, -2, 0, 0, 7, 1e6], y);
        }
        Check.Exact([6], [2, -2, 0, 0, 7, 1e6], x.To(DType.F32).To(DType.I64));
    }

    [Fact]
    public void BetweenFloatingTypes()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0.1, 1.0 / 3, -1e-3], 3);
        var single = x.To(DType.F32);
        Assert.Equal(DType.F32, single.DType);
        Assert.Equal([0.1f, 1f / 3, -1e-3f], single.ToArray<float>());
        Assert.Equal([(double)0.1f, (double)(1f / 3), (double)-1e-3f], single.To(DType.F64).ToArray<double>());
    }

    [Fact]
    public void BetweenIntegerTypesAndToFloating()
    {
        using var scope = TensorScope.Begin();
        var big = Tensor.From([16_777_217L, -5, 1L << 40]);
        Assert.Equal([16_777_216f, -5, 1L << 40], big.To(DType.F32).ToArray<float>());
        Assert.Equal([16_777_217.0, -5, 1L << 40], big.To(DType.F64).ToArray<double>());
        var small = Tensor.From([3L, -4, int.MaxValue]);
        Assert.Equal([3, -4, int.MaxValue], small.To(DType.I32).ToArray<int>());
        Assert.Equal([3L, -4, int.MaxValue], small.To(DType.I32).To(DType.I64).ToArray<long>());
        Assert.Equal([3f, -4f], Tensor.From([3, -4]).To(DType.F32).ToArray<float>());
    }

    [Fact]
    public void ToTheSameDTypeSharesStorage()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2]);
        var y = x.To(DType.F32);
        Assert.NotSame(x, y);
        x.CopyFrom(Tensor.Scalar(5));
        Assert.Equal([5f, 5f], y.ToArray<float>());
    }

    [Fact]
    public void ConversionsOfNonContiguousInputs()
    {
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(4000, [4, 5], DType.F64, Layout.Strided, -20, 20, integral: true);
        var y = x.To(DType.I32);
        Assert.True(y.IsContiguous);
        Check.Exact(r, y, "To(I32) of a strided tensor");
        Check.Exact(r, x.Transpose().To(DType.F32).Transpose(), "To(F32) of a transposed tensor");
        Assert.Equal(r.Data.Select(v => (long)v), x.ToArray<long>());
    }

    [Fact]
    public void ToArrayAndItemConvert()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.9f, -1.9f], 2);
        Assert.Equal([1, -1], x.ToArray<int>());
        Assert.Equal([(double)1.9f, (double)-1.9f], x.ToArray<double>());
        Assert.Equal(2.5, Tensor.Scalar(2.5, DType.F64).Item<double>());
        Assert.Equal(2.5f, Tensor.Scalar(2.5, DType.F64).Item<float>());
        Assert.Equal(2L, Tensor.Scalar(2.5, DType.F64).Item<long>());
        Assert.Equal(7, Tensor.Full([1, 1, 1], 7, DType.I64).Item<int>());
    }

    [Fact]
    public void ContiguousCopiesOnlyWhenNeeded()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 6).Reshape(2, 3);
        var same = x.Contiguous();
        var copy = x.Transpose().Contiguous();
        Assert.True(copy.IsContiguous);
        Assert.Equal([2L, 1L], copy.Strides);
        Check.Exact([3, 2], [0, 3, 1, 4, 2, 5], copy);
        x.CopyFrom(Tensor.Scalar(9));
        Check.Exact([2, 3], [9, 9, 9, 9, 9, 9], same);
        Check.Exact([3, 2], [0, 3, 1, 4, 2, 5], copy);
    }

    [Fact]
    public void CloneAlwaysCopies()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 6, dtype: DType.I32).Reshape(2, 3);
        var clone = x.Clone();
        var transposedClone = x.Transpose().Clone();
        Assert.True(transposedClone.IsContiguous);
        x.CopyFrom(Tensor.Scalar(-1, DType.I32));
        Check.Exact([2, 3], [0, 1, 2, 3, 4, 5], clone);
        Check.Exact([3, 2], [0, 3, 1, 4, 2, 5], transposedClone);
        Assert.Equal(DType.I32, clone.DType);
    }
}
