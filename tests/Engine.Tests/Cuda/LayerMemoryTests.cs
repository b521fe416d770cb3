using Engine.Memory;
using Engine.Tests.Memory;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The layer ops' device temporaries (column buffers, split partial sums, window tables, cuDNN workspaces) all go back to
/// the allocator: a scoped ResNet training step leaves the bytes in use where they were. Runs alone, as the counters are
/// per device.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
[Collection(MemoryCounterCollection.Name)]
public class LayerMemoryTests
{
    [Fact]
    public void AResNetTrainingStepLeavesNoDeviceMemoryInUse()
    {
        var device = CudaTest.Device;
        var stats = DeviceMemory.Stats(device);
        ResNetStepConformanceTests.Step(device, DType.F32);
        long inUse = stats.BytesInUse, requests = stats.AllocationCount;
        ResNetStepConformanceTests.Step(device, DType.F32);
        Assert.True(stats.AllocationCount > requests, "the step allocated nothing on the device");
        Assert.Equal(inUse, stats.BytesInUse);
    }
}
