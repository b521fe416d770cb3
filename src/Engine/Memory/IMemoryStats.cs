namespace Engine.Memory;

/// <summary>
/// Counters kept by a device allocator, and its cache settings. Memory claims (for example ANODE's O(L) + O(Nt))
/// are checked against <see cref="PeakBytesInUse"/>, not asserted in prose. Reading a counter first returns
/// the memory of tensors whose finalizers ran (see <see cref="BytesFreedByFinalizer"/>).
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

    /// <summary>
    /// Number of storages freed by the finalizer safety net: tensors that became unreachable without being
    /// disposed. Non-zero means a leak in the program (dispose tensors, or create them in a <see cref="TensorScope"/>).
    /// </summary>
    long FinalizedCount { get; }

    /// <summary>Bytes returned by the finalizer safety net (see <see cref="FinalizedCount"/>).</summary>
    long BytesFreedByFinalizer { get; }

    /// <summary>Most bytes of free blocks the allocator keeps cached for reuse; beyond it, least recently used blocks go back to the system.</summary>
    long CacheLimit { get; set; }

    /// <summary>Sets <see cref="PeakBytesInUse"/> to the current <see cref="BytesInUse"/>.</summary>
    void ResetPeak();

    /// <summary>Returns cached free blocks to the system.</summary>
    void EmptyCache();
}
