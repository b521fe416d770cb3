using Engine.Backends.Cuda.Driver;
using Engine.Memory;

namespace Engine.Backends.Cuda;

/// <summary>
/// Device memory for one CUDA device, cached like PyTorch's allocator. Requests are rounded to 512 bytes and
/// served from two pools by size class: small ones (up to 1 MiB) are carved from 2 MiB segments, large ones from
/// segments of their own rounded to 2 MiB. Each pool keeps its free blocks ordered by size, a request takes the
/// smallest that fits and splits off the rest, and a freed block merges with free neighbours of its segment.
/// All work on the device is queued on its one stream, so a block freed while kernels that use it are still
/// queued can be handed out at once: whatever its next owner queues runs after them. Freeing calls no driver
/// function unless a <see cref="AllocatorCounters.CacheLimit"/> is set; native memory goes back in <see cref="EmptyCache"/>, when
/// the device is full (after which the allocation is retried once), and beyond the cache limit. Storages whose
/// finalizers ran are reclaimed at the next allocation or counter read, on a user thread, and counted.
/// </summary>
internal sealed class CachingAllocator : AllocatorCounters
{
    public const long Granule = 512;
    public const long SmallLimit = 1 << 20;
    public const long SegmentGranule = 2 << 20;

    private readonly ICudaDriver driver;
    private readonly Device device;
    private readonly bool poison;
    private readonly SortedSet<Block> smallFree = new(BySize.Instance), largeFree = new(BySize.Instance);
    private readonly Dictionary<ulong, Block> allocated = [];

    /// <param name="driver">The device's memory.</param>
    /// <param name="device">The device, for messages.</param>
    /// <param name="poison">Fill every block handed out with 0xFF bytes (NaN, -1), so reads of unwritten memory show.</param>
    public CachingAllocator(ICudaDriver driver, Device device, bool poison) : base(cacheLimit: long.MaxValue)
    {
        this.driver = driver;
        this.device = device;
        this.poison = poison;
    }

    /// <summary>
    /// True once a <see cref="AllocatorCounters.CacheLimit"/> is set: then wholly free segments beyond it go back to the
    /// device, which waits for its queued work. Unlimited by default, as device memory serves nothing else (PyTorch's choice).
    /// </summary>
    private bool Limited => Limit != long.MaxValue;

    /// <summary>Size of the block that serves a request of <paramref name="bytes"/>.</summary>
    public static long BlockSize(long bytes) => Math.Max(Granule, (bytes + Granule - 1) / Granule * Granule);

    public ulong Allocate(long bytes)
    {
        ReclaimAbandoned();
        long size = BlockSize(bytes);
        bool small = size <= SmallLimit;
        Block block;
        lock (Gate)
        {
            var pool = small ? smallFree : largeFree;
            block = BestFit(pool, size) ?? NewSegment(bytes, size, small);
            pool.Remove(block);
            if (block.Size - size >= (small ? Granule : SmallLimit + 1)) pool.Add(block.Split(size));
            block.Free = false;
            allocated.Add(block.Address, block);
            CountAllocation(block.Size);
        }
        if (poison) driver.SetBytes(block.Address, 0xFF, block.Size);
        return block.Address;
    }

    public void Free(ulong address)
    {
        lock (Gate)
        {
            if (!allocated.Remove(address, out var block))
                throw new InvalidOperationException($"{device}: freed 0x{address:x}, which the caching allocator did not hand out or was already freed");
            CountRelease(block.Size);
            var pool = block.Small ? smallFree : largeFree;
            block.Free = true;
            if (block.Previous is { Free: true } previous)
            {
                pool.Remove(previous);
                block = previous.Absorb(block);
            }
            if (block.Next is { Free: true } next)
            {
                pool.Remove(next);
                block.Absorb(next);
            }
            pool.Add(block);
            if (block.Previous is null && block.Next is null) TrimToLimit();
        }
    }

    /// <summary>Frees a block whose storage was finalized without being released, and counts it.</summary>
    public void FreeAbandoned(ulong address)
    {
        long size;
        lock (Gate) size = allocated.TryGetValue(address, out var block) ? block.Size : 0;
        Free(address);
        lock (Gate) CountFinalized(size);
    }

    /// <summary>Waits for the device, then returns every wholly free segment to it.</summary>
    public override void EmptyCache()
    {
        ReclaimAbandoned();
        lock (Gate) ReleaseFreeSegments(long.MaxValue);
    }

    private static Block? BestFit(SortedSet<Block> pool, long size)
    {
        foreach (var block in pool.GetViewBetween(Block.Probe(size, 0), Block.Probe(long.MaxValue, ulong.MaxValue)))
            return block;
        return null;
    }

    /// <summary>A new segment holding one free block (already in its pool); on a full device, empties the cache and retries once.</summary>
    private Block NewSegment(long requested, long size, bool small)
    {
        long segment = small ? SegmentGranule : (size + SegmentGranule - 1) / SegmentGranule * SegmentGranule;
        if (!driver.TryAllocate(segment, out ulong address))
        {
            ReleaseFreeSegments(long.MaxValue);
            if (!driver.TryAllocate(segment, out address))
                throw new CudaOutOfMemoryException(
                    $"{device}: out of memory allocating {Format(requested)} ({Format(segment)} as a new segment); {Format(Current.InUse)} in use by tensors, " +
                    $"{Format(Current.Reserved)} reserved by the caching allocator after returning its free segments to the device, " +
                    $"device capacity {Format(driver.Properties.TotalMemory)}");
        }
        CountReserved(segment);
        var block = new Block(address, segment, small) { Free = true };
        (small ? smallFree : largeFree).Add(block);
        return block;
    }

    /// <summary>Bytes in wholly free segments.</summary>
    private long CachedSegmentBytes() =>
        smallFree.Concat(largeFree).Where(b => b.Previous is null && b.Next is null).Sum(b => b.Size);

    protected override void TrimToLimit()
    {
        if (!Limited) return;
        long excess = CachedSegmentBytes() - Limit;
        if (excess > 0) ReleaseFreeSegments(excess);
    }

    /// <summary>Waits for the device, then returns wholly free segments, largest first, until <paramref name="bytes"/> are returned.</summary>
    private void ReleaseFreeSegments(long bytes)
    {
        driver.Synchronize();
        var segments = smallFree.Concat(largeFree).Where(b => b.Previous is null && b.Next is null).OrderByDescending(b => b.Size).ToArray();
        foreach (var block in segments)
        {
            if (bytes <= 0) return;
            (block.Small ? smallFree : largeFree).Remove(block);
            driver.Free(block.Address);
            CountReturned(block.Size);
            bytes -= block.Size;
        }
    }


    private static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>A range of a segment; neighbours link the blocks of one segment in address order.</summary>
    private sealed class Block(ulong address, long size, bool small)
    {
        public ulong Address { get; } = address;
        public long Size { get; private set; } = size;
        public bool Small { get; } = small;
        public bool Free { get; set; }
        public Block? Previous { get; private set; }
        public Block? Next { get; private set; }

        public static Block Probe(long size, ulong address) => new(address, size, false);

        /// <summary>Keeps the first <paramref name="size"/> bytes and returns the free rest as a new block.</summary>
        public Block Split(long size)
        {
            var rest = new Block(Address + (ulong)size, Size - size, Small) { Free = true, Previous = this, Next = Next };
            if (Next is not null) Next.Previous = rest;
            Next = rest;
            Size = size;
            return rest;
        }

        /// <summary>Merges the following block <paramref name="next"/> into this one.</summary>
        public Block Absorb(Block next)
        {
            Size += next.Size;
            Next = next.Next;
            if (Next is not null) Next.Previous = this;
            return this;
        }
    }

    private sealed class BySize : IComparer<Block>
    {
        public static readonly BySize Instance = new();

        public int Compare(Block? x, Block? y)
        {
            int bySize = x!.Size.CompareTo(y!.Size);
            return bySize != 0 ? bySize : x.Address.CompareTo(y.Address);
        }
    }
}
