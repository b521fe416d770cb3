using System.Runtime.InteropServices;

namespace Engine.Memory;

/// <summary>
/// Pooled, 64-byte aligned host allocator. Freed blocks are cached by rounded size and reused, so a
/// training loop that allocates the same shapes each step stops calling the system after the first step.
/// </summary>
internal sealed unsafe class CpuAllocator : IMemoryStats
{
    private const int Alignment = 64;
    private const long SmallLimit = 1 << 20;
    private const long PageSize = 4096;

    private readonly Dictionary<long, Stack<IntPtr>> freeBlocks = [];
    private readonly Lock gate = new();
    private long bytesInUse, peakBytesInUse, bytesReserved, allocationCount, nativeAllocationCount;

    public static CpuAllocator Shared { get; } = new();

    public long BytesInUse => Interlocked.Read(ref bytesInUse);
    public long PeakBytesInUse => Interlocked.Read(ref peakBytesInUse);
    public long BytesReserved => Interlocked.Read(ref bytesReserved);
    public long AllocationCount => Interlocked.Read(ref allocationCount);
    public long NativeAllocationCount => Interlocked.Read(ref nativeAllocationCount);

    /// <summary>Block size actually reserved for a request of <paramref name="bytes"/>.</summary>
    public static long BlockSize(long bytes)
    {
        long unit = bytes <= SmallLimit ? Alignment : PageSize;
        return Math.Max(unit, (bytes + unit - 1) / unit * unit);
    }

    public IntPtr Allocate(long bytes)
    {
        long size = BlockSize(bytes);
        lock (gate)
        {
            allocationCount++;
            bytesInUse += size;
            peakBytesInUse = Math.Max(peakBytesInUse, bytesInUse);
            if (freeBlocks.TryGetValue(size, out var stack) && stack.Count > 0)
                return stack.Pop();
            nativeAllocationCount++;
            bytesReserved += size;
        }
        var pointer = (IntPtr)NativeMemory.AlignedAlloc((nuint)size, Alignment);
        if (pointer == IntPtr.Zero)
            throw new OutOfMemoryException($"CpuAllocator: could not allocate {size} bytes of host memory");
        return pointer;
    }

    public void Free(IntPtr pointer, long bytes)
    {
        long size = BlockSize(bytes);
        lock (gate)
        {
            bytesInUse -= size;
            if (!freeBlocks.TryGetValue(size, out var stack))
                freeBlocks[size] = stack = new Stack<IntPtr>();
            stack.Push(pointer);
        }
    }

    public void ResetPeak()
    {
        lock (gate) peakBytesInUse = bytesInUse;
    }

    public void EmptyCache()
    {
        lock (gate)
        {
            foreach (var (size, stack) in freeBlocks)
            {
                while (stack.Count > 0)
                {
                    NativeMemory.AlignedFree((void*)stack.Pop());
                    bytesReserved -= size;
                }
            }
        }
    }
}
