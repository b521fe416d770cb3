using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>Reshape is a view when the strides allow it and a copy otherwise; View refuses to copy; -1 is inferred.</summary>
public class ReshapeTests
{
    /// <summary>Whether a write to <paramref name="source"/> (it adds 1000 to every element) shows in <paramref name="view"/>.</summary>
    private static bool SharesStorage(Tensor view, Tensor source)
    {
        using var scope = TensorScope.Begin();
        var before = view.ToArray<double>();
        source.CopyFrom(source + 1000);
        return !before.SequenceEqual(view.ToArray<double>());
    }

    [Fact]
    public void ContiguousReshapeIsAViewWithContiguousStrides()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 24).Reshape(2, 3, 4);
        var y = x.Reshape(4, 6);
        Assert.Equal([6L, 1L], y.Strides);
        Assert.True(SharesStorage(y, x));
        Assert.Equal([6, 4], x.Reshape(-1, 4).Shape);
        Assert.Equal([4, 6], x.Reshape(4, -1).Shape);
        Assert.Equal([24], x.Reshape(-1).Shape);
        Assert.Equal([2, 1, 12], x.Reshape(2, 1, -1).Shape);
        Assert.Equal([], Tensor.Ones([1, 1]).Reshape().Shape);
    }

    [Fact]
    public void NonContiguousReshapeCopiesWhenItMust()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 12).Reshape(3, 4);
        var t = x.Transpose();
        var flat = t.Reshape(-1);
        Check.Exact([12], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], flat);
        Assert.True(flat.IsContiguous);
        Assert.False(SharesStorage(flat, x));
        Assert.Throws<InvalidOperationException>(() => t.View(-1));
        Expect.Throws<InvalidOperationException>(() => t.View(12), "View", "[4, 3]", "Reshape");
    }

    [Fact]
    public void NonContiguousReshapeIsAViewWhenTheStridesAllow()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 24, dtype: DType.F64).Reshape(2, 3, 4);
        var r = Ref.Of([2, 3, 4], Enumerable.Range(0, 24).Select(v => (double)v).ToArray()).Permute(1, 0, 2);
        var p = x.Permute(1, 0, 2);
        var split = p.View(3, 2, 2, 2);
        var withOnes = p.Reshape(3, 1, 2, 4, 1);
        var merged = p.Reshape(3, 8);
        Assert.Equal([4L, 12L, 2L, 1L], split.Strides);
        Check.Exact(new Ref([3, 2, 2, 2], r.Data), split, "split last axis");
        Check.Exact(new Ref([3, 1, 2, 4, 1], r.Data), withOnes, "inserted ones");
        Check.Exact(new Ref([3, 8], r.Data), merged, "merged axes");
        Assert.True(SharesStorage(split, x));
        Assert.True(SharesStorage(withOnes, x));
        Assert.False(SharesStorage(merged, x));
    }

    [Fact]
    public void SlicedAndExpandedInputs()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 12).Reshape(3, 4);
        var everyOther = x.Slice(1, 0, 4, 2);
        Check.Exact([6], [0, 2, 4, 6, 8, 10], everyOther.Reshape(6));
        Assert.True(SharesStorage(everyOther.View(3, 2, 1), x));

        var row = Tensor.FromArray([1f, 2, 3, 4], 1, 4).Expand(3, 4);
        Check.Exact([12], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], row.Reshape(12));
        var split = row.View(3, 2, 2);
        Assert.Equal([0L, 2L, 1L], split.Strides);
        Check.Exact([3, 2, 2], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], split);
    }
}
