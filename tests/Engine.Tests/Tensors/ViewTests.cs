using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>Shapes, strides, offsets and values of the view ops, and that views share their base's storage.</summary>
public class ViewTests
{
    private static Tensor Arange234() => Tensor.Arange(0, 24, dtype: DType.F64).Reshape(2, 3, 4);

    [Fact]
    public void TransposeAndPermute()
    {
        using var scope = TensorScope.Begin();
        var m = Tensor.Arange(0, 6, dtype: DType.F64).Reshape(2, 3);
        var t = m.Transpose();
        Assert.Equal([3, 2], t.Shape);
        Assert.Equal([1L, 3L], t.Strides);
        Assert.False(t.IsContiguous);
        Check.Exact([3, 2], [0, 3, 1, 4, 2, 5], t);

        var x = Arange234();
        var r = Ref.Of([2, 3, 4], Enumerable.Range(0, 24).Select(v => (double)v).ToArray());
        var p = x.Permute(2, 0, 1);
        Assert.Equal([4, 2, 3], p.Shape);
        Assert.Equal([1L, 12L, 4L], p.Strides);
        Check.Exact(r.Permute(2, 0, 1), p, "Permute(2, 0, 1)");
        Check.Exact(r.Permute(2, 0, 1), x.Permute(-1, 0, -2), "Permute(-1, 0, -2)");
        Check.Exact(r.Permute(2, 1, 0), x.Transpose(0, 2), "Transpose(0, 2)");
        Check.Exact(r.Permute(0, 2, 1), x.Transpose(), "Transpose()");
        Check.Exact(r, x.Transpose(0, 1).Transpose(1, 0), "transposed twice");
    }

    [Fact]
    public void SliceAndNarrow()
    {
        using var scope = TensorScope.Begin();
        var v = Tensor.Arange(10);
        var stepped = v.Slice(0, 1, 8, 3);
        Assert.Equal([3], stepped.Shape);
        Assert.Equal([3L], stepped.Strides);
        Assert.Equal(1, stepped.Offset);
        Check.Exact([3], [1, 4, 7], stepped);
        Check.Exact([2], [7, 8], v.Slice(0, -3, -1));
        Check.Exact([3], [7, 8, 9], v.Slice(0, 7, 100));
        Check.Exact([0], [], v.Slice(0, 6, 2));
        var odd = v.Slice(0, 1, 10, 2);
        var sliceOfSlice = odd.Slice(0, 1, 5, 2);
        Assert.Equal([4L], sliceOfSlice.Strides);
        Assert.Equal(3, sliceOfSlice.Offset);
        Check.Exact([2], [3, 7], sliceOfSlice);

        var x = Arange234();
        var columns = x.Slice(2, 0, 4, 2);
        Assert.Equal([2, 3, 2], columns.Shape);
        Assert.Equal([12L, 4L, 2L], columns.Strides);
        Check.Exact([2, 3, 2], [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22], columns);

        var narrow = x.Narrow(1, 1, 2);
        Assert.Equal([2, 2, 4], narrow.Shape);
        Assert.Equal(4, narrow.Offset);
        Check.Exact([2, 2, 4], [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23], narrow);
    }

    [Fact]
    public void ExpandAndBroadcastTo()
    {
        using var scope = TensorScope.Begin();
        var column = Tensor.FromArray([1.0, 2, 3], 3, 1);
        var e = column.Expand(3, 4);
        Assert.Equal([3, 4], e.Shape);
        Assert.Equal([1L, 0L], e.Strides);
        Check.Exact([3, 4], [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], e);
        Check.Exact([3, 2], [1, 1, 2, 2, 3, 3], column.Expand(-1, 2));
        var lead = column.Expand(2, 3, 2);
        Assert.Equal([0L, 1L, 0L], lead.Strides);
        Check.Exact([2, 3, 2], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3], lead);
        Check.Exact([2, 3, 1], [1, 2, 3, 1, 2, 3], column.BroadcastTo(2, 3, 1));
    }

    [Fact]
    public void SqueezeUnsqueezeFlatten()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 6).Reshape(1, 3, 1, 2);
        Assert.Equal([3, 2], x.Squeeze().Shape);
        Assert.Equal([1, 3, 2], x.Squeeze(2).Shape);
        Assert.Equal([3, 1, 2], x.Squeeze(-4).Shape);
        Check.Exact([3, 2], [0, 1, 2, 3, 4, 5], x.Squeeze());

        var m = Tensor.Arange(0, 6).Reshape(3, 2);
        Assert.Equal([1, 3, 2], m.Unsqueeze(0).Shape);
        Assert.Equal([3, 1, 2], m.Unsqueeze(1).Shape);
        Assert.Equal([3, 2, 1], m.Unsqueeze(-1).Shape);
        Assert.Equal([3, 2, 1], m.Unsqueeze(2).Shape);
        Assert.Equal([1], Tensor.Scalar(4).Unsqueeze(0).Shape);
        Assert.Equal([], Tensor.Ones([1, 1]).Squeeze().Shape);

        var y = Arange234();
        Assert.Equal([24], y.Flatten().Shape);
        Assert.Equal([2, 12], y.Flatten(1).Shape);
        Assert.Equal([6, 4], y.Flatten(0, 1).Shape);
        Assert.Equal([2, 3, 4], y.Flatten(1, 1).Shape);
        Assert.Equal([1], Tensor.Scalar(4).Flatten().Shape);
        var r = Ref.Of([2, 3, 4], Enumerable.Range(0, 24).Select(v => (double)v).ToArray()).Permute(2, 1, 0);
        Check.Exact(new Ref([24], r.Data), y.Permute(2, 1, 0).Flatten(), "flattened permutation");
    }

    [Fact]
    public void ViewsShareStorageWithTheirBase()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([3, 4]);
        Tensor[] views = [x.Transpose(), x.Slice(1, 0, 4, 2), x.Narrow(0, 1, 1), x.Reshape(2, 6), x.View(12), x.Unsqueeze(0), x.Detach(), x.Contiguous()];
        x.CopyFrom(Tensor.Arange(0, 12).Reshape(3, 4));
        Check.Exact([4, 3], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], views[0]);
        Check.Exact([3, 2], [0, 2, 4, 6, 8, 10], views[1]);
        Check.Exact([1, 4], [4, 5, 6, 7], views[2]);
        Check.Exact([2, 6], Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), views[3]);
        Check.Exact([12], Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), views[4]);
        Check.Exact([1, 3, 4], Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), views[5]);
        Check.Exact([3, 4], Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), views[6]);
        Check.Exact([3, 4], Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), views[7]);

        views[1].CopyFrom(Tensor.Scalar(-1));
        Check.Exact([3, 4], [-1, 1, -1, 3, -1, 5, -1, 7, -1, 9, -1, 11], x);
        x.Narrow(0, 2, 1).Transpose().CopyFrom(Tensor.FromArray([20f, 21, 22, 23], 4, 1));
        Check.Exact([4, 3], [-1, -1, 20, 1, 5, 21, -1, -1, 22, 3, 7, 23], views[0]);
    }

    [Fact]
    public void CopyFromBroadcastsAndConverts()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2, 3], DType.F64);
        Assert.Same(x, x.CopyFrom(Tensor.From([1, 2, 3])));
        Check.Exact([2, 3], [1, 2, 3, 1, 2, 3], x);
    }
}
