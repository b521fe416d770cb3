using Engine.Backends.Cuda;

namespace Engine;

/// <summary>
/// The CUDA devices Engine can use (like <c>torch.cuda</c>). Setting the environment variable
/// <c>ENGINE_CUDA_EMULATOR=1</c> replaces them with one emulated device, cuda:0, that runs the same kernels on
/// the CPU; that is how the CUDA path is tested on machines without a GPU.
/// </summary>
public static class CudaDevices
{
    private static volatile bool allowTf32;

    /// <summary>True when at least one CUDA device (or the emulated one) can be used.</summary>
    public static bool IsAvailable => Count > 0;

    /// <summary>The number of CUDA devices (1 for the emulated device).</summary>
    public static int Count => CudaBackends.DeviceCount;

    /// <summary>True when cuda:0 is the emulated device.</summary>
    public static bool IsEmulated => CudaBackends.UseEmulator;

    /// <summary>
    /// Whether F32 matrix products may use TF32 tensor cores (about 10 bits of mantissa in the products, much
    /// faster), like <c>torch.backends.cuda.matmul.allow_tf32</c>. Off by default; the emulator ignores it.
    /// </summary>
    public static bool AllowTf32
    {
        get => allowTf32;
        set => allowTf32 = value;
    }

    /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public static string Name(int index = 0) => CudaBackends.Get(index).Properties.Name;

    /// <summary>
    /// Waits until the device has finished all queued work, and throws the first error a kernel reported since the
    /// last synchronisation (an out-of-range index, an integer division by zero).
    /// </summary>
    public static void Synchronize(int index = 0) => CudaBackends.Get(index).Synchronize();
}
