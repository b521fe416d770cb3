using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>Dispose is idempotent, any use of a disposed tensor throws ObjectDisposedException, and views outlive their base.</summary>
public class DisposeTests
{
    [Fact]
    public void DisposingTwiceIsFine()
    {
        var x = Tensor.Ones([3]);
        x.Dispose();
        x.Dispose();
        Assert.True(x.IsDisposed);
    }

    public static TheoryData<string> Uses() => new(
        "ToArray", "ToArray<double>", "Item", "Add", "Add (right)", "x + 1", "1 - x", "Neg", "Exp", "Clamp", "Sum", "Mean", "Max",
        "ArgMax", "Softmax", "MatMul", "Reshape", "View", "Flatten", "Transpose", "Permute", "Slice", "Narrow", "Expand", "Squeeze",
        "Unsqueeze", "Contiguous", "Clone", "Detach", "To", "CopyFrom (target)", "CopyFrom (source)", "Concat", "Stack", "Split",
        "IndexSelect", "IndexSelect (index)", "Gather", "OneHot", "Where (condition)", "LinearCombination", "ZerosLike", "OnesLike",
        "RequiresGrad");

    [Theory]
    [MemberData(nameof(Uses))]
    public void AnyUseAfterDisposeThrows(string use)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([2, 3]);
        var other = Tensor.Ones([2, 3]);
        var index = Tensor.Zeros([2], DType.I64);
        var disposedIndex = Tensor.Zeros([2], DType.I64);
        x.Dispose();
        disposedIndex.Dispose();
        Action call = use switch
        {
            "ToArray" => () => x.ToArray<float>(),
            "ToArray<double>" => () => x.ToArray<double>(),
            "Item" => () => x.Sum().Item<float>(),
            "Add" => () => x.Add(other),
            "Add (right)" => () => other.Add(x),
            "x + 1" => () => _ = x + 1,
            "1 - x" => () => _ = 1 - x,
            "Neg" => () => x.Neg(),
            "Exp" => () => x.Exp(),
            "Clamp" => () => x.Clamp(0, 1),
            "Sum" => () => x.Sum(),
            "Mean" => () => x.Mean(),
            "Max" => () => x.Max(1),
            "ArgMax" => () => x.ArgMax(0),
            "Softmax" => () => x.Softmax(),
            "MatMul" => () => other.MatMul(x.Transpose()),
            "Reshape" => () => x.Reshape(6),
            "View" => () => x.View(6),
            "Flatten" => () => x.Flatten(),
            "Transpose" => () => x.Transpose(),
            "Permute" => () => x.Permute(1, 0),
            "Slice" => () => x.Slice(0, 0, 1),
            "Narrow" => () => x.Narrow(1, 0, 1),
            "Expand" => () => x.Expand(2, 2, 3),
            "Squeeze" => () => x.Squeeze(),
            "Unsqueeze" => () => x.Unsqueeze(0),
            "Contiguous" => () => x.Contiguous(),
            "Clone" => () => x.Clone(),
            "Detach" => () => x.Detach(),
            "To" => () => x.To(DType.F64),
            "CopyFrom (target)" => () => x.CopyFrom(other),
            "CopyFrom (source)" => () => other.CopyFrom(x),
            "Concat" => () => Tensor.Concat([other, x]),
            "Stack" => () => Tensor.Stack([other, x]),
            "Split" => () => x.Split(1),
            "IndexSelect" => () => x.IndexSelect(0, index),
            "IndexSelect (index)" => () => other.IndexSelect(0, disposedIndex),
            "Gather" => () => other.Gather(0, disposedIndex.Reshape(1, 2)),
            "OneHot" => () => Tensor.OneHot(disposedIndex, 3),
            "Where (condition)" => () => Tensor.Where(x, other, other),
            "LinearCombination" => () => Tensor.LinearCombination(other, [1.0], [x]),
            "ZerosLike" => () => x.ZerosLike(),
            "OnesLike" => () => x.OnesLike(),
            _ => () => x.RequiresGrad = true,
        };
        Assert.Throws<ObjectDisposedException>(call);
    }

    [Fact]
    public void TheMessageDescribesTheTensor()
    {
        var x = Tensor.Ones([2, 3], DType.F64);
        x.Dispose();
        Expect.Throws<ObjectDisposedException>(() => x.Exp(), "[2, 3]", "F64", "disposed");
    }

    [Fact]
    public void AViewKeepsTheStorageAliveAfterTheBaseIsDisposed()
    {
        var x = Tensor.Arange(0, 6, dtype: DType.F64).Reshape(2, 3);
        var column = x.Slice(1, 2, 3);
        var transposed = x.Transpose();
        x.Dispose();
        Check.Exact([2, 1], [2, 5], column);
        Check.Exact([3, 2], [0, 3, 1, 4, 2, 5], transposed);
        column.Dispose();
        Check.Exact([3, 2], [0, 3, 1, 4, 2, 5], transposed);
        transposed.Dispose();
    }

    [Fact]
    public void MetadataStaysReadableAfterDispose()
    {
        var x = Tensor.Ones([2, 3], DType.I32);
        x.Dispose();
        Assert.Equal([2, 3], x.Shape);
        Assert.Equal(DType.I32, x.DType);
        Assert.Equal(Device.Cpu, x.Device);
    }
}
