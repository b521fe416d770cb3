using System.Collections.Concurrent;

namespace Engine.Backends;

/// <summary>
/// A reference-counted buffer of <see cref="Length"/> elements on one device. Tensors and views share a
/// storage; the last <see cref="Release"/> hands the memory back to the backend's allocator. A storage that
/// becomes unreachable without being released (a tensor nobody disposed) is queued by its finalizer and its
/// memory returned at the next safe point (an allocation, or a read of the memory counters) on a user thread:
/// the finalizer thread itself never calls an allocator.
/// </summary>
internal sealed class Storage
{
    private static readonly ConcurrentQueue<Storage> Abandoned = new();

    private int references = 1;
    private int version;

    public Storage(IBackend backend, DType dtype, long length, IntPtr pointer)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
        Pointer = pointer;
    }

    ~Storage()
    {
        if (Volatile.Read(ref references) > 0) Abandoned.Enqueue(this);
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
        {
            GC.SuppressFinalize(this);
            Backend.Free(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("storage released more times than it was retained");
        }
    }

    /// <summary>Frees the memory of storages whose finalizers ran; called at safe points on user threads.</summary>
    public static void ReclaimAbandoned()
    {
        while (Abandoned.TryDequeue(out var storage))
            if (Interlocked.Exchange(ref storage.references, 0) > 0) storage.Backend.FreeAbandoned(storage);
    }

    /// <summary>True when some finalized storage waits for <see cref="ReclaimAbandoned"/>.</summary>
    public static bool HasAbandoned => !Abandoned.IsEmpty;
}
