namespace Engine.GpuBench;

/// <summary>What a workload's work is counted in.</summary>
internal enum WorkUnit
{
    /// <summary>Bytes read plus bytes written, reported as GB/s.</summary>
    Bytes,
    /// <summary>Floating-point operations, reported as TFLOP/s.</summary>
    Flops,
}

/// <summary>
/// One timed operation: its name (shared with bench/gpu/torch_bench.py, so rows can be paired), the work of one
/// call, and a factory that allocates the inputs and returns the call. The call disposes what it creates, so the
/// caching allocator serves every timed call from its cache.
/// </summary>
internal sealed record Workload(string Name, WorkUnit Unit, double Work, Func<Device, Action> Prepare);
