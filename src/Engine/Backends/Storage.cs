namespace Engine.Backends;

/// <summary>
/// A reference-counted buffer of <see cref="Length"/> elements on one device. Tensors and views share a
/// storage; the last <see cref="Release"/> hands the memory back to the backend's allocator.
/// </summary>
internal sealed class Storage
{
    private int references = 1;
    private int version;

    public Storage(IBackend backend, DType dtype, long length, IntPtr pointer)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
        Pointer = pointer;
    }

    public IBackend Backend { get; }
    public DType DType { get; }
    public long Length { get; }
    public long Bytes => Length * DType.ElementSize();

    /// <summary>Host address (CPU) or device address (CUDA) of element 0.</summary>
    public IntPtr Pointer { get; }

    public bool IsAlive => Volatile.Read(ref references) > 0;

    /// <summary>Incremented by every in-place write, so a tensor saved for backward can tell it was overwritten.</summary>
    public int Version => Volatile.Read(ref version);

    public void BumpVersion() => Interlocked.Increment(ref version);

    public void Retain()
    {
        if (Interlocked.Increment(ref references) <= 1)
            throw new ObjectDisposedException(nameof(Storage), "retained a storage that was already freed");
    }

    public void Release()
    {
        int left = Interlocked.Decrement(ref references);
        if (left == 0)
            Backend.Free(this);
        else if (left < 0)
            throw new InvalidOperationException("storage released more times than it was retained");
    }
}
