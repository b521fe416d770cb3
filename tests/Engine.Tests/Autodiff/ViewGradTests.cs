using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class ViewGradTests
{
    private static Gen<(InputSpec x, T arg)> With<T>(Gen<int[]> shapes, Func<int[], Gen<T>> arg) =>
        from shape in shapes
        from a in arg(shape)
        from x in GradGen.Input(Domain.Normal, shape)
        select (x, a);

    private static string Format(int[] values) => InputSpec.Format(values);

    /// <summary>
    /// The dimensions shuffled, then maybe an adjacent pair merged, maybe a unit dimension inserted, and maybe
    /// the first size replaced by -1.
    /// </summary>
    private static Gen<int[]> SameCount(int[] shape) =>
        from shuffled in Gen.Shuffle(shape)
        from merge in Gen.Choose(-1, shuffled.Length - 2)
        from unit in Gen.Choose(-1, shuffled.Length - 1)
        from infer in GradGen.Bool
        select Target(shuffled, merge, unit, infer);

    private static int[] Target(int[] dims, int merge, int unit, bool infer)
    {
        var list = dims.ToList();
        if (merge >= 0)
        {
            list[merge] *= list[merge + 1];
            list.RemoveAt(merge + 1);
        }
        if (unit >= 0) list.Insert(Math.Min(unit, list.Count), 1);
        if (infer && list.Count > 0) list[0] = -1;
        return [.. list];
    }

    [Fact]
    public void Reshape() =>
        GradProperty.ForAll(With(GradGen.Shape(), SameCount), c => GradCheck.Check($"Reshape({Format(c.arg)})", a => a[0].Reshape(c.arg), c.x.Create()));

    [Fact]
    public void View_of_a_contiguous_tensor() =>
        GradProperty.ForAll(With(GradGen.Shape(), SameCount), c =>
            GradCheck.Check($"View({Format(c.arg)})", a => a[0].View(c.arg), (c.x with { Layout = Layout.Contiguous }).Create()));

    [Fact]
    public void View_adding_a_unit_dimension_to_any_layout() =>
        GradProperty.ForAll(With(GradGen.Shape(), shape => Gen.Choose(0, shape.Length).Select(i => (int[])[.. shape[..i], 1, .. shape[i..]])), c =>
            GradCheck.Check($"View({Format(c.arg)})", a => a[0].View(c.arg), c.x.Create()));

    [Fact]
    public void Flatten() =>
        GradProperty.ForAll(
            With(GradGen.Shape(1, 4), shape =>
                from start in GradGen.Axis(shape.Length)
                from end in GradGen.Axis(shape.Length)
                where (start + shape.Length) % shape.Length <= (end + shape.Length) % shape.Length
                select (start, end)),
            c => GradCheck.Check($"Flatten({c.arg.start}, {c.arg.end})", a => a[0].Flatten(c.arg.start, c.arg.end), c.x.Create()));

    [Fact]
    public void Flatten_of_a_scalar() =>
        GradProperty.ForAll(GradGen.Input(Domain.Normal, GradGen.Shape(0, 0)), x => GradCheck.Check("Flatten", a => a[0].Flatten(), x.Create()));

    [Fact]
    public void Squeeze_all_or_one_unit_dimension() =>
        GradProperty.ForAll(
            With(
                from shape in GradGen.Shape(0, 3)
                from position in Gen.Choose(0, shape.Length)
                select (int[])[.. shape[..position], 1, .. shape[position..]],
                shape => Gen.Elements<int?>([null, .. Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).Select(i => (int?)i)])),
            c => GradCheck.Check($"Squeeze({c.arg})", a => a[0].Squeeze(c.arg), c.x.Create()));

    [Fact]
    public void Unsqueeze() =>
        GradProperty.ForAll(With(GradGen.Shape(0, 3), shape => GradGen.Axis(shape.Length + 1)), c =>
            GradCheck.Check($"Unsqueeze({c.arg})", a => a[0].Unsqueeze(c.arg), c.x.Create()));

    [Fact]
    public void Permute() =>
        GradProperty.ForAll(With(GradGen.Shape(), shape => Gen.Shuffle(Enumerable.Range(0, shape.Length))), c =>
            GradCheck.Check($"Permute({Format(c.arg)})", a => a[0].Permute(c.arg), c.x.Create()));

    [Fact]
    public void Transpose_of_two_dimensions() =>
        GradProperty.ForAll(With(GradGen.Shape(1, 4), shape => from dim0 in GradGen.Axis(shape.Length) from dim1 in GradGen.Axis(shape.Length) select (dim0, dim1)), c =>
            GradCheck.Check($"Transpose{c.arg}", a => a[0].Transpose(c.arg.dim0, c.arg.dim1), c.x.Create()));

    [Fact]
    public void Transpose_of_the_last_two_dimensions() =>
        GradProperty.ForAll(GradGen.Input(Domain.Normal, GradGen.Shape(2, 4)), x => GradCheck.Check("Transpose()", a => a[0].Transpose(), x.Create()));

    [Fact]
    public void Slice_with_step() =>
        GradProperty.ForAll(
            With(GradGen.Shape(1, 4), shape =>
                from axis in GradGen.Axis(shape.Length)
                let size = shape[(axis + shape.Length) % shape.Length]
                from start in Gen.Choose(-size - 1, size)
                from end in Gen.Choose(-size - 1, size + 1)
                from step in Gen.Choose(1, 3)
                select (axis, start, end, step)),
            c => GradCheck.Check($"Slice{c.arg}", a => a[0].Slice(c.arg.axis, c.arg.start, c.arg.end, c.arg.step), c.x.Create()));

    [Fact]
    public void Narrow() =>
        GradProperty.ForAll(
            With(GradGen.Shape(1, 4), shape =>
                from axis in GradGen.Axis(shape.Length)
                let size = shape[(axis + shape.Length) % shape.Length]
                from start in Gen.Choose(0, size)
                from length in Gen.Choose(0, size - start)
                select (axis, start, length)),
            c => GradCheck.Check($"Narrow{c.arg}", a => a[0].Narrow(c.arg.axis, c.arg.start, c.arg.length), c.x.Create()));

    [Fact]
    public void Expand_unit_and_new_leading_dimensions() =>
        GradProperty.ForAll(
            With(GradGen.Shape(0, 3), shape =>
                from lead in GradGen.Shape(0, 2, maxDim: 3)
                from grown in Gen.CollectToArray(shape.Select(d => d == 1 ? Gen.Choose(1, 3) : Gen.Elements(d, -1)))
                select (int[])[.. lead, .. grown]),
            c => GradCheck.Check($"Expand({Format(c.arg)})", a => a[0].Expand(c.arg), c.x.Create()));

    [Fact]
    public void BroadcastTo() =>
        GradProperty.ForAll(
            from shapes in GradGen.BroadcastShapes(2)
            from x in GradGen.Input(Domain.Normal, shapes[0])
            select (x, target: Broadcast(shapes[0], shapes[1])),
            c => GradCheck.Check($"BroadcastTo({Format(c.target)})", a => a[0].BroadcastTo(c.target), c.x.Create()));

    private static int[] Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        return [.. Enumerable.Range(0, rank).Select(i => Math.Max(i - rank + a.Length >= 0 ? a[i - rank + a.Length] : 1, i - rank + b.Length >= 0 ? b[i - rank + b.Length] : 1))];
    }

    // To(F32) is not checked: a round trip through F32 rounds to 24-bit mantissas, far coarser than the F64
    // finite-difference step, so its numeric derivative is noise.
    public static TheoryData<string> CopyOps => ["Contiguous", "Clone", "To(F64)"];

    [Theory]
    [MemberData(nameof(CopyOps))]
    public void Copies_and_identities_of_any_layout(string op)
    {
        Func<Tensor, Tensor> f = op switch
        {
            "Contiguous" => x => x.Contiguous(),
            "Clone" => x => x.Clone(),
            _ => x => x.To(DType.F64),
        };
        GradProperty.ForAll(GradGen.Input(Domain.Normal), x => GradCheck.Check(op, a => f(a[0]), x.Create()));
    }
}
