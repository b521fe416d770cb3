using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Backends.Cpu;

/// <summary>
/// F32 sums that do not lose digits with length: blocks of 256 elements are summed in float over 32 SIMD lanes (8
/// additions per lane, then pairwise), and the block sums accumulate in double. The error is then at the level of a
/// float rounding per block, independent of the number of elements, where one float accumulator loses digits
/// linearly (a 16M-element sum of 0.1f was off by 1%).
/// </summary>
internal static unsafe class AccurateSum
{
    private const int Block = 256;

    /// <summary>Sum of <paramref name="n"/> contiguous floats, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Of(float* p, long n)
    {
        long i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
            for (; i + Block <= n; i += Block)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                float* q = p + i;
                for (int j = 0; j < Block; j += 32)
                {
                    a0 += Vector256.Load(q + j);
                    a1 += Vector256.Load(q + j + 8);
                    a2 += Vector256.Load(q + j + 16);
                    a3 += Vector256.Load(q + j + 24);
                }
                var (l, h) = Vector256.Widen((a0 + a1) + (a2 + a3));
                low += l;
                high += h;
            }
            total = Vector256.Sum(low + high);
        }
        for (; i < n; i++) total += p[i];
        return total;
    }

    /// <summary>acc[j] += (double)block[j] for a row of <paramref name="n"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddWidened(float* block, double* acc, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= n; j += 8)
            {
                var (l, h) = Vector256.Widen(Vector256.Load(block + j));
                Vector256.Store(Vector256.Load(acc + j) + l, acc + j);
                Vector256.Store(Vector256.Load(acc + j + 4) + h, acc + j + 4);
            }
        }
        for (; j < n; j++) acc[j] += block[j];
    }
}
