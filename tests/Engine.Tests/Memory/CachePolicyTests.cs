using Engine.Memory;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>The allocator's cache stays bounded: size classes share blocks and a cap evicts least recently used ones.</summary>
[Collection(MemoryCounterCollection.Name)]
public class CachePolicyTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    [Fact]
    public void Many_distinct_large_shapes_share_a_few_size_classes()
    {
        Stats.EmptyCache();
        long reservedBefore = Stats.BytesReserved;
        for (int n = 300_000; n < 600_000; n += 997)
            Tensor.Zeros([n]).Dispose();
        // 300 distinct sizes from 1.2 to 2.4 MB fall into 9 classes an eighth of a power of two apart: one cached block
        // each, about 16 MB, where exact sizes would keep 300 blocks (over 500 MB).
        Assert.True(Stats.BytesReserved - reservedBefore <= 20L << 20, $"reserved grew by {Stats.BytesReserved - reservedBefore} bytes");
    }

    [Fact]
    public void The_cache_cap_returns_the_least_recently_used_blocks_to_the_system()
    {
        long limit = Stats.CacheLimit;
        try
        {
            Stats.EmptyCache();
            Stats.CacheLimit = 1 << 20;
            var blocks = Enumerable.Range(1, 40).Select(i => Tensor.Zeros([i * 1000])).ToList();
            long inUse = Stats.BytesInUse;
            foreach (var b in blocks) b.Dispose();
            Assert.True(Stats.BytesReserved - Stats.BytesInUse <= 1 << 20,
                $"{Stats.BytesReserved - Stats.BytesInUse} bytes cached above a 1 MiB cap");
            long native = Stats.NativeAllocationCount;
            Tensor.Zeros([40 * 1000]).Dispose();
            Assert.Equal(native, Stats.NativeAllocationCount);
            Tensor.Zeros([1000]).Dispose();
            Assert.Equal(native + 1, Stats.NativeAllocationCount);
            Assert.True(inUse > Stats.BytesInUse);
        }
        finally
        {
            Stats.CacheLimit = limit;
        }
    }

    [Fact]
    public void A_negative_cap_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Stats.CacheLimit = -1);
    }
}
