namespace Engine.Backends.Cpu;

/// <summary>
/// Splits [0, units) into a fixed number of contiguous chunks that the cores take on demand. Which core runs a chunk
/// depends on timing, so a chunk must write its own outputs (or its own partial result, combined in chunk order
/// afterwards): then results are the same on every run, while a core that shares its time with another process
/// does not hold the others up, as a static split would on a busy 2-core machine.
/// </summary>
internal static class WorkChunks
{
    /// <summary>Chunks per core: enough for the balance to even out, few enough for per-chunk set-up to stay small.</summary>
    private const int PerCore = 4;

    /// <summary>The number of chunks <see cref="Run"/> uses for <paramref name="units"/> units; 1 when the work is too small to share.</summary>
    public static int Count(long units, bool parallel) =>
        (int)Math.Max(1, Math.Min(units, parallel ? PerCore * Environment.ProcessorCount : 1));

    /// <summary>Runs body(chunk, first, last) for each of <paramref name="chunks"/> chunks of [0, units), on up to every core.</summary>
    public static void Run(long units, int chunks, Action<int, long, long> body)
    {
        int next = -1;
        int workers = Math.Min(chunks, Environment.ProcessorCount);
        StridedLoop.Parallelize(workers, _ =>
        {
            for (int chunk = Interlocked.Increment(ref next); chunk < chunks; chunk = Interlocked.Increment(ref next))
                body(chunk, units * chunk / chunks, units * (chunk + 1) / chunks);
        });
    }
}
