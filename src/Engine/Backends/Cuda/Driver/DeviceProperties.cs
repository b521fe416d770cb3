namespace Engine.Backends.Cuda.Driver;

/// <summary>What launch configuration and kernel compilation need to know about a device.</summary>
internal sealed record DeviceProperties(
    string Name,
    int ComputeCapabilityMajor,
    int ComputeCapabilityMinor,
    int MultiprocessorCount,
    int MaxThreadsPerMultiprocessor,
    int WarpSize,
    long TotalMemory);
