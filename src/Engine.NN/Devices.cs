namespace Engine.NN;

/// <summary>Copies between devices through host memory, with the public tensor API only.</summary>
internal static class Devices
{
    /// <summary>A copy of <paramref name="t"/> on <paramref name="device"/>, owned by the caller's scope.</summary>
    public static Tensor Copy(Tensor t, Device device) => t.DType switch
    {
        DType.F32 => Tensor.From(t.ToArray<float>(), t.Shape, device),
        DType.F64 => Tensor.From(t.ToArray<double>(), t.Shape, device),
        DType.I32 => Tensor.From(t.ToArray<int>(), t.Shape, device),
        _ => Tensor.From(t.ToArray<long>(), t.Shape, device),
    };

    /// <summary>Writes the elements of <paramref name="source"/> into <paramref name="target"/> (same shape and dtype), across devices if need be.</summary>
    public static void CopyInto(Tensor source, Tensor target)
    {
        if (source.Device == target.Device)
        {
            target.CopyFrom(source);
            return;
        }
        using var moved = Copy(source, target.Device);
        target.CopyFrom(moved);
    }
}
