using System.Globalization;
using System.Text;

namespace Engine;

public sealed partial class Tensor
{
    private const int PrintLimit = 100;

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> when the dtype differs.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        ThrowIfDisposed();
        var dtype = DTypeExtensions.Of<T>();
        using var source = DType == dtype && IsContiguous ? Alias(registerInScope: false) : ContiguousAs(dtype);
        var result = new T[checked((int)NumElements)];
        Backend.Download<T>(source.Buffer, result);
        return result;
    }

    /// <summary>The single element of a one-element tensor.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (NumElements != 1)
            throw new InvalidOperationException($"Item: tensor of shape {Shapes.Format(shape)} has {NumElements} elements, expected 1");
        return ToArray<T>()[0];
    }

    /// <summary>A contiguous copy in <paramref name="dtype"/>, not recorded on any tape and not in any scope.</summary>
    private Tensor ContiguousAs(DType dtype)
    {
        var copy = Empty(shape, dtype, Device);
        TensorScope.Detach(copy);
        Backend.Copy(Buffer, copy.Buffer);
        return copy;
    }

    /// <summary>Shape, dtype and device, and the values when there are at most 100.</summary>
    public override string ToString()
    {
        var header = $"Tensor({Shapes.Format(shape)}, {storage.DType}, {storage.Backend.Device}";
        if (IsDisposed) return header + ", disposed)";
        if (NumElements > PrintLimit) return header + ")";
        var values = ToArray<double>();
        var text = new StringBuilder(header).Append(")\n");
        int position = 0;
        AppendNested(text, values, 0, ref position);
        return text.ToString();
    }

    private void AppendNested(StringBuilder text, double[] values, int dim, ref int position)
    {
        if (dim == Rank)
        {
            text.Append(FormatValue(values[position++]));
            return;
        }
        text.Append('[');
        for (int i = 0; i < shape[dim]; i++)
        {
            if (i > 0) text.Append(", ");
            AppendNested(text, values, dim + 1, ref position);
        }
        text.Append(']');
    }

    private string FormatValue(double value) =>
        DType.IsFloating() ? value.ToString("G6", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
