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

    /// <summary>While <see cref="RunAndRewind"/> or <see cref="Record"/> runs on this thread: each generator drawn from, with its position before its first draw.</summary>
    [ThreadStatic] private static List<(Generator Generator, GeneratorState Before)>? firstDraws;

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

    /// <summary>
    /// Runs <paramref name="body"/>, then puts every generator it drew from on this thread back where it was before, so
    /// later draws are the ones they would have been had <paramref name="body"/> not run (also when it throws). For work
    /// done only to inspect code that may draw, such as <c>Ode.Solve</c>'s probe evaluation of the field.
    /// </summary>
    public static void RunAndRewind(Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var draws = new List<(Generator, GeneratorState)>();
        try
        {
            Capture(body, draws);
        }
        finally
        {
            new GeneratorPositions(draws).Restore();
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> and returns its result; <paramref name="drawn"/> holds, for every generator it drew from
    /// on this thread, the position before its first draw: restoring them (<see cref="GeneratorPositions.Restore"/>) makes
    /// the same code draw the same numbers again, as a checkpointed re-run must.
    /// </summary>
    public static T Record<T>(Func<T> body, out GeneratorPositions drawn)
    {
        ArgumentNullException.ThrowIfNull(body);
        var draws = new List<(Generator, GeneratorState)>();
        T result = default!;
        Capture(() => result = body(), draws);
        drawn = new GeneratorPositions(draws);
        return result;
    }

    /// <summary>Runs <paramref name="body"/> with <paramref name="draws"/> collecting first draws (restoring an enclosing collection after).</summary>
    private static void Capture(Action body, List<(Generator, GeneratorState)> draws)
    {
        var outer = firstDraws;
        firstDraws = draws;
        try
        {
            body();
        }
        finally
        {
            firstDraws = outer;
            // An enclosing collection has not seen these generators at their earlier positions otherwise.
            if (outer is not null)
                foreach (var draw in draws)
                    if (!Holds(outer, draw.Item1)) outer.Add(draw);
        }
    }

    /// <summary>Whether <paramref name="draws"/> already has <paramref name="generator"/> (at its first draw, which is the one kept).</summary>
    private static bool Holds(List<(Generator Generator, GeneratorState Before)> draws, Generator generator)
    {
        foreach (var draw in draws)
            if (ReferenceEquals(draw.Generator, generator)) return true;
        return false;
    }

    /// <summary>Reserves counters for <paramref name="count"/> elements and returns the seed and the first counter.</summary>
    internal (ulong Seed, ulong Offset) Advance(long count)
    {
        if (firstDraws is { } draws && !Holds(draws, this)) draws.Add((this, GetState()));
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

/// <summary>
/// Positions of some generators, as <see cref="Generator.Record"/> captures them: <see cref="Restore"/> sets each generator
/// back to its position, so what was drawn after it is drawn again.
/// </summary>
public sealed class GeneratorPositions
{
    private readonly (Generator Generator, GeneratorState State)[] entries;

    internal GeneratorPositions(List<(Generator, GeneratorState)> entries) => this.entries = [.. entries];

    /// <summary>The current positions of <paramref name="generators"/>.</summary>
    public static GeneratorPositions Of(IEnumerable<Generator> generators) =>
        new([.. generators.Distinct().Select(g => (g, g.GetState()))]);

    /// <summary>Each generator with its position.</summary>
    public IReadOnlyList<(Generator Generator, GeneratorState State)> Entries => entries;

    /// <summary>Sets every generator to its position.</summary>
    public void Restore()
    {
        for (int i = entries.Length - 1; i >= 0; i--) entries[i].Generator.SetState(entries[i].State);
    }
}
