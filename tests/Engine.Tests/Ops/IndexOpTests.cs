using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>IndexSelect, IndexAdd, Gather and ScatterAdd against hand-built results and a per-element reference.</summary>
public class IndexOpTests
{
    private static Tensor Matrix() => Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });

    [Fact]
    public void IndexSelectPicksRowsAndColumns()
    {
        using var scope = TensorScope.Begin();
        var x = Matrix();
        Check.Exact([3, 3], [4, 5, 6, 1, 2, 3, 4, 5, 6], x.IndexSelect(0, Tensor.From([1L, 0, 1])));
        Check.Exact([2, 2], [3, 2, 6, 5], x.IndexSelect(1, Tensor.From([2, 1])));
        Check.Exact([2, 2], [3, 2, 6, 5], x.IndexSelect(-1, Tensor.From([2, 1])));
        Check.Exact([0, 3], [], x.IndexSelect(0, Tensor.From(Array.Empty<long>())));
        var everyOther = Tensor.From([2L, 9, 0, 9]).Slice(0, 0, 4, 2);
        Check.Exact([2, 2], [3, 1, 6, 4], x.IndexSelect(1, everyOther));
        Check.Exact([2, 2], [3, 1, 6, 4], x.Transpose().IndexSelect(0, everyOther).Transpose());
    }

    [Fact]
    public void IndexAddAccumulatesRepeatedIndices()
    {
        using var scope = TensorScope.Begin();
        var source = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } });
        var baseRows = Tensor.Ones([4, 3], DType.F64);
        Check.Exact([4, 3], [9, 11, 13, 1, 1, 1, 5, 6, 7, 1, 1, 1], baseRows.IndexAdd(0, Tensor.From([0L, 2, 0]), source));
        Check.Exact([4, 3], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], baseRows);
        var baseColumns = Tensor.Zeros([3, 2], DType.F64);
        Check.Exact([3, 2], [4, 2, 10, 5, 16, 8], baseColumns.IndexAdd(1, Tensor.From([0, 1, 0]), source));
        var ints = Tensor.Zeros([2, 2], DType.I64);
        Check.Exact([2, 2], [0, 0, 4, 4], ints.IndexAdd(0, Tensor.From([1L, 1]), Tensor.Full([2, 2], 2, DType.I64)));
    }

    [Fact]
    public void GatherPicksAlongTheAxis()
    {
        using var scope = TensorScope.Begin();
        var x = Matrix();
        Check.Exact([2, 2], [3, 1, 5, 5], x.Gather(1, Tensor.From(new long[,] { { 2, 0 }, { 1, 1 } })));
        Check.Exact([1, 3], [4, 2, 6], x.Gather(0, Tensor.From(new long[,] { { 1, 0, 1 } })));
        Check.Exact([1, 2], [3, 1], x.Gather(1, Tensor.From(new int[,] { { 2, 0 } })));
    }

    [Fact]
    public void ScatterAddAccumulatesRepeatedIndices()
    {
        using var scope = TensorScope.Begin();
        var source = Matrix();
        var zeros = Tensor.Zeros([2, 3]);
        Check.Exact([2, 3], [3, 0, 3, 0, 10, 5], zeros.ScatterAdd(1, Tensor.From(new long[,] { { 0, 0, 2 }, { 1, 2, 1 } }), source));
        Check.Exact([2, 3], [0, 0, 0, 0, 0, 0], zeros);
        Check.Exact([3, 3], [4, 0, 0, 0, 0, 6, 1, 7, 3],
            Tensor.Zeros([3, 3]).ScatterAdd(0, Tensor.From(new int[,] { { 2, 2, 2 }, { 0, 2, 1 } }), source));
    }

    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.AllTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void GatherAndIndexSelectMatchTheReferenceOnEveryAxis(DType dtype, Layout layout)
    {
        int seed = 3300;
        int[] shape = [4, 5, 6];
        for (int axis = 0; axis < 3; axis++)
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(seed++, shape, dtype, layout, -50, 50);
            int[] indexShape = [3, 4, 5];
            indexShape[axis] = 7;
            var (index, ri) = Sample.Make(seed++, indexShape, DType.I64, Layout.Strided, 0, shape[axis] - 1);
            var gathered = new Ref(indexShape, new double[Ref.Count(indexShape)]);
            for (int i = 0; i < gathered.Data.Length; i++)
            {
                var at = gathered.Unravel(i);
                at[axis] = (int)ri.Data[i];
                gathered.Data[i] = r[at];
            }
            Check.Exact(gathered, x.Gather(axis, index), $"Gather axis {axis} {dtype} {layout}");

            var (rows, rr) = Sample.Make(seed++, [9], DType.I32, Layout.Contiguous, 0, shape[axis] - 1);
            var selectedShape = (int[])shape.Clone();
            selectedShape[axis] = 9;
            var selected = new Ref(selectedShape, new double[Ref.Count(selectedShape)]);
            for (int i = 0; i < selected.Data.Length; i++)
            {
                var at = selected.Unravel(i);
                at[axis] = (int)rr.Data[at[axis]];
                selected.Data[i] = r[at];
            }
            Check.Exact(selected, x.IndexSelect(axis, rows), $"IndexSelect axis {axis} {dtype} {layout}");
        }
    }

    [Theory]
    [InlineData(DType.F64, Layout.Contiguous)]
    [InlineData(DType.F64, Layout.Transposed)]
    [InlineData(DType.I64, Layout.Strided)]
    public void ScatterAddAndIndexAddMatchTheReferenceOnEveryAxis(DType dtype, Layout layout)
    {
        int seed = 3400;
        int[] shape = [4, 5, 6];
        for (int axis = 0; axis < 3; axis++)
        {
            using var scope = TensorScope.Begin();
            var (target, rt) = Sample.Make(seed++, shape, dtype, layout, -9, 9);
            int[] indexShape = [3, 4, 5];
            indexShape[axis] = 8;
            var (index, ri) = Sample.Make(seed++, indexShape, DType.I32, Layout.Transposed, 0, shape[axis] - 1);
            var (source, rs) = Sample.Make(seed++, indexShape, dtype, layout, -9, 9);
            var scattered = rt.Map(v => v);
            for (int i = 0; i < rs.Data.Length; i++)
            {
                var at = rs.Unravel(i);
                at[axis] = (int)ri.Data[i];
                scattered.Data[scattered.Ravel(at)] += rs.Data[i];
            }
            Check.Exact(scattered, target.ScatterAdd(axis, index, source), $"ScatterAdd axis {axis} {dtype} {layout}");

            var (rows, rr) = Sample.Make(seed++, [8], DType.I64, Layout.Strided, 0, shape[axis] - 1);
            var sourceShape = (int[])shape.Clone();
            sourceShape[axis] = 8;
            var (added, ra) = Sample.Make(seed++, sourceShape, dtype, layout, -9, 9);
            var accumulated = rt.Map(v => v);
            for (int i = 0; i < ra.Data.Length; i++)
            {
                var at = ra.Unravel(i);
                at[axis] = (int)rr.Data[at[axis]];
                accumulated.Data[accumulated.Ravel(at)] += ra.Data[i];
            }
            Check.Exact(accumulated, target.IndexAdd(axis, rows, added), $"IndexAdd axis {axis} {dtype} {layout}");
        }
    }
}
