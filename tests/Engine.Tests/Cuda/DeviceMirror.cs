using Engine.Backends;

namespace Engine.Tests.Cuda;

/// <summary>Copies of CPU tensors on a CUDA device with the same layout: the whole storage travels, gaps included.</summary>
internal static class DeviceMirror
{
    /// <summary>A tensor on <paramref name="device"/> with this one's shape, strides, offset and storage contents.</summary>
    public static unsafe Tensor Mirror(this Tensor tensor, Device device)
    {
        var storage = tensor.Storage;
        var target = BackendRegistry.For(device).Allocate(storage.DType, storage.Length);
        int length = checked((int)storage.Length);
        switch (storage.DType)
        {
            case DType.F32: target.Backend.Upload(new ReadOnlySpan<float>((float*)storage.Pointer, length), target); break;
            case DType.F64: target.Backend.Upload(new ReadOnlySpan<double>((double*)storage.Pointer, length), target); break;
            case DType.I32: target.Backend.Upload(new ReadOnlySpan<int>((int*)storage.Pointer, length), target); break;
            default: target.Backend.Upload(new ReadOnlySpan<long>((long*)storage.Pointer, length), target); break;
        }
        return new Tensor(target, tensor.Shape, tensor.Strides, tensor.Offset);
    }
}
