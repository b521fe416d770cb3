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

    /// <summary>acc + x * y with one rounding (F32 and F64, the types the GEMM takes), as the packed GEMM's kernel computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd<T>(Vector<T> x, Vector<T> y, Vector<T> acc) where T : unmanaged, INumber<T> =>
        typeof(T) == typeof(float)
            ? Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>()
            : Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();

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
        if (k == 2 && n == padded)
        {
            RowUpdatesTwo(m, n, a, rsA, csA, packed, c, rsC);
            return;
        }
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
                    acc0 = MultiplyAdd(Vector.Load(bp), coefficient, acc0);
                    acc1 = MultiplyAdd(Vector.Load(bp + w), coefficient, acc1);
                    acc2 = MultiplyAdd(Vector.Load(bp + 2 * w), coefficient, acc2);
                    acc3 = MultiplyAdd(Vector.Load(bp + 3 * w), coefficient, acc3);
                }
                acc0.Store(target + j);
                acc1.Store(target + j + w);
                acc2.Store(target + j + 2 * w);
                acc3.Store(target + j + 3 * w);
            }
            for (; j < padded; j += w)
            {
                var acc = Vector.Load(start + j);
                for (int p = 0; p < k; p++) acc = MultiplyAdd(Vector.Load(packed + p * padded + j), coefficients[p], acc);
                acc.Store(target + j);
            }
            if (target == row) new ReadOnlySpan<T>(row, n).CopyTo(new Span<T>(c + i * rsC, n));
        }
    }

    /// <summary>
    /// <see cref="RowUpdates"/> for k = 2 (a layer with two inputs) and whole vectors of columns, one block of columns at
    /// a time: the block's two rows of B and its bias stay in registers while every row of C is written, so a row costs
    /// two broadcasts and its multiply-adds, and nothing is loaded but A. The same operations in the same order as
    /// <see cref="RowUpdates"/>, so the results agree bitwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowUpdatesTwo<T>(int m, int n, T* a, long rsA, long csA, T* packed, T* c, long rsC)
        where T : unmanaged, INumber<T>
    {
        // Rows in blocks, so each output row is written whole while it is in cache rather than once per block of columns.
        const int rowBlock = 32;
        for (int i = 0; i < m; i += rowBlock)
            RowUpdatesTwoBlock(Math.Min(rowBlock, m - i), n, a + i * rsA, rsA, csA, packed, c + i * rsC, rsC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowUpdatesTwoBlock<T>(int m, int n, T* a, long rsA, long csA, T* packed, T* c, long rsC)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>();
        T* second = packed + n, start = packed + 2 * n;
        int j = 0;
        for (; j + 4 * w <= n; j += 4 * w)
        {
            Vector<T> b00 = Vector.Load(packed + j), b01 = Vector.Load(packed + j + w), b02 = Vector.Load(packed + j + 2 * w), b03 = Vector.Load(packed + j + 3 * w);
            Vector<T> b10 = Vector.Load(second + j), b11 = Vector.Load(second + j + w), b12 = Vector.Load(second + j + 2 * w), b13 = Vector.Load(second + j + 3 * w);
            Vector<T> s0 = Vector.Load(start + j), s1 = Vector.Load(start + j + w), s2 = Vector.Load(start + j + 2 * w), s3 = Vector.Load(start + j + 3 * w);
            for (int i = 0; i < m; i++)
            {
                T* ai = a + i * rsA;
                T* target = c + i * rsC + j;
                var x0 = new Vector<T>(ai[0]);
                var x1 = new Vector<T>(ai[csA]);
                MultiplyAdd(b10, x1, MultiplyAdd(b00, x0, s0)).Store(target);
                MultiplyAdd(b11, x1, MultiplyAdd(b01, x0, s1)).Store(target + w);
                MultiplyAdd(b12, x1, MultiplyAdd(b02, x0, s2)).Store(target + 2 * w);
                MultiplyAdd(b13, x1, MultiplyAdd(b03, x0, s3)).Store(target + 3 * w);
            }
        }
        for (; j < n; j += w)
        {
            Vector<T> b0 = Vector.Load(packed + j), b1 = Vector.Load(second + j), s = Vector.Load(start + j);
            for (int i = 0; i < m; i++)
            {
                T* ai = a + i * rsA;
                MultiplyAdd(b1, new Vector<T>(ai[csA]), MultiplyAdd(b0, new Vector<T>(ai[0]), s)).Store(c + i * rsC + j);
            }
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
                    for (int j = 0; j < n; j++) partial[j] = MultiplyAdd(x, Vector.Load(columns + j * k + p), partial[j]);
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
        int i = 0;
        if (whole <= DepthBlock * w)
            for (; i + 4 <= m; i += 4) FourRowDotsTwo(k, a + i * rsA, rsA, columns, c + i * rsC, rsC, bias0, bias1);
        for (; i < m; i++)
        {
            T* ai = a + i * rsA;
            Vector<T> total0 = Vector<T>.Zero, total1 = Vector<T>.Zero;
            for (int p0 = 0; p0 < whole; p0 += DepthBlock * w)
            {
                Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero;
                for (int p = p0; p < Math.Min(whole, p0 + DepthBlock * w); p += w)
                {
                    var x = Vector.Load(ai + p);
                    acc0 = MultiplyAdd(x, Vector.Load(columns + p), acc0);
                    acc1 = MultiplyAdd(x, Vector.Load(second + p), acc1);
                }
                total0 += acc0;
                total1 += acc1;
            }
            StoreDotsTwo(k, ai, total0, total1, columns, c + i * rsC, bias0, bias1);
        }
    }

    /// <summary>
    /// Four rows of <see cref="RowDotsTwo"/> for an inner sum of one depth block: each load of the two columns serves four
    /// rows, which halves the loads. The same sums in the same order as one row at a time, so the results agree bitwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowDotsTwo<T>(int k, T* a, long rsA, T* columns, T* c, long rsC, T bias0, T bias1)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), whole = k / w * w;
        T* second = columns + k;
        T* a1 = a + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
        Vector<T> r0c0 = Vector<T>.Zero, r0c1 = Vector<T>.Zero, r1c0 = Vector<T>.Zero, r1c1 = Vector<T>.Zero,
            r2c0 = Vector<T>.Zero, r2c1 = Vector<T>.Zero, r3c0 = Vector<T>.Zero, r3c1 = Vector<T>.Zero;
        for (int p = 0; p < whole; p += w)
        {
            var first = Vector.Load(columns + p);
            var other = Vector.Load(second + p);
            var x = Vector.Load(a + p);
            r0c0 = MultiplyAdd(x, first, r0c0);
            r0c1 = MultiplyAdd(x, other, r0c1);
            x = Vector.Load(a1 + p);
            r1c0 = MultiplyAdd(x, first, r1c0);
            r1c1 = MultiplyAdd(x, other, r1c1);
            x = Vector.Load(a2 + p);
            r2c0 = MultiplyAdd(x, first, r2c0);
            r2c1 = MultiplyAdd(x, other, r2c1);
            x = Vector.Load(a3 + p);
            r3c0 = MultiplyAdd(x, first, r3c0);
            r3c1 = MultiplyAdd(x, other, r3c1);
        }
        StoreDotsTwo(k, a, r0c0, r0c1, columns, c, bias0, bias1);
        StoreDotsTwo(k, a1, r1c0, r1c1, columns, c + rsC, bias0, bias1);
        StoreDotsTwo(k, a2, r2c0, r2c1, columns, c + 2 * rsC, bias0, bias1);
        StoreDotsTwo(k, a3, r3c0, r3c1, columns, c + 3 * rsC, bias0, bias1);
    }

    /// <summary>Finishes one row of <see cref="RowDotsTwo"/>: the lanes' sums, the tail of the inner sum, the bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDotsTwo<T>(int k, T* row, Vector<T> acc0, Vector<T> acc1, T* columns, T* target, T bias0, T bias1)
        where T : unmanaged, INumber<T>
    {
        T sum0 = Vector.Sum(acc0), sum1 = Vector.Sum(acc1);
        for (int p = k / Width<T>() * Width<T>(); p < k; p++)
        {
            sum0 += row[p] * columns[p];
            sum1 += row[p] * columns[k + p];
        }
        target[0] = sum0 + bias0;
        target[1] = sum1 + bias1;
    }

    /// <summary>Small n, A columns contiguous (A is a transposed view): column j of C accumulates B[p,j] * A[:,p] over p, reading A once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnUpdates<T>(int m, int n, int k, T* a, long csA, T* b, long rsB, long csB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>(), padded = (m + w - 1) / w * w, size = n * padded;
        if (n == 2 && m == padded)
        {
            ColumnUpdatesTwo(m, k, a, csA, b, rsB, csB, c, rsC, bias);
            return;
        }
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
                    for (int i = 0; i < whole; i += w) MultiplyAdd(Vector.Load(ap + i), scale, Vector.Load(cj + i)).Store(cj + i);
                    for (int i = whole; i < m; i++) cj[i] += ap[i] * scalar;
                }
            }
            for (int i = 0; i < size; i += w) (Vector.Load(columns + i) + Vector.Load(block + i)).Store(columns + i);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * rsC + j] = bias is null ? columns[j * padded + i] : columns[j * padded + i] + bias[j];
    }

    /// <summary>
    /// <see cref="ColumnUpdates"/> for two columns (the weight gradient of a layer with two inputs) and whole vectors of
    /// rows: per depth block, blocks of four vectors of rows of both columns accumulate in registers. The same sums in
    /// the same order, so the results agree bitwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnUpdatesTwo<T>(int m, int k, T* a, long csA, T* b, long rsB, long csB, T* c, long rsC, T* bias)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>();
        T* columns = stackalloc T[2 * m];
        new Span<T>(columns, 2 * m).Clear();
        for (int p0 = 0; p0 < k; p0 += DepthBlock)
        {
            int p1 = Math.Min(k, p0 + DepthBlock), i = 0;
            for (; i + 4 * w <= m; i += 4 * w) FourVectorsTwoScales(a + i, csA, b, rsB, csB, p0, p1, columns + i, columns + m + i);
            for (; i < m; i += w) OneVectorTwoScales(a + i, csA, b, rsB, csB, p0, p1, columns + i, columns + m + i);
        }
        T bias0 = bias is null ? T.Zero : bias[0], bias1 = bias is null ? T.Zero : bias[1];
        for (int i = 0; i < m; i++)
        {
            c[i * rsC] = columns[i] + bias0;
            c[i * rsC + 1] = columns[m + i] + bias1;
        }
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
                    for (int i = 0; i < m; i++) acc[i] = MultiplyAdd(x, new Vector<T>(a[i * rsA + p * csA]), acc[i]);
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
        // Depth blocks outermost: a block's rows of B are read from memory once and stay in cache for every block of
        // columns; the block sums are added to C, which starts at the bias, in the order of the blocks.
        for (int j = 0; j < whole; j += w)
        {
            var start = bias is null ? Vector<T>.Zero : Vector.Load(bias + j);
            start.Store(c + j);
            start.Store(c + rsC + j);
        }
        for (int p0 = 0; p0 < k; p0 += DepthBlock)
        {
            int p1 = Math.Min(k, p0 + DepthBlock), j = 0;
            for (; j + 4 * w <= whole; j += 4 * w) FourVectorsTwoScales(b + j, rsB, a, csA, rsA, p0, p1, c + j, c + rsC + j);
            for (; j < whole; j += w) OneVectorTwoScales(b + j, rsB, a, csA, rsA, p0, p1, c + j, c + rsC + j);
        }
        for (int j = whole; j < n; j++)
            for (int i = 0; i < 2; i++)
            {
                T sum = bias is null ? T.Zero : bias[j];
                for (int p = 0; p < k; p++) sum += a[i * rsA + p * csA] * b[p * rsB + j];
                c[i * rsC + j] = sum;
            }
    }

    /// <summary>
    /// The two-wide weight gradients' inner block: over p in [p0, p1), four vectors at x + p * xStride times
    /// scales[p * scaleStride] and times scales[p * scaleStride + secondScale], summed in registers from zero, then
    /// added to the four vectors at <paramref name="first"/> and at <paramref name="second"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourVectorsTwoScales<T>(T* x, long xStride, T* scales, long scaleStride, long secondScale, int p0, int p1, T* first, T* second)
        where T : unmanaged, INumber<T>
    {
        int w = Width<T>();
        Vector<T> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        for (int p = p0; p < p1; p++)
        {
            T* xp = x + p * xStride;
            var scale0 = new Vector<T>(scales[p * scaleStride]);
            var scale1 = new Vector<T>(scales[p * scaleStride + secondScale]);
            Vector<T> x0 = Vector.Load(xp), x1 = Vector.Load(xp + w), x2 = Vector.Load(xp + 2 * w), x3 = Vector.Load(xp + 3 * w);
            c00 = MultiplyAdd(x0, scale0, c00);
            c01 = MultiplyAdd(x1, scale0, c01);
            c02 = MultiplyAdd(x2, scale0, c02);
            c03 = MultiplyAdd(x3, scale0, c03);
            c10 = MultiplyAdd(x0, scale1, c10);
            c11 = MultiplyAdd(x1, scale1, c11);
            c12 = MultiplyAdd(x2, scale1, c12);
            c13 = MultiplyAdd(x3, scale1, c13);
        }
        AddTo(first, c00, c01, c02, c03, w);
        AddTo(second, c10, c11, c12, c13, w);
    }

    /// <summary><see cref="FourVectorsTwoScales"/> for one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVectorTwoScales<T>(T* x, long xStride, T* scales, long scaleStride, long secondScale, int p0, int p1, T* first, T* second)
        where T : unmanaged, INumber<T>
    {
        Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero;
        for (int p = p0; p < p1; p++)
        {
            var xp = Vector.Load(x + p * xStride);
            acc0 = MultiplyAdd(xp, new Vector<T>(scales[p * scaleStride]), acc0);
            acc1 = MultiplyAdd(xp, new Vector<T>(scales[p * scaleStride + secondScale]), acc1);
        }
        (Vector.Load(first) + acc0).Store(first);
        (Vector.Load(second) + acc1).Store(second);
    }

    /// <summary>Adds four consecutive vectors to C at <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<T>(T* target, Vector<T> v0, Vector<T> v1, Vector<T> v2, Vector<T> v3, int w) where T : unmanaged, INumber<T>
    {
        (Vector.Load(target) + v0).Store(target);
        (Vector.Load(target + w) + v1).Store(target + w);
        (Vector.Load(target + 2 * w) + v2).Store(target + 2 * w);
        (Vector.Load(target + 3 * w) + v3).Store(target + 3 * w);
    }
}
