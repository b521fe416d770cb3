using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>ToString shows shape, dtype and device, and the values only for tensors of at most 100 elements.</summary>
public class ToStringTests
{
    [Fact]
    public void SmallTensorsShowTheirValues()
    {
        using var scope = TensorScope.Begin();
        Assert.Equal("Tensor([2, 3], F32, cpu)\n[[1, 2, 3], [4, 5, 6]]", Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3).ToString());
        Assert.Equal("Tensor([], F64, cpu)\n2.5", Tensor.Scalar(2.5, DType.F64).ToString());
        Assert.Equal("Tensor([2], I64, cpu)\n[-3, 12345678901]", Tensor.From([-3L, 12_345_678_901]).ToString());
        Assert.Equal("Tensor([2, 1], F32, cpu)\n[[0.333333], [-1E+20]]", Tensor.FromArray([1f / 3, -1e20f], 2, 1).ToString());
        Assert.Equal("Tensor([3, 2], I32, cpu)\n[[0, 3], [1, 4], [2, 5]]", Tensor.Arange(0, 6, dtype: DType.I32).Reshape(2, 3).Transpose().ToString());
        Assert.Equal("Tensor([0], F32, cpu)\n[]", Tensor.Zeros([0]).ToString());
    }

    [Fact]
    public void LargeTensorsOmitTheirValues()
    {
        using var scope = TensorScope.Begin();
        Assert.Equal("Tensor([101], F32, cpu)", Tensor.Ones([101]).ToString());
        Assert.Equal("Tensor([300, 400], F64, cpu)", Tensor.Zeros([300, 400], DType.F64).ToString());
        var hundred = Tensor.Ones([10, 10]).ToString();
        Assert.StartsWith("Tensor([10, 10], F32, cpu)\n[[1, 1,", hundred);
        var values = hundred[(hundred.IndexOf('\n') + 1)..].Replace("[", "").Replace("]", "").Split(", ");
        Assert.Equal(100, values.Length);
        Assert.All(values, v => Assert.Equal("1", v));
    }

    [Fact]
    public void DisposedTensorsSaySo()
    {
        var x = Tensor.Ones([2, 2]);
        x.Dispose();
        Assert.Equal("Tensor([2, 2], F32, cpu, disposed)", x.ToString());
    }
}
