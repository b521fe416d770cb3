using Engine.Backends.Cpu;

namespace Engine.Backends;

/// <summary>Finds the backend that serves a device.</summary>
internal static class BackendRegistry
{
    public static IBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => CpuBackend.Instance,
        _ => throw new NotSupportedException($"device {device}: no CUDA backend is built into this version of Engine yet"),
    };
}
