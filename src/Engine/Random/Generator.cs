namespace Engine.Random;

/// <summary>
/// A seeded source of random tensors. Each draw takes the next block of Philox counters, so the same seed
/// gives the same sequence of tensors on every device, like <c>torch.Generator</c>.
/// </summary>
public sealed class Generator
{
    [ThreadStatic] private static Generator? defaultGenerator;

    /// <summary>Creates a generator keyed by <paramref name="seed"/>, starting at counter 0.</summary>
    public Generator(ulong seed) => Seed = seed;

    /// <summary>The key of the stream.</summary>
    public ulong Seed { get; }

    /// <summary>The next unused Philox counter.</summary>
    public ulong Offset { get; private set; }

    /// <summary>The generator used when none is passed; per thread, seeded with 0 until <see cref="ManualSeed"/>.</summary>
    public static Generator Default => defaultGenerator ??= new Generator(0);

    /// <summary>Replaces this thread's default generator with one keyed by <paramref name="seed"/>.</summary>
    public static void ManualSeed(ulong seed) => defaultGenerator = new Generator(seed);

    /// <summary>Reserves counters for <paramref name="count"/> elements and returns the first counter.</summary>
    internal ulong Advance(long count)
    {
        ulong start = Offset;
        Offset += (ulong)((count + 3) / 4);
        return start;
    }
}
