using Engine.Autodiff;

namespace Engine.NN;

/// <summary>Copies between devices, unrecorded.</summary>
internal static class Devices
{
    /// <summary>A copy of <paramref name="t"/> on another device, owned by the caller's scope.</summary>
    public static Tensor Copy(Tensor t, Device device)
    {
        using var noGrad = Tape.NoGrad();
        return t.To(device);
    }

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
