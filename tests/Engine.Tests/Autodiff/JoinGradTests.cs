using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class JoinGradTests
{
    private static readonly Gen<int> Dim = Gen.Choose(1, 3);

    private static int[] WithSize(int[] shape, int axis, int size)
    {
        var result = (int[])shape.Clone();
        result[axis < 0 ? axis + shape.Length : axis] = size;
        return result;
    }

    [Fact]
    public void Concat_gradient_reaches_every_input()
    {
        var cases =
            from shape in GradGen.Shape(1, 3, maxDim: 3)
            from axis in GradGen.Axis(shape.Length)
            from count in Gen.Choose(1, 3)
            from sizes in Gen.ArrayOf(Dim, count)
            from inputs in Gen.CollectToArray(sizes.Select(size => GradGen.Input(Domain.Normal, WithSize(shape, axis, size))))
            select (inputs, axis);
        GradProperty.ForAll(cases, c => GradCheck.Check($"Concat(axis {c.axis})", x => Tensor.Concat(x, c.axis), [.. c.inputs.Select(i => i.Create())]));
    }

    [Fact]
    public void Stack_gradient_reaches_every_input()
    {
        var cases =
            from shape in GradGen.Shape(0, 3, maxDim: 3)
            from axis in GradGen.Axis(shape.Length + 1)
            from count in Gen.Choose(1, 3)
            from inputs in Gen.ArrayOf(GradGen.Input(Domain.Normal, shape), count)
            select (inputs, axis);
        GradProperty.ForAll(cases, c => GradCheck.Check($"Stack(axis {c.axis})", x => Tensor.Stack(x, c.axis), [.. c.inputs.Select(i => i.Create())]));
    }

    [Fact]
    public void Split_gradient_collects_every_piece()
    {
        var cases =
            from shape in GradGen.Shape(1, 3, maxDim: 5)
            from axis in GradGen.Axis(shape.Length)
            let length = shape[axis < 0 ? axis + shape.Length : axis]
            from cuts in Gen.SubListOf(Enumerable.Range(1, length - 1))
            from pieceSize in Gen.Choose(1, length)
            from bySize in GradGen.Bool
            from x in GradGen.Input(Domain.Normal, shape)
            select (x, axis, sizes: bySize ? null : Sizes(cuts, length), pieceSize);
        GradProperty.ForAll(cases, c =>
        {
            string name = c.sizes is null ? $"Split(size {c.pieceSize}, axis {c.axis})" : $"Split(sizes [{string.Join(", ", c.sizes)}], axis {c.axis})";
            GradCheck.Check(name, x =>
            {
                var pieces = c.sizes is null ? x[0].Split(c.pieceSize, c.axis) : x[0].Split(c.sizes, c.axis);
                return Tensor.Concat([.. pieces.Select(Distinguish)], c.axis);
            }, c.x.Create());
        });
    }

    /// <summary>A different function of each piece, so a gradient routed to the wrong piece shows.</summary>
    private static Tensor Distinguish(Tensor piece, int i) => (i % 3) switch
    {
        0 => piece * (i + 1.0),
        1 => piece.Square(),
        _ => piece.Sin(),
    };

    private static int[] Sizes(IEnumerable<int> cuts, int length)
    {
        int[] bounds = [0, .. cuts.Order(), length];
        return [.. bounds.Zip(bounds.Skip(1), (start, end) => end - start)];
    }

    [Fact]
    public void LinearCombination_gradient_reaches_x0_and_every_term()
    {
        var cases =
            from shape in GradGen.Shape()
            from count in Gen.Choose(0, 3)
            from coefficients in Gen.ArrayOf(Gen.Choose(-8, 8).Select(k => k / 4.0), count)
            from inputs in Gen.ArrayOf(GradGen.Input(Domain.Normal, shape), count + 1)
            select (inputs, coefficients);
        GradProperty.ForAll(cases, c =>
            GradCheck.Check($"LinearCombination([{string.Join(", ", c.coefficients)}])",
                x => Tensor.LinearCombination(x[0], c.coefficients, x[1..]), [.. c.inputs.Select(i => i.Create())]));
    }
}
