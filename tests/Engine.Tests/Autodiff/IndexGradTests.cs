using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class IndexGradTests
{
    /// <summary>An integer index tensor (I64 or I32) with the given shape and values.</summary>
    private sealed record IndexSpec(int[] Shape, long[] Values, DType DType)
    {
        public Tensor Create()
        {
            using var values = Tensor.From(Values, Shape);
            return values.To(DType);
        }

        public override string ToString() => $"{DType} {InputSpec.Format(Shape)} [{string.Join(", ", Values)}]";
    }

    private static Gen<IndexSpec> Index(int[] shape, int limit) =>
        from values in GradGen.Indices(shape.Aggregate(1, (n, d) => n * d), limit)
        from dtype in Gen.Elements(DType.I64, DType.I32)
        select new IndexSpec(shape, values, dtype);

    private static int Normalize(int axis, int rank) => axis < 0 ? axis + rank : axis;

    /// <summary>A shape of rank 1 to 3 and an axis of it.</summary>
    private static Gen<(int[] shape, int axis)> ShapeAndAxis() =>
        from shape in GradGen.Shape(1, 3)
        from axis in GradGen.Axis(shape.Length)
        select (shape, axis);

    /// <summary>An index shape for Gather and ScatterAdd: at most <paramref name="shape"/> off the axis, 1 to 4 along it.</summary>
    private static Gen<int[]> ScatterShape(int[] shape, int axis) =>
        Gen.CollectToArray(shape.Select((d, i) => i == Normalize(axis, shape.Length) ? Gen.Choose(1, 4) : Gen.Choose(1, d)));

    [Fact]
    public void IndexSelect_gradient_matches_finite_differences()
    {
        var cases =
            from s in ShapeAndAxis()
            from count in Gen.Choose(1, 5)
            from index in Index([count], s.shape[Normalize(s.axis, s.shape.Length)])
            from x in GradGen.Input(Domain.Normal, s.shape)
            select (x, s.axis, index);
        GradProperty.ForAll(cases, c =>
        {
            var index = c.index.Create();
            GradCheck.Check($"IndexSelect(axis {c.axis}, {c.index})", a => a[0].IndexSelect(c.axis, index), c.x.Create());
        });
    }

    [Fact]
    public void IndexAdd_gradients_of_self_and_source_match_finite_differences()
    {
        var cases =
            from s in ShapeAndAxis()
            from count in Gen.Choose(1, 4)
            from index in Index([count], s.shape[Normalize(s.axis, s.shape.Length)])
            from self in GradGen.Input(Domain.Normal, s.shape)
            from source in GradGen.Input(Domain.Normal, s.shape.Select((d, i) => i == Normalize(s.axis, s.shape.Length) ? count : d).ToArray())
            select (self, source, s.axis, index);
        GradProperty.ForAll(cases, c =>
        {
            var index = c.index.Create();
            GradCheck.Check($"IndexAdd(axis {c.axis}, {c.index})", a => a[0].IndexAdd(c.axis, index, a[1]), c.self.Create(), c.source.Create());
        });
    }

    [Fact]
    public void Gather_gradient_matches_finite_differences()
    {
        var cases =
            from s in ShapeAndAxis()
            from indexShape in ScatterShape(s.shape, s.axis)
            from index in Index(indexShape, s.shape[Normalize(s.axis, s.shape.Length)])
            from x in GradGen.Input(Domain.Normal, s.shape)
            select (x, s.axis, index);
        GradProperty.ForAll(cases, c =>
        {
            var index = c.index.Create();
            GradCheck.Check($"Gather(axis {c.axis}, {c.index})", a => a[0].Gather(c.axis, index), c.x.Create());
        });
    }

    [Fact]
    public void ScatterAdd_gradients_of_self_and_source_match_finite_differences()
    {
        var cases =
            from s in ShapeAndAxis()
            from indexShape in ScatterShape(s.shape, s.axis)
            from index in Index(indexShape, s.shape[Normalize(s.axis, s.shape.Length)])
            from self in GradGen.Input(Domain.Normal, s.shape)
            from source in GradGen.Input(Domain.Normal, indexShape)
            select (self, source, s.axis, index);
        GradProperty.ForAll(cases, c =>
        {
            var index = c.index.Create();
            GradCheck.Check($"ScatterAdd(axis {c.axis}, {c.index})", a => a[0].ScatterAdd(c.axis, index, a[1]), c.self.Create(), c.source.Create());
        });
    }
}
