using Engine.Backends;
using Engine.Backends.Cuda;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The CUDA device the tests run on: the emulated device where <c>ENGINE_CUDA_EMULATOR=1</c> (./build.sh test sets
/// it), a real GPU otherwise. Tests skip, saying why, when there is neither.
/// </summary>
internal static class CudaTest
{
    public const string Category = "Category";
    public const string Gpu = "Gpu";

    /// <summary>cuda:0, or a skip when no CUDA device is available.</summary>
    public static Device Device
    {
        get
        {
            if (!CudaDevices.IsAvailable)
                Assert.Skip($"no CUDA device: no GPU driver here; set {CudaBackends.EmulatorVariable}=1 (./build.sh test does) to use the emulated device");
            return Device.Cuda();
        }
    }

    public static CudaBackend Backend => (CudaBackend)BackendRegistry.For(Device);

    /// <summary>Skips on the emulated device: what the test checks exists only on real hardware.</summary>
    public static void RequireRealGpu(string why)
    {
        if (Backend.IsEmulated) Assert.Skip($"needs a real GPU: {why}");
    }
}
