using Engine.Autodiff;
using Engine.Tests.Autodiff;
using Engine.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>C# indices and ranges, Chunk, MT, scalar-base Pow and Max/Min with indices.</summary>
public class IndexingTests
{
    private static Tensor Grid() => Tensor.Arange(0, 24, 1, DType.F64).Reshape(2, 3, 4);

    [Fact]
    public void Integers_ranges_and_from_end_indices_select_like_PyTorch()
    {
        using var scope = TensorScope.Begin();
        var x = Grid();
        Assert.Equal([2, 3], x[.., .., 0].Shape);
        Assert.Equal([0.0, 4, 8, 12, 16, 20], x[.., .., 0].ToArray<double>());
        Assert.Equal([1, 4], x[1, 1..^1].Shape);
        Assert.Equal([16.0, 17, 18, 19], x[1, 1..^1].ToArray<double>());
        Assert.Equal(23.0, x[^1, ^1, ^1].Item<double>());
        Assert.Equal(23.0, x[-1, -1, -1].Item<double>());
        Assert.Equal([3, 4], x[0].Shape);
        Assert.Equal([2, 3], x[TensorIndex.Ellipsis, 1].Shape);
        Assert.Equal([2, 1, 3, 4], x[.., TensorIndex.NewAxis].Shape);
        Assert.Equal([0.0, 2, 12, 14], x[.., 0, TensorIndex.Slice(.., 2)].ToArray<double>());
        Assert.Equal([2, 3, 4], x[..].Shape);
    }

    [Fact]
    public void Indexing_errors_name_the_dimension_and_size()
    {
        using var scope = TensorScope.Begin();
        var x = Grid();
        Expect.Throws<IndexOutOfRangeException>(() => x[2].Dispose(), "dimension 0", "size 2");
        Expect.Throws<ArgumentException>(() => x[0, 0, 0, 0].Dispose(), "4 indices", "rank 3");
        Expect.Throws<ArgumentException>(() => x[TensorIndex.Ellipsis, TensorIndex.Ellipsis].Dispose(), "Ellipsis");
    }

    [Fact]
    public void Setting_an_index_copies_into_that_view()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2, 3], DType.F64);
        x[.., 1] = Tensor.FromArray([5.0, 6], 2);
        x[0, 2..] = Tensor.Scalar(7, DType.F64);
        Assert.Equal([0.0, 5, 7, 0, 6, 0], x.ToArray<double>());
    }

    [Fact]
    public void Indexing_gradient_matches_finite_differences()
    {
        GradProperty.ForAll(GradGen.Input(Domain.Normal, GradGen.Shape(2, 3, 4)), spec =>
            GradCheck.Check("Index", a => a[0][1.., ^1].Square(), spec.Create()));
    }

    [Fact]
    public void Chunk_splits_like_torch_chunk()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 5, 1, DType.F64);
        Assert.Equal([2, 2, 1], x.Chunk(3).Select(c => c.Size(0)).ToArray());
        Assert.Equal([2, 2, 2], Tensor.Arange(0, 6, 1).Chunk(4).Select(c => c.Size(0)).ToArray());
        Assert.Equal([3.0, 4], x.Chunk(2)[1].ToArray<double>());
        Expect.Throws<ArgumentException>(() => x.Chunk(0), "Chunk");
    }

    [Fact]
    public void MT_transposes_the_last_two_dimensions()
    {
        using var scope = TensorScope.Begin();
        var x = Grid();
        Assert.Equal([2, 4, 3], x.MT.Shape);
        Assert.Equal(x[1, 2, 3].Item<double>(), x.MT[1, 3, 2].Item<double>());
        Expect.Throws<ArgumentException>(() => Tensor.Ones([3]).MT.Dispose(), "Transpose");
    }

    [Fact]
    public void Scalar_base_Pow_matches_finite_differences()
    {
        GradProperty.ForAll(GradGen.Input(Domain.Normal), spec =>
            GradCheck.Check("Pow(2.5, x)", a => Tensor.Pow(2.5, a[0]), spec.Create()));
    }

    [Fact]
    public void MaxWithIndices_returns_values_and_first_indices_and_differentiates_through_the_index()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 7, 7, -2, 0, -3], 2, 3);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var (values, indices) = x.MaxWithIndices(1);
        Assert.Equal([7.0, 0], values.ToArray<double>());
        Assert.Equal([1L, 1], indices.ToArray<long>());
        var (minValues, minIndices) = x.MinWithIndices(0, keepDim: true);
        Assert.Equal([1, 3], minValues.Shape);
        Assert.Equal([1L, 1, 1], minIndices.ToArray<long>());
        var grad = tape.Gradients(values.Sum(), x)[0];
        Assert.Equal([0.0, 1, 0, 0, 1, 0], grad.ToArray<double>());
    }

    [Fact]
    public void MaxWithIndices_gradient_matches_finite_differences()
    {
        var gen =
            from shape in GradGen.Shape(1, 3)
            from x in GradGen.Input(Domain.Distinct, shape)
            from axis in GradGen.Axis(shape.Length)
            select (x, axis);
        GradProperty.ForAll(gen, c => GradCheck.Check("MaxWithIndices", a => a[0].MaxWithIndices(c.axis).Values, c.x.Create()));
    }
}
