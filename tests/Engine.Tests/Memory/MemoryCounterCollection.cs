using Xunit;

namespace Engine.Tests.Memory;

/// <summary>
/// The CPU allocator and its counters are process-wide, so tests that read them run alone, never beside tests
/// that allocate.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCounterCollection
{
    public const string Name = "Memory counters";
}
