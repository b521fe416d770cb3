using Engine.Backends;

namespace Engine.Memory;

/// <summary>Memory counters per device.</summary>
public static class DeviceMemory
{
    /// <summary>The allocator statistics of <paramref name="device"/>.</summary>
    public static IMemoryStats Stats(Device device) => BackendRegistry.For(device).Memory;
}
