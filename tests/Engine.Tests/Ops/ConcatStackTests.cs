using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Concat and Stack against hand-built results and against an index-by-index reference, for every axis, dtype and input layout.</summary>
public class ConcatStackTests
{
    [Fact]
    public void ConcatJoinsAlongTheAxis()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.From(new float[,] { { 1, 2 } });
        var b = Tensor.From(new float[,] { { 3, 4 }, { 5, 6 } });
        Check.Exact([3, 2], [1, 2, 3, 4, 5, 6], Tensor.Concat([a, b]));
        var c = Tensor.From(new float[,] { { 1 }, { 2 } });
        Check.Exact([2, 3], [1, 3, 4, 2, 5, 6], Tensor.Concat([c, b], axis: 1));
        Check.Exact([2, 3], [1, 3, 4, 2, 5, 6], Tensor.Concat([c, b], axis: -1));
        Check.Exact([1, 2], [1, 2], Tensor.Concat([a]));
    }

    [Fact]
    public void StackAddsANewAxis()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1.0, 2], 2);
        var b = Tensor.FromArray([3.0, 4], 2);
        Check.Exact([2, 2], [1, 2, 3, 4], Tensor.Stack([a, b]));
        Check.Exact([2, 2], [1, 3, 2, 4], Tensor.Stack([a, b], axis: 1));
        Check.Exact([2, 2], [1, 3, 2, 4], Tensor.Stack([a, b], axis: -1));
    }

    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.AllTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConcatMatchesTheReferenceOnEveryAxis(DType dtype, Layout layout)
    {
        int seed = 3000;
        for (int axis = -1; axis < 3; axis++)
        {
            using var scope = TensorScope.Begin();
            int dim = (axis + 3) % 3;
            var pieces = new[] { 1, 3, 2 }.Select(size =>
            {
                int[] shape = [2, 3, 4];
                shape[dim] = size;
                return Sample.Make(seed++, shape, dtype, layout, -9, 9);
            }).ToArray();
            var y = Tensor.Concat(pieces.Select(p => p.Tensor).ToArray(), axis);
            Assert.Equal(dtype, y.DType);
            Check.Exact(ConcatReference(pieces.Select(p => p.Ref).ToArray(), dim), y, $"Concat axis {axis} {dtype} {layout}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StackMatchesTheReferenceOnEveryAxis(DType dtype, Layout layout)
    {
        int seed = 3100;
        for (int axis = -1; axis <= 2; axis++)
        {
            using var scope = TensorScope.Begin();
            int dim = (axis + 3) % 3;
            var inputs = Enumerable.Range(0, 3).Select(_ => Sample.Make(seed++, [2, 4], dtype, layout, -9, 9)).ToArray();
            var expanded = inputs.Select(p =>
            {
                var shape = p.Ref.Shape.ToList();
                shape.Insert(dim, 1);
                return new Ref([.. shape], p.Ref.Data);
            }).ToArray();
            Check.Exact(ConcatReference(expanded, dim), Tensor.Stack(inputs.Select(p => p.Tensor).ToArray(), axis), $"Stack axis {axis} {dtype} {layout}");
        }
    }

    private static Ref ConcatReference(Ref[] pieces, int dim)
    {
        var shape = (int[])pieces[0].Shape.Clone();
        shape[dim] = pieces.Sum(p => p.Shape[dim]);
        var result = new Ref(shape, new double[Ref.Count(shape)]);
        for (int i = 0; i < result.Data.Length; i++)
        {
            var index = result.Unravel(i);
            int piece = 0;
            while (index[dim] >= pieces[piece].Shape[dim]) index[dim] -= pieces[piece++].Shape[dim];
            result.Data[i] = pieces[piece][index];
        }
        return result;
    }
}
