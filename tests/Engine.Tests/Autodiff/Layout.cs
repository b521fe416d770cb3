namespace Engine.Tests.Autodiff;

/// <summary>How an input tensor's elements sit in memory.</summary>
public enum Layout
{
    /// <summary>Row-major, no gaps.</summary>
    Contiguous,

    /// <summary>The transpose of a contiguous tensor with the last two dimensions swapped.</summary>
    Transposed,

    /// <summary>Every other element of a larger tensor along one axis, starting at offset 1.</summary>
    Strided,
}

/// <summary>Builds tensors with a requested <see cref="Layout"/>.</summary>
public static class Layouts
{
    /// <summary>
    /// A tensor equal to <paramref name="source"/> laid out as <paramref name="layout"/> asks: a view into a
    /// larger NaN-filled tensor (so a kernel that reads outside the view poisons its result). Ranks too small
    /// for the layout fall back to <see cref="Layout.Strided"/>; a rank-0 tensor stays as it is.
    /// </summary>
    public static Tensor WithLayout(Tensor source, Layout layout)
    {
        var shape = source.Shape;
        if (layout == Layout.Contiguous || shape.Length == 0) return source;
        Tensor view;
        if (layout == Layout.Transposed && shape.Length >= 2)
        {
            var swapped = (int[])shape.Clone();
            (swapped[^1], swapped[^2]) = (swapped[^2], swapped[^1]);
            view = Tensor.Full(swapped, double.NaN, source.DType).Transpose(-2, -1);
        }
        else
        {
            int axis = Array.FindLastIndex(shape, d => d > 1);
            if (axis < 0) axis = shape.Length - 1;
            var larger = (int[])shape.Clone();
            larger[axis] = 2 * shape[axis] + 1;
            view = Tensor.Full(larger, double.NaN, source.DType).Slice(axis, 1, larger[axis], 2);
        }
        return view.CopyFrom(source);
    }
}
