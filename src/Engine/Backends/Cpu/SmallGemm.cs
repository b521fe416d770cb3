using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Backends.Cpu;

/// <summary>
/// Products with one dimension too small for the packed GEMM's 8 x 48 register tile, as in a 2-64-2 MLP (k = 2 or
/// n = 2 forward, m = 2 for a weight gradient): register loops over <see cref="Vector{T}"/> that read each large
/// operand once, either updating rows (axpy) or taking dot products, whichever suits the operands' layout. Small
/// operands with an awkward layout are packed on the stack first; nothing here allocates on the managed heap. An
/// optional bias row is added as the rows are written.
/// </summary>
internal static unsafe class SmallGemm
{
    /// <summary>A dimension at or below this size makes a product "small".</summary>
    public const int SmallDimension = 16;

    /// <summary>Largest number of elements of a small operand packed on the stack.</summary>
    private const int StackPackLimit = 4096;

    /// <summary>
    /// Terms of a long inner sum accumulated in registers before they are added to the result: like the packed GEMM's
    /// KC blocks, this keeps rounding error growing with the number of blocks rather than with k.
    /// </summary>
    private const int DepthBlock = 128;

    /// <summary>
    /// C[m,n] = A[m,k] B[k,n] (+ bias[n] on every row) when a small-dimension layout applies; false otherwise (the
    /// caller then uses the packed GEMM). Strides are in elements.
    /// </summary>
    public static bool TryMultiply<T>(int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, long csB, T* c, long rsC, long csC, T* bias = null)
        where T : unmanaged, INumber<T>
    {
        if (csC != 1 || m == 0 || n == 0) return false;
        if (k <= SmallDimension && k * n <= StackPackLimit)
        {
            InRowBlocks(new RowsJob<T>(RowsJob<T>.Kind.Updates, m, n, k, a, rsA, csA, b, rsB, csB, c, rsC, bias));
            return true;
        }
        if (n <= SmallDimension && csA == 1 && n * k <= StackPackLimit)
        {
            InRowBlocks(new RowsJob<T>(RowsJob<T>.Kind.Dots, m, n, k, a, rsA, csA, b, rsB, csB, c, rsC, bias));
            return true;
        }
        if (n <= SmallDimension && rsA == 1 && m * n <= StackPackLimit)
        {
            ColumnUpdates(m, n, k, a, csA, b, rsB, csB, c, rsC, bias);
            return true;
        }
        if (m <= SmallDimension && csB == 1)
        {
            AccumulateRows(m, n, k, a, rsA, csA, b, rsB, c, rsC, bias);
            return true;
        }
        return false;
    }

    private static int Width<T>() where T : unmanaged, INumber<T> => Vector<T>.Count;

    /// <summary>Multiply-adds above which the row-wise paths split their rows over the cores (a 1024-row layer of a 2-64-2 MLP is 131K).</summary>
    private const long ParallelWork = 1L << 16;

    /// <summary>Runs a row-wise product on all of its rows, in blocks of rows over the cores when it is large enough.</summary>
    private static void InRowBlocks<T>(RowsJob<T> job) where T : unmanaged, INumber<T>
    {
        long work = (long)job.M * job.N * Math.Max(1, job.K);
        int parts = work < ParallelWork || WorkerPool.Threads == 1 ? 1 : Math.Min(4 * WorkerPool.Threads, Math.Max(1, job.M / 64));
        job.RowsPerPart = (job.M + parts - 1) / parts;
        WorkerPool.Run(ref job, (job.M + job.RowsPerPart - 1) / job.RowsPerPart);
    }

    /// <summary>The rows [part * RowsPerPart, ...) of a <see cref="RowUpdates"/> or <see cref="RowDots"/> product: rows are independent.</summary>
    private struct RowsJob<T>(RowsJob<T>.Kind kind, int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, long csB, T* c, long rsC, T* bias)
        : IParallelJob where T : unmanaged, INumber<T>
    {
        public enum Kind { Updates, Dots }

        public readonly int M => m;
        public readonly int N => n;
        public readonly int K => k;
        public int RowsPerPart;

        public readonly void Execute(int part)
        {
            int first = part * RowsPerPart, rows = Math.Min(RowsPerPart, m - first);
            if (kind == Kind.Updates) RowUpdates(rows, n, k, a + first * rsA, rsA, csA, b, rsB, csB, c + first * rsC, rsC, bias);
            else RowDots(rows, n, k, a + first * rsA, rsA, b, rsB, csB, c + first * rsC, rsC, bias);
        }
    }

    /// <summary>Small k: C[i,:] = bias + sum_p A[i,p] B[p,:], with B's k rows packed contiguous and padded to whole vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowUpdates<T>(int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, long csB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), padded = (n + w - 1) / w * w;
        T* packed = stackalloc T[(k + 1) * padded];
        new Span<T>(packed, (k + 1) * padded).Clear();
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) packed[p * padded + j] = b[p * rsB + j * csB];
        T* start = packed + k * padded;
        if (bias is not null) new ReadOnlySpan<T>(bias, n).CopyTo(new Span<T>(start, n));
        T* row = stackalloc T[padded];
        Vector<T>* coefficients = stackalloc Vector<T>[Math.Max(1, k)];
        for (int i = 0; i < m; i++)
        {
            T* ai = a + i * rsA;
            T* target = n == padded ? c + i * rsC : row;
            for (int p = 0; p < k; p++) coefficients[p] = new Vector<T>(ai[p * csA]);
            int j = 0;
            for (; j + 4 * w <= padded; j += 4 * w)
            {
                // Four accumulators in registers: the k updates of a row block cost one load-multiply-add each.
                Vector<T> acc0 = Vector.Load(start + j), acc1 = Vector.Load(start + j + w), acc2 = Vector.Load(start + j + 2 * w), acc3 = Vector.Load(start + j + 3 * w);
                for (int p = 0; p < k; p++)
                {
                    T* bp = packed + p * padded + j;
                    var coefficient = coefficients[p];
                    acc0 += Vector.Load(bp) * coefficient;
                    acc1 += Vector.Load(bp + w) * coefficient;
                    acc2 += Vector.Load(bp + 2 * w) * coefficient;
                    acc3 += Vector.Load(bp + 3 * w) * coefficient;
                }
                acc0.Store(target + j);
                acc1.Store(target + j + w);
                acc2.Store(target + j + 2 * w);
                acc3.Store(target + j + 3 * w);
            }
            for (; j < padded; j += w)
            {
                var acc = Vector.Load(start + j);
                for (int p = 0; p < k; p++) acc += Vector.Load(packed + p * padded + j) * coefficients[p];
                acc.Store(target + j);
            }
            if (target == row) new ReadOnlySpan<T>(row, n).CopyTo(new Span<T>(c + i * rsC, n));
        }
    }

    /// <summary>Small n, A rows contiguous: C[i,j] = A[i,:] . B[:,j], with B's n columns packed contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowDots<T>(int m, int n, int k, T* a, long rsA, T* b, long rsB, long csB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), whole = k / w * w;
        T* columns = stackalloc T[n * k];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) columns[j * k + p] = b[p * rsB + j * csB];
        if (n == 2)
        {
            RowDotsTwo(m, k, a, rsA, columns, c, rsC, bias);
            return;
        }
        Vector<T>* acc = stackalloc Vector<T>[n];
        Vector<T>* partial = stackalloc Vector<T>[n];
        for (int i = 0; i < m; i++)
        {
            T* ai = a + i * rsA;
            for (int j = 0; j < n; j++) acc[j] = Vector<T>.Zero;
            for (int p0 = 0; p0 < whole; p0 += DepthBlock * w)
            {
                for (int j = 0; j < n; j++) partial[j] = Vector<T>.Zero;
                for (int p = p0; p < Math.Min(whole, p0 + DepthBlock * w); p += w)
                {
                    var x = Vector.Load(ai + p);
                    for (int j = 0; j < n; j++) partial[j] += x * Vector.Load(columns + j * k + p);
                }
                for (int j = 0; j < n; j++) acc[j] += partial[j];
            }
            T* ci = c + i * rsC;
            for (int j = 0; j < n; j++)
            {
                T sum = Vector.Sum(acc[j]);
                for (int p = whole; p < k; p++) sum += ai[p] * columns[j * k + p];
                ci[j] = bias is null ? sum : sum + bias[j];
            }
        }
    }

    /// <summary><see cref="RowDots"/> for two columns (a layer with two outputs), with both accumulators in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowDotsTwo<T>(int m, int k, T* a, long rsA, T* columns, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), whole = k / w * w;
        T* second = columns + k;
        T bias0 = bias is null ? T.Zero : bias[0], bias1 = bias is null ? T.Zero : bias[1];
        for (int i = 0; i < m; i++)
        {
            T* ai = a + i * rsA;
            Vector<T> total0 = Vector<T>.Zero, total1 = Vector<T>.Zero;
            for (int p0 = 0; p0 < whole; p0 += DepthBlock * w)
            {
                Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero;
                for (int p = p0; p < Math.Min(whole, p0 + DepthBlock * w); p += w)
                {
                    var x = Vector.Load(ai + p);
                    acc0 += x * Vector.Load(columns + p);
                    acc1 += x * Vector.Load(second + p);
                }
                total0 += acc0;
                total1 += acc1;
            }
            T sum0 = Vector.Sum(total0), sum1 = Vector.Sum(total1);
            for (int p = whole; p < k; p++)
            {
                sum0 += ai[p] * columns[p];
                sum1 += ai[p] * second[p];
            }
            c[i * rsC] = sum0 + bias0;
            c[i * rsC + 1] = sum1 + bias1;
        }
    }

    /// <summary>Small n, A columns contiguous (A is a transposed view): column j of C accumulates B[p,j] * A[:,p] over p, reading A once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnUpdates<T>(int m, int n, int k, T* a, long csA, T* b, long rsB, long csB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), padded = (m + w - 1) / w * w, size = n * padded;
        T* columns = stackalloc T[size];
        T* block = stackalloc T[size];
        new Span<T>(columns, size).Clear();
        int whole = m / w * w;
        for (int p0 = 0; p0 < k; p0 += DepthBlock)
        {
            new Span<T>(block, size).Clear();
            for (int p = p0; p < Math.Min(k, p0 + DepthBlock); p++)
            {
                T* ap = a + p * csA;
                for (int j = 0; j < n; j++)
                {
                    T scalar = b[p * rsB + j * csB];
                    var scale = new Vector<T>(scalar);
                    T* cj = block + j * padded;
                    for (int i = 0; i < whole; i += w) (Vector.Load(cj + i) + Vector.Load(ap + i) * scale).Store(cj + i);
                    for (int i = whole; i < m; i++) cj[i] += ap[i] * scalar;
                }
            }
            for (int i = 0; i < size; i += w) (Vector.Load(columns + i) + Vector.Load(block + i)).Store(columns + i);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * rsC + j] = bias is null ? columns[j * padded + i] : columns[j * padded + i] + bias[j];
    }

    /// <summary>Small m, B rows contiguous: row i of C accumulates A[i,p] * B[p,:] over p, one block of columns at a time, reading B once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRows<T>(int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), whole = n / w * w;
        if (m == 2)
        {
            AccumulateTwoRows(n, k, a, rsA, csA, b, rsB, c, rsC, bias);
            whole = n;
        }
        Vector<T>* acc = stackalloc Vector<T>[m];
        for (int j = m == 2 ? n : 0; j < whole; j += w)
        {
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                var start = p0 == 0 && bias is not null ? Vector.Load(bias + j) : Vector<T>.Zero;
                for (int i = 0; i < m; i++) acc[i] = start;
                for (int p = p0; p < Math.Min(k, p0 + DepthBlock); p++)
                {
                    var x = Vector.Load(b + p * rsB + j);
                    for (int i = 0; i < m; i++) acc[i] += x * new Vector<T>(a[i * rsA + p * csA]);
                }
                for (int i = 0; i < m; i++)
                {
                    T* target = c + i * rsC + j;
                    (p0 == 0 ? acc[i] : acc[i] + Vector.Load(target)).Store(target);
                }
            }
        }
        for (int j = m == 2 ? n : whole; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                T sum = T.Zero, block = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    block += a[i * rsA + p * csA] * b[p * rsB + j];
                    if ((p + 1) % DepthBlock == 0)
                    {
                        sum += block;
                        block = T.Zero;
                    }
                }
                c[i * rsC + j] = sum + block + (bias is null ? T.Zero : bias[j]);
            }
    }

    /// <summary><see cref="AccumulateRows"/> for two rows (a gradient of a layer with two outputs), accumulators in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateTwoRows<T>(int n, int k, T* a, long rsA, long csA, T* b, long rsB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), whole = n / w * w;
        for (int j = 0; j < whole; j += w)
        {
            Vector<T> total0 = bias is null ? Vector<T>.Zero : Vector.Load(bias + j), total1 = total0;
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero;
                for (int p = p0; p < Math.Min(k, p0 + DepthBlock); p++)
                {
                    var x = Vector.Load(b + p * rsB + j);
                    acc0 += x * new Vector<T>(a[p * csA]);
                    acc1 += x * new Vector<T>(a[rsA + p * csA]);
                }
                total0 += acc0;
                total1 += acc1;
            }
            total0.Store(c + j);
            total1.Store(c + rsC + j);
        }
        for (int j = whole; j < n; j++)
            for (int i = 0; i < 2; i++)
            {
                T sum = bias is null ? T.Zero : bias[j];
                for (int p = 0; p < k; p++) sum += a[i * rsA + p * csA] * b[p * rsB + j];
                c[i * rsC + j] = sum;
            }
    }
}
