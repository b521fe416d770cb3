namespace Engine.Backends.Cpu;

/// <summary>
/// A reduction seen as [K1, R, K2]: the dims before the reduced ones, the reduced ones (consecutive after dropping
/// size-1 dims), and the dims after. Full reductions are [1, R, 1], row reductions [K, R, 1], column reductions
/// [1, R, K] or [B, R, K].
/// </summary>
internal readonly record struct ReduceShape(long Outer, long Reduced, long Inner)
{
    /// <summary>The split of <paramref name="x"/> reduced to <paramref name="y"/> (same rank, size 1 on reduced dims); false when the reduced dims are not one run.</summary>
    public static bool TryOf(int[] x, int[] y, out ReduceShape split)
    {
        long outer = 1, reduced = 1, inner = 1;
        int phase = 0; // 0: before the reduced run, 1: in it, 2: after it
        for (int d = 0; d < x.Length; d++)
        {
            if (x[d] == 1) continue;
            bool isReduced = y[d] == 1;
            if (isReduced && phase == 2)
            {
                split = default;
                return false;
            }
            if (isReduced)
            {
                phase = 1;
                reduced *= x[d];
            }
            else if (phase == 0)
            {
                outer *= x[d];
            }
            else
            {
                phase = 2;
                inner *= x[d];
            }
        }
        split = new ReduceShape(outer, reduced, inner);
        return true;
    }
}
