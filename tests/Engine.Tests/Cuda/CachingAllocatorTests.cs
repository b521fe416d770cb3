using Engine.Backends.Cuda;
using Engine.Backends.Cuda.Emulator;
using Engine.Memory;
using Engine.Tests.Memory;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The CUDA caching allocator: its statistics, reuse of freed blocks, size classes and block splitting, emptying
/// the cache, and running out of memory. Runs alone, as the counters are per device.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
[Collection(MemoryCounterCollection.Name)]
public class CachingAllocatorTests
{
    private static IMemoryStats Stats => DeviceMemory.Stats(CudaTest.Device);

    /// <summary>A scoped step with forward, backward and temporaries of several sizes.</summary>
    private static void Step(Device device)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Rand([1000], DType.F32, device: device);
        var y = Tensor.Rand([200, 150], DType.F64, device: device);
        using var tape = Engine.Autodiff.Tape.Record();
        tape.Watch(y);
        _ = (x.Exp() + 1).Sum().Item<float>();
        var loss = y.MatMul(y.Transpose()).Softmax().Mean();
        _ = tape.Gradients(loss, y)[0].Sum().Item<double>();
    }

    [Fact]
    public void CountersFollowTensorsAndReturnToTheBaseline()
    {
        var device = CudaTest.Device;
        Step(device);
        long inUse = Stats.BytesInUse, requests = Stats.AllocationCount;
        Stats.ResetPeak();
        using (var scope = TensorScope.Begin())
        {
            var x = Tensor.Zeros([1000], DType.F32, device);
            Assert.Equal(inUse + CachingAllocator.BlockSize(4000), Stats.BytesInUse);
            Assert.Equal(requests + 1, Stats.AllocationCount);
            Tensor.Zeros([3, 1 << 20], DType.F32, device);
            Assert.Equal(inUse + CachingAllocator.BlockSize(4000) + (12 << 20), Stats.PeakBytesInUse);
        }
        Assert.Equal(inUse, Stats.BytesInUse);
        Assert.True(Stats.BytesReserved >= Stats.PeakBytesInUse);
    }

    [Fact]
    public void RepeatedStepsReuseCachedBlocks()
    {
        var device = CudaTest.Device;
        Step(device);
        long native = Stats.NativeAllocationCount, reserved = Stats.BytesReserved, inUse = Stats.BytesInUse;
        for (int i = 0; i < 5; i++) Step(device);
        Assert.Equal(native, Stats.NativeAllocationCount);
        Assert.Equal(reserved, Stats.BytesReserved);
        Assert.Equal(inUse, Stats.BytesInUse);
    }

    /// <summary>Small blocks are carved from shared 2 MiB segments; a freed run of neighbours merges into one block.</summary>
    [Fact]
    public void SmallBlocksShareSegmentsAndMergeWhenFreed()
    {
        using var allocator = new PrivateDevice(64 << 20);
        var blocks = Enumerable.Range(0, 16).Select(_ => allocator.Allocator.Allocate(100_000)).ToArray();
        Assert.Equal(1, allocator.Allocator.NativeAllocationCount);
        Assert.Equal(16 * CachingAllocator.BlockSize(100_000), allocator.Allocator.BytesInUse);
        foreach (var block in blocks[2..6]) allocator.Allocator.Free(block);
        var merged = allocator.Allocator.Allocate(4 * CachingAllocator.BlockSize(100_000));
        Assert.Equal(blocks[2], merged);
        Assert.Equal(1, allocator.Allocator.NativeAllocationCount);
        var large = allocator.Allocator.Allocate(3 << 20);
        Assert.Equal(2, allocator.Allocator.NativeAllocationCount);
        Assert.Equal((2 << 20) + (4 << 20), allocator.Allocator.BytesReserved);
        allocator.Allocator.Free(large);
        allocator.Allocator.EmptyCache();
        Assert.Equal(2 << 20, allocator.Allocator.BytesReserved);
    }

    /// <summary>When the device is full the allocator returns its cached segments and retries before giving up.</summary>
    [Fact]
    public void AFullDeviceEmptiesTheCacheAndRetriesOnce()
    {
        using var device = new PrivateDevice(8 << 20);
        var allocator = device.Allocator;
        var cached = Enumerable.Range(0, 3).Select(_ => allocator.Allocate(2 << 20)).ToArray();
        foreach (var block in cached) allocator.Free(block);
        Assert.Equal(6 << 20, allocator.BytesReserved);
        allocator.Allocate(5 << 20);
        Assert.Equal(6 << 20, allocator.BytesReserved);
        Assert.Equal(4, allocator.NativeAllocationCount);
        Expect.Throws<CudaOutOfMemoryException>(() => allocator.Allocate(3 << 20),
            "out of memory allocating 3 MiB", "6 MiB in use by tensors", "6 MiB reserved", "device capacity 8 MiB");
        Assert.Equal(6 << 20, allocator.BytesInUse);
    }

    /// <summary>A cache limit returns free segments beyond it as soon as they are freed.</summary>
    [Fact]
    public void ACacheLimitReturnsFreeSegments()
    {
        using var device = new PrivateDevice(64 << 20);
        var allocator = device.Allocator;
        var blocks = Enumerable.Range(0, 4).Select(_ => allocator.Allocate(4 << 20)).ToArray();
        allocator.CacheLimit = 8 << 20;
        foreach (var block in blocks) allocator.Free(block);
        Assert.Equal(8 << 20, allocator.BytesReserved);
        allocator.CacheLimit = 0;
        Assert.Equal(0, allocator.BytesReserved);
        Expect.Throws<ArgumentOutOfRangeException>(() => allocator.CacheLimit = -1);
    }

    /// <summary>Device tensors nobody disposed are reclaimed after their finalizers ran, and counted.</summary>
    [Fact]
    public void AbandonedTensorsAreReclaimedAndCounted()
    {
        var device = CudaTest.Device;
        long finalized = Stats.FinalizedCount, freed = Stats.BytesFreedByFinalizer, inUse = Stats.BytesInUse;
        Abandon(device);
        for (int i = 0; i < 10 && Stats.FinalizedCount == finalized; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(finalized + 1, Stats.FinalizedCount);
        Assert.Equal(freed + CachingAllocator.BlockSize(4000), Stats.BytesFreedByFinalizer);
        Assert.Equal(inUse, Stats.BytesInUse);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Abandon(Device device)
    {
        var leaked = Tensor.Zeros([1000], DType.F32, device);
        TensorScope.Detach(leaked);
    }

    [Fact]
    public void AnImpossibleTensorSaysHowMuchWasAsked()
    {
        var device = CudaTest.Device;
        Expect.Throws<CudaOutOfMemoryException>(() => Tensor.Zeros([1 << 25, 1 << 25], DType.F32, device),
            device.ToString(), "out of memory allocating 4194304 GiB", "in use by tensors", "reserved by the caching allocator");
    }

    [Fact]
    public void EmptyCacheReturnsFreeSegments()
    {
        var device = CudaTest.Device;
        void Large()
        {
            using var scope = TensorScope.Begin();
            _ = Tensor.Ones([1 << 20], DType.F32, device).Sum().Item<float>();
        }
        Large();
        long reserved = Stats.BytesReserved, native = Stats.NativeAllocationCount;
        Stats.EmptyCache();
        Assert.True(Stats.BytesReserved <= reserved - (4 << 20), $"{Stats.BytesReserved} bytes stay reserved of {reserved}");
        Assert.True(Stats.BytesReserved < 4 << 20, $"{Stats.BytesReserved} bytes stay reserved with {Stats.BytesInUse} in use");
        Large();
        Assert.Equal(native + 1, Stats.NativeAllocationCount);
    }

    /// <summary>An emulated device of its own with a caching allocator, so counts and capacity are the test's alone.</summary>
    private sealed class PrivateDevice : IDisposable
    {
        private readonly EmulatedDriver driver;

        public PrivateDevice(long capacity)
        {
            driver = new EmulatedDriver(capacity);
            Allocator = new CachingAllocator(driver, Device.Cuda(7), poison: false);
        }

        public CachingAllocator Allocator { get; }

        public void Dispose() => driver.Dispose();
    }
}
