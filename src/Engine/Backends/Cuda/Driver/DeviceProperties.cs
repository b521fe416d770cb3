namespace Engine.Backends.Cuda.Driver;

/// <summary>What launch configuration and kernel compilation need to know about a device.</summary>
internal sealed record DeviceProperties(
    string Name,
    int ComputeCapabilityMajor,
    int ComputeCapabilityMinor,
    int MultiprocessorCount,
    int MaxThreadsPerBlock,
    int MaxThreadsPerMultiprocessor,
    int MaxSharedMemoryPerBlock,
    int WarpSize,
    long TotalMemory);
