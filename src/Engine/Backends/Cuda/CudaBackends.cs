using Engine.Backends.Cuda.Driver;
using Engine.Backends.Cuda.Emulator;

namespace Engine.Backends.Cuda;

/// <summary>
/// One <see cref="CudaBackend"/> per device index, created at first use and kept for the life of the process.
/// <c>ENGINE_CUDA_EMULATOR=1</c> makes cuda:0 the emulated device (and the only one); it is never chosen in
/// place of a missing GPU.
/// </summary>
internal static class CudaBackends
{
    public const string EmulatorVariable = "ENGINE_CUDA_EMULATOR";

    /// <summary>The emulated device's memory in bytes, with an optional K, M or G suffix (default 4G).</summary>
    public const string EmulatorMemoryVariable = "ENGINE_CUDA_EMULATOR_MEMORY";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, CudaBackend> Backends = [];

    public static bool UseEmulator => Environment.GetEnvironmentVariable(EmulatorVariable) is "1" or "true";

    public static int DeviceCount => UseEmulator ? 1 : CudaDriver.DeviceCount();

    public static CudaBackend Get(int index)
    {
        lock (Gate)
        {
            if (!Backends.TryGetValue(index, out var backend))
            {
                var device = Device.Cuda(index);
                backend = new CudaBackend(device, CreateDriver(index));
                Backends[index] = backend;
            }
            return backend;
        }
    }

    private static ICudaDriver CreateDriver(int index)
    {
        if (UseEmulator)
        {
            if (index != 0)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"cuda:{index}: the emulated CUDA device ({EmulatorVariable}=1) is cuda:0 only");
            return new EmulatedDriver(EmulatorMemory());
        }
        if (CudaDriver.DeviceCount() == 0)
            throw new InvalidOperationException(
                $"cuda:{index}: no CUDA device is available (the driver library libcuda.so.1 is missing or sees no GPU); " +
                $"set {EmulatorVariable}=1 to run CUDA code on the emulated device");
        return new CudaDriver(index);
    }

    private static long EmulatorMemory()
    {
        var text = Environment.GetEnvironmentVariable(EmulatorMemoryVariable);
        if (string.IsNullOrWhiteSpace(text)) return 4L << 30;
        text = text.Trim().ToUpperInvariant();
        int shift = text[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        if (shift > 0) text = text[..^1];
        if (!long.TryParse(text, out long value) || value <= 0)
            throw new FormatException($"{EmulatorMemoryVariable}={Environment.GetEnvironmentVariable(EmulatorMemoryVariable)}: expected a byte count such as 4G, 512M or 1048576");
        return value << shift;
    }
}
