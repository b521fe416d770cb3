namespace Engine;

/// <summary>Kind of device a tensor lives on.</summary>
public enum DeviceType
{
    /// <summary>Host memory, computed by the CPU backend.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU, computed by the CUDA backend.</summary>
    Cuda,
}

/// <summary>Where a tensor's storage lives, like <c>torch.device</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>CUDA device <paramref name="index"/> (see <see cref="CudaDevices"/>).</summary>
    public static Device Cuda(int index = 0) =>
        index >= 0 ? new(DeviceType.Cuda, index) : throw new ArgumentOutOfRangeException(nameof(index), index, "a CUDA device index is not negative");

    /// <summary>cuda:0 when a CUDA device (or the emulated one) is available, else the CPU.</summary>
    public static Device CudaIfAvailable() => CudaDevices.IsAvailable ? Cuda() : Cpu;

    /// <summary>Renders as <c>cpu</c> or <c>cuda:0</c>.</summary>
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
