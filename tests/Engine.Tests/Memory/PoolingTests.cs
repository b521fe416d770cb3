using Engine.Memory;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>Freed blocks are reused: repeating the same allocations does not go back to the system.</summary>
[Collection(MemoryCounterCollection.Name)]
public class PoolingTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    private static void AllocateAndFree()
    {
        using var scope = TensorScope.Begin();
        Tensor.Zeros([1000]);
        Tensor.Zeros([333, 3], DType.F64);
        Tensor.Zeros([300, 1000], DType.F64);
    }

    [Fact]
    public void RepeatedSizesComeFromTheCache()
    {
        AllocateAndFree();
        long native = Stats.NativeAllocationCount, requests = Stats.AllocationCount, reserved = Stats.BytesReserved;
        for (int i = 0; i < 5; i++) AllocateAndFree();
        Assert.Equal(native, Stats.NativeAllocationCount);
        Assert.Equal(requests + 15, Stats.AllocationCount);
        Assert.Equal(reserved, Stats.BytesReserved);
    }

    [Fact]
    public void EmptyCacheReturnsFreeBlocksToTheSystem()
    {
        AllocateAndFree();
        Stats.EmptyCache();
        Assert.Equal(Stats.BytesInUse, Stats.BytesReserved);
        long native = Stats.NativeAllocationCount;
        AllocateAndFree();
        Assert.Equal(native + 3, Stats.NativeAllocationCount);
    }
}
