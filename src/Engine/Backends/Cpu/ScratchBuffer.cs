using System.Runtime.InteropServices;

namespace Engine.Backends.Cpu;

/// <summary>64-byte aligned native memory for one kernel call's temporaries, freed on dispose.</summary>
internal unsafe struct ScratchBuffer<T> : IDisposable where T : unmanaged
{
    public ScratchBuffer(long count, bool zeroed = false)
    {
        Pointer = (T*)NativeMemory.AlignedAlloc((nuint)(Math.Max(1, count) * sizeof(T)), 64);
        if (Pointer == null) throw new OutOfMemoryException($"ScratchBuffer: could not allocate {count} elements of {typeof(T).Name}");
        if (zeroed) NativeMemory.Clear(Pointer, (nuint)(count * sizeof(T)));
    }

    public T* Pointer { get; private set; }

    public void Dispose()
    {
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}

/// <summary>
/// A contiguous copy of a view for kernels that read row-major data, or the view itself when it already is
/// contiguous. Dispose releases the copy.
/// </summary>
internal readonly unsafe struct ContiguousInput<T> : IDisposable where T : unmanaged
{
    private readonly Storage? copy;

    public ContiguousInput(CpuBackend backend, BufferView view)
    {
        if (view.IsContiguous)
        {
            Pointer = CpuBackend.Address<T>(view, view.Offset);
            return;
        }
        copy = backend.Allocate(view.DType, view.Count);
        backend.Copy(view, new BufferView(copy, view.Shape, Shapes.ContiguousStrides(view.Shape), 0));
        Pointer = (T*)copy.Pointer;
    }

    public T* Pointer { get; }

    public void Dispose() => copy?.Release();
}
