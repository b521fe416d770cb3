using Engine.Backends;

namespace Engine.Memory;

/// <summary>
/// The counters and cache setting every allocator reports (<see cref="IMemoryStats"/>), kept in one place. Allocators
/// derive from it, update the counters under <see cref="Gate"/> through the Count methods, and say how to trim their
/// cache. Reading a counter first reclaims storages whose finalizers ran, so the figures are current.
/// </summary>
internal abstract class AllocatorCounters : IMemoryStats
{
    private long bytesInUse, peakBytesInUse, bytesReserved, allocationCount, nativeAllocationCount;
    private long finalizedCount, bytesFreedByFinalizer, cacheLimit;

    protected AllocatorCounters(long cacheLimit) => this.cacheLimit = cacheLimit;

    /// <summary>Guards the counters and the derived allocator's own structures.</summary>
    protected Lock Gate { get; } = new();

    public long BytesInUse => Read(ref bytesInUse);
    public long PeakBytesInUse => Read(ref peakBytesInUse);
    public long BytesReserved => Read(ref bytesReserved);
    public long AllocationCount => Read(ref allocationCount);
    public long NativeAllocationCount => Read(ref nativeAllocationCount);
    public long FinalizedCount => Read(ref finalizedCount);
    public long BytesFreedByFinalizer => Read(ref bytesFreedByFinalizer);

    public long CacheLimit
    {
        get => Read(ref cacheLimit);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (Gate)
            {
                cacheLimit = value;
                TrimToLimit();
            }
        }
    }

    public void ResetPeak()
    {
        ReclaimAbandoned();
        lock (Gate) peakBytesInUse = bytesInUse;
    }

    public abstract void EmptyCache();

    /// <summary>Returns cached memory beyond <see cref="Limit"/>; called under <see cref="Gate"/>.</summary>
    protected abstract void TrimToLimit();

    /// <summary>The cache limit as the allocator sees it under <see cref="Gate"/> (no reclaiming).</summary>
    protected long Limit => cacheLimit;

    /// <summary>Bytes in use and reserved, for messages written under <see cref="Gate"/>.</summary>
    protected (long InUse, long Reserved) Current => (bytesInUse, bytesReserved);

    /// <summary>A request served with a block of <paramref name="size"/> bytes (under <see cref="Gate"/>).</summary>
    protected void CountAllocation(long size)
    {
        allocationCount++;
        bytesInUse += size;
        peakBytesInUse = Math.Max(peakBytesInUse, bytesInUse);
    }

    /// <summary>A block of <paramref name="size"/> bytes given back by its storage, or a request that failed (under <see cref="Gate"/>).</summary>
    protected void CountRelease(long size) => bytesInUse -= size;

    /// <summary>Memory obtained from the system or the device (under <see cref="Gate"/>).</summary>
    protected void CountReserved(long size)
    {
        nativeAllocationCount++;
        bytesReserved += size;
    }

    /// <summary>Memory returned to the system or the device (under <see cref="Gate"/>).</summary>
    protected void CountReturned(long size) => bytesReserved -= size;

    /// <summary>A block reclaimed from a finalized storage (under <see cref="Gate"/>).</summary>
    protected void CountFinalized(long size)
    {
        finalizedCount++;
        bytesFreedByFinalizer += size;
    }

    protected static void ReclaimAbandoned()
    {
        if (Storage.HasAbandoned) Storage.ReclaimAbandoned();
    }

    private static long Read(ref long counter)
    {
        ReclaimAbandoned();
        return Interlocked.Read(ref counter);
    }
}
