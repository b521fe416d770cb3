namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements on <paramref name="device"/> (a new handle on the same elements when already there); gradients
    /// flow back to this tensor's device. Copies to and from a CUDA device go through the host and wait for it.
    /// </summary>
    public Tensor To(Device device)
    {
        ThrowIfDisposed();
        if (device == Device) return IdentityView("To");
        var y = Empty(shape, DType, device);
        using (var source = IsContiguous ? Alias(registerInScope: false) : ContiguousAs(DType))
        {
            switch (DType)
            {
                case DType.F32: Transfer<float>(source, y); break;
                case DType.F64: Transfer<double>(source, y); break;
                case DType.I32: Transfer<int>(source, y); break;
                default: Transfer<long>(source, y); break;
            }
        }
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this))
        {
            var from = Device;
            Autodiff.Tape.Record("To", y, [this], [], (g, _) => [g.To(from)]);
        }
        return y;
    }

    /// <summary>Copies the contiguous <paramref name="source"/> into the fresh <paramref name="target"/> on another device.</summary>
    private static unsafe void Transfer<T>(Tensor source, Tensor target) where T : unmanaged
    {
        int count = checked((int)source.NumElements);
        if (source.Device == Device.Cpu)
        {
            var host = new ReadOnlySpan<T>((T*)source.Storage.Pointer + source.offset, count);
            target.Backend.Upload(host, target.Storage);
        }
        else if (target.Device == Device.Cpu)
        {
            source.Backend.Download(source.Buffer, new Span<T>((T*)target.Storage.Pointer, count));
        }
        else
        {
            var staged = new T[count];
            source.Backend.Download<T>(source.Buffer, staged);
            target.Backend.Upload<T>(staged, target.Storage);
        }
    }
}
