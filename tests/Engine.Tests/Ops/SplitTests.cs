using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Both Split overloads: piece shapes and values, a shorter last piece, and pieces being views of the input.</summary>
public class SplitTests
{
    [Fact]
    public void SplitBySizes()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 24, dtype: DType.F64).Reshape(6, 4);
        var rows = x.Split([1, 2, 0, 3]);
        Assert.Equal([[1, 4], [2, 4], [0, 4], [3, 4]], rows.Select(p => p.Shape));
        Check.Exact([1, 4], [0, 1, 2, 3], rows[0]);
        Check.Exact([2, 4], [4, 5, 6, 7, 8, 9, 10, 11], rows[1]);
        Check.Exact([3, 4], Enumerable.Range(12, 12).Select(v => (double)v).ToArray(), rows[3]);

        var columns = x.Split([3, 1], axis: -1);
        Check.Exact([6, 3], [0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22], columns[0]);
        Check.Exact([6, 1], [3, 7, 11, 15, 19, 23], columns[1]);
    }

    [Fact]
    public void SplitByPieceSizeLeavesAShorterLastPiece()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 14, dtype: DType.I32).Reshape(2, 7);
        var pieces = x.Split(3, axis: 1);
        Assert.Equal([[2, 3], [2, 3], [2, 1]], pieces.Select(p => p.Shape));
        Check.Exact([2, 3], [0, 1, 2, 7, 8, 9], pieces[0]);
        Check.Exact([2, 3], [3, 4, 5, 10, 11, 12], pieces[1]);
        Check.Exact([2, 1], [6, 13], pieces[2]);
        Assert.Single(x.Split(7, axis: 1));
        Assert.Single(x.Split(10, axis: 1));
        Assert.Equal(2, x.Split(1).Length);
    }

    [Fact]
    public void PiecesAreViewsOfTheInput()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([4, 3]);
        var pieces = x.Split([1, 3]);
        x.CopyFrom(Tensor.Arange(0, 12).Reshape(4, 3));
        Check.Exact([1, 3], [0, 1, 2], pieces[0]);
        Check.Exact([3, 3], [3, 4, 5, 6, 7, 8, 9, 10, 11], pieces[1]);
    }

    [Fact]
    public void ConcatOfThePiecesIsTheInput()
    {
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(3200, [5, 7, 3], DType.F32, Layout.Transposed);
        Check.Exact(r, Tensor.Concat(x.Split([2, 4, 1], axis: 1), axis: 1), "Concat(Split)");
        Check.Exact(r, Tensor.Concat(x.Split(2), axis: 0), "Concat(Split by size)");
    }
}
