using Xunit;

namespace Engine.NN.Tests;

/// <summary>Tests that read the process-wide allocator counters run alone, never beside tests that allocate.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCounterCollection
{
    public const string Name = "Memory counters";
}
