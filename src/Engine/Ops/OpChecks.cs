namespace Engine.Ops;

/// <summary>Argument checks shared by the ops; every message names the op and what it got.</summary>
internal static class OpChecks
{
    public static void Floating(string op, Tensor x)
    {
        x.ThrowIfDisposed();
        if (!x.DType.IsFloating())
            throw new ArgumentException($"{op}: expected an F32 or F64 tensor, got {Describe(x)}");
    }

    public static void Integer(string op, Tensor x)
    {
        x.ThrowIfDisposed();
        if (x.DType.IsFloating())
            throw new ArgumentException($"{op}: expected an I32 or I64 index tensor, got {Describe(x)}");
    }

    /// <summary>An I32 or I64 index tensor on the device of the tensor it indexes.</summary>
    public static void Index(string op, Tensor index, Tensor indexed)
    {
        Integer(op, index);
        if (index.Device != indexed.Device)
            throw new ArgumentException($"{op}: devices differ: index {Describe(index)} and tensor {Describe(indexed)}; move one with To(device)");
    }

    public static void Compatible(string op, Tensor a, Tensor b)
    {
        a.ThrowIfDisposed();
        b.ThrowIfDisposed();
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: dtypes differ: {Describe(a)} and {Describe(b)}; convert one with To(dtype)");
        if (a.Device != b.Device)
            throw new ArgumentException($"{op}: devices differ: {Describe(a)} and {Describe(b)}");
    }

    public static string Describe(Tensor x) => $"{Shapes.Format(x.Dims)} {x.DType} on {x.Device}";
}
