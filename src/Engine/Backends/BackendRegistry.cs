using Engine.Backends.Cpu;
using Engine.Backends.Cuda;

namespace Engine.Backends;

/// <summary>Finds the backend that serves a device.</summary>
internal static class BackendRegistry
{
    public static IBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => CpuBackend.Instance,
        DeviceType.Cuda => CudaBackends.Get(device.Index),
        _ => throw new NotSupportedException($"device {device}: no backend serves this device type"),
    };
}
