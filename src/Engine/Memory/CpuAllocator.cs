using System.Runtime.InteropServices;

namespace Engine.Memory;

/// <summary>
/// Pooled, 64-byte aligned host allocator. Freed blocks are cached by size class and reused, so a training loop
/// that allocates the same shapes each step stops calling the system after the first step. Sizes up to 1 MiB
/// round up to 64 bytes; larger ones to one eighth of their power of two (at least a 4 KiB page), so varied
/// shapes share blocks and the untouched tail of a rounded block costs no physical memory. The cache holds at
/// most <see cref="AllocatorCounters.CacheLimit"/> bytes of free blocks: beyond it, the blocks of the size class least recently
/// used go back to the system first.
/// </summary>
internal sealed unsafe class CpuAllocator() : AllocatorCounters(DefaultCacheLimit)
{
    private const int Alignment = 64;
    private const long SmallLimit = 1 << 20;
    private const long PageSize = 4096;

    /// <summary>Default cap on cached free bytes.</summary>
    public const long DefaultCacheLimit = 512L << 20;

    private readonly Dictionary<long, SizeClass> classes = [];
    private long cachedBytes, clock;

    public static CpuAllocator Shared { get; } = new();

    /// <summary>Block size actually reserved for a request of <paramref name="bytes"/>.</summary>
    public static long BlockSize(long bytes)
    {
        if (bytes <= SmallLimit) return Math.Max(Alignment, (bytes + Alignment - 1) / Alignment * Alignment);
        long power = 1L << (int)(63 - long.LeadingZeroCount(bytes - 1));
        long step = Math.Max(PageSize, power / 8);
        return (bytes + step - 1) / step * step;
    }

    public IntPtr Allocate(long bytes)
    {
        long size = BlockSize(bytes);
        lock (Gate)
        {
            CountAllocation(size);
            if (classes.TryGetValue(size, out var sizeClass) && sizeClass.Count > 0)
            {
                cachedBytes -= size;
                sizeClass.LastUse = ++clock;
                return sizeClass.PopNewest();
            }
            CountReserved(size);
        }
        bool huge = size >= HugePages.Threshold;
        var pointer = (IntPtr)NativeMemory.AlignedAlloc((nuint)size, huge ? HugePages.Alignment : Alignment);
        if (huge && pointer != IntPtr.Zero) HugePages.Advise(pointer, size);
        if (pointer == IntPtr.Zero)
        {
            lock (Gate)
            {
                CountRelease(size);
                CountReturned(size);
            }
            throw new OutOfMemoryException($"CpuAllocator: could not allocate {size} bytes of host memory ({BytesInUse} in use, {BytesReserved} reserved)");
        }
        return pointer;
    }

    public void Free(IntPtr pointer, long bytes)
    {
        long size = BlockSize(bytes);
        lock (Gate)
        {
            CountRelease(size);
            if (!classes.TryGetValue(size, out var sizeClass)) classes[size] = sizeClass = new SizeClass();
            sizeClass.Push(pointer);
            sizeClass.LastUse = ++clock;
            cachedBytes += size;
            TrimToLimit();
        }
    }

    /// <summary>Frees a block whose storage was finalized without being released, and counts it.</summary>
    public void FreeAbandoned(IntPtr pointer, long bytes)
    {
        Free(pointer, bytes);
        lock (Gate) CountFinalized(BlockSize(bytes));
    }

    public override void EmptyCache()
    {
        ReclaimAbandoned();
        lock (Gate)
        {
            foreach (var (size, sizeClass) in classes)
                while (sizeClass.Count > 0) Release(size, sizeClass.PopOldest());
        }
    }

    /// <summary>Evicts the oldest blocks of the least recently used size classes until the cache fits its limit.</summary>
    protected override void TrimToLimit()
    {
        while (cachedBytes > Limit)
        {
            long victimSize = 0;
            SizeClass? victim = null;
            foreach (var (size, sizeClass) in classes)
                if (sizeClass.Count > 0 && (victim is null || sizeClass.LastUse < victim.LastUse))
                    (victimSize, victim) = (size, sizeClass);
            if (victim is null) return;
            Release(victimSize, victim.PopOldest());
        }
    }

    private void Release(long size, IntPtr pointer)
    {
        NativeMemory.AlignedFree((void*)pointer);
        CountReturned(size);
        cachedBytes -= size;
    }

    /// <summary>Free blocks of one size: reused newest first (warm in cache), evicted oldest first.</summary>
    private sealed class SizeClass
    {
        private IntPtr[] blocks = new IntPtr[4];
        private int start;

        public int Count { get; private set; }
        public long LastUse { get; set; }

        public void Push(IntPtr block)
        {
            if (Count == blocks.Length)
            {
                var grown = new IntPtr[blocks.Length * 2];
                for (int i = 0; i < Count; i++) grown[i] = blocks[(start + i) % blocks.Length];
                blocks = grown;
                start = 0;
            }
            blocks[(start + Count) % blocks.Length] = block;
            Count++;
        }

        public IntPtr PopNewest() => blocks[(start + --Count) % blocks.Length];

        public IntPtr PopOldest()
        {
            var block = blocks[start];
            start = (start + 1) % blocks.Length;
            Count--;
            return block;
        }
    }
}
