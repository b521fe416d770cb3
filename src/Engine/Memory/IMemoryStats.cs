namespace Engine.Memory;

/// <summary>
/// Counters kept by a device allocator. Memory claims (for example ANODE's O(L) + O(Nt)) are checked
/// against <see cref="PeakBytesInUse"/>, not asserted in prose.
/// </summary>
public interface IMemoryStats
{
    /// <summary>Bytes held by live storages (block sizes as allocated).</summary>
    long BytesInUse { get; }

    /// <summary>Highest <see cref="BytesInUse"/> since the last <see cref="ResetPeak"/>.</summary>
    long PeakBytesInUse { get; }

    /// <summary>Bytes obtained from the system: in use plus cached free blocks.</summary>
    long BytesReserved { get; }

    /// <summary>Number of allocation requests served (from the cache or the system).</summary>
    long AllocationCount { get; }

    /// <summary>Number of allocations that went to the system (cache misses).</summary>
    long NativeAllocationCount { get; }

    /// <summary>Sets <see cref="PeakBytesInUse"/> to the current <see cref="BytesInUse"/>.</summary>
    void ResetPeak();

    /// <summary>Returns cached free blocks to the system.</summary>
    void EmptyCache();
}
