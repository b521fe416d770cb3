using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>
/// When an op is worth splitting over the cores, from an estimate of its work: elements times a per-element cost
/// (1 for a load/add/store, more for transcendental functions). Memory-bound ops therefore split later than
/// compute-bound ones. The constants were chosen by timing ops of growing size on 1 and 2 cores of the project's
/// machine (bench/README.md): below them the second core does not pay for the hand-off.
/// </summary>
internal static class ParallelPolicy
{
    /// <summary>Work below which an op stays on the calling thread.</summary>
    public const long MinParallelWork = 48 * 1024;

    /// <summary>Work per part: enough parts that a late worker still finds some, few enough that claiming one is cheap.</summary>
    private const long PartWork = 16 * 1024;

    /// <summary>Number of parts to split <paramref name="elements"/> elements of the given per-element cost into (1 = run inline).</summary>
    public static int Parts(long elements, int cost)
    {
        long work = elements * cost;
        if (WorkerPool.Threads == 1 || work < MinParallelWork) return 1;
        return (int)Math.Clamp(work / PartWork, 2, 4L * WorkerPool.Threads);
    }

    /// <summary>Elements per part when <paramref name="elements"/> are split into <paramref name="parts"/> (at most <see cref="StridedLoop.MaxRowLength"/>).</summary>
    public static long Chunk(long elements, int parts) => Math.Min(StridedLoop.MaxRowLength, (elements + parts - 1) / Math.Max(1, parts));

    public static int Cost(UnaryOp op) => op switch
    {
        UnaryOp.Exp or UnaryOp.Log or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.Sin or UnaryOp.Cos => 8,
        UnaryOp.Softplus or UnaryOp.Gelu => 12,
        UnaryOp.Sqrt or UnaryOp.Rsqrt => 3,
        _ => 1,
    };

    public static int Cost(BinaryOp op) => op switch
    {
        BinaryOp.Pow => 24,
        BinaryOp.Div => 2,
        _ => 1,
    };
}
