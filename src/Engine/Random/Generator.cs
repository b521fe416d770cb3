namespace Engine.Random;

/// <summary>
/// A seeded source of random tensors. Each draw takes the next block of Philox counters, so the same seed
/// gives the same sequence of tensors on every device, like <c>torch.Generator</c>. Thread-safe: concurrent
/// draws take disjoint counters. <see cref="GetState"/> and <see cref="SetState"/> capture and restore the
/// position, so a re-run forward (checkpointing) can replay the same numbers.
/// </summary>
public sealed class Generator
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;

    [ThreadStatic] private static Generator? defaultGenerator;

    private readonly Lock gate = new();
    private ulong seed;
    private ulong offset;

    /// <summary>Creates a generator keyed by <paramref name="seed"/>, starting at counter 0.</summary>
    public Generator(ulong seed) => this.seed = seed;

    /// <summary>The key of the stream.</summary>
    public ulong Seed
    {
        get { lock (gate) return seed; }
    }

    /// <summary>The next unused Philox counter.</summary>
    public ulong Offset
    {
        get { lock (gate) return offset; }
    }

    /// <summary>
    /// The generator used when none is passed, one per thread: <see cref="ManualSeed"/> sets the calling thread's;
    /// until then each thread's is keyed by a different seed mixed from its managed thread id, so threads never
    /// draw the same stream by accident.
    /// </summary>
    public static Generator Default => defaultGenerator ??= new Generator(ThreadSeed(Environment.CurrentManagedThreadId));

    /// <summary>Replaces this thread's default generator with one keyed by <paramref name="seed"/>.</summary>
    public static void ManualSeed(ulong seed) => defaultGenerator = new Generator(seed);

    /// <summary>The seed and counter position, to hand back to <see cref="SetState"/>.</summary>
    public GeneratorState GetState()
    {
        lock (gate) return new GeneratorState(seed, offset);
    }

    /// <summary>Continues from a position captured by <see cref="GetState"/> (of this or any generator).</summary>
    public void SetState(GeneratorState state)
    {
        lock (gate) (seed, offset) = (state.Seed, state.Offset);
    }

    /// <summary>Reserves counters for <paramref name="count"/> elements and returns the seed and the first counter.</summary>
    internal (ulong Seed, ulong Offset) Advance(long count)
    {
        lock (gate)
        {
            ulong start = offset;
            offset += (ulong)((count + 3) / 4);
            return (seed, start);
        }
    }

    /// <summary>SplitMix64 finaliser of the thread id: well-spread, distinct seeds for distinct threads.</summary>
    private static ulong ThreadSeed(int threadId)
    {
        ulong z = (ulong)threadId * GoldenGamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}

/// <summary>A <see cref="Generator"/>'s position: its seed and the next unused Philox counter.</summary>
/// <param name="Seed">The key of the stream.</param>
/// <param name="Offset">The next unused counter.</param>
public readonly record struct GeneratorState(ulong Seed, ulong Offset);
