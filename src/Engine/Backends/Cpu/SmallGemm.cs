using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Backends.Cpu;

/// <summary>
/// Products with one dimension too small for the packed GEMM's 8 x 48 register tile, as in a 2-64-2 MLP (k = 2 or
/// n = 2 forward, m = 2 for a weight gradient): direct loops of row updates (axpy) or dot products over whichever
/// operand is laid out along the long dimension, reading each large operand once. Small operands with an awkward
/// layout are packed first; nothing here allocates on the managed heap.
/// </summary>
internal static unsafe class SmallGemm
{
    /// <summary>A dimension at or below this size makes a product "small".</summary>
    public const int SmallDimension = 16;

    /// <summary>Largest number of elements of a small operand packed on the stack.</summary>
    private const int StackPackLimit = 4096;

    /// <summary>
    /// C[m,n] = A[m,k] B[k,n] when a small-dimension layout applies (returns false otherwise, and the caller uses the
    /// packed GEMM). Strides are in elements.
    /// </summary>
    public static bool TryMultiply<T>(int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, long csB, T* c, long rsC, long csC)
        where T : unmanaged, INumber<T>
    {
        if (csC != 1 || m == 0 || n == 0) return false;
        if (k <= SmallDimension && k * n <= StackPackLimit)
        {
            RowUpdates(m, n, k, a, rsA, csA, b, rsB, csB, c, rsC);
            return true;
        }
        if (n <= SmallDimension && csA == 1 && n * k <= StackPackLimit)
        {
            RowDots(m, n, k, a, rsA, b, rsB, csB, c, rsC);
            return true;
        }
        if (n <= SmallDimension && rsA == 1 && m * n <= StackPackLimit)
        {
            ColumnUpdates(m, n, k, a, csA, b, rsB, csB, c, rsC);
            return true;
        }
        if (m <= SmallDimension && csB == 1 && m * k <= StackPackLimit)
        {
            AccumulateRows(m, n, k, a, rsA, csA, b, rsB, c, rsC);
            return true;
        }
        return false;
    }

    /// <summary>Small k: C[i,:] = sum_p A[i,p] B[p,:], with B's k rows packed contiguous.</summary>
    private static void RowUpdates<T>(int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, long csB, T* c, long rsC)
        where T : unmanaged, INumber<T>
    {
        T* packed = stackalloc T[k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) packed[p * n + j] = b[p * rsB + j * csB];
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * rsC, n);
            T* ai = a + i * rsA;
            if (k == 0)
            {
                row.Clear();
                continue;
            }
            TensorPrimitives.Multiply(new ReadOnlySpan<T>(packed, n), ai[0], row);
            for (int p = 1; p < k; p++) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(packed + p * n, n), ai[p * csA], row, row);
        }
    }

    /// <summary>Small n, A rows contiguous: C[i,j] = A[i,:] . B[:,j], with B's n columns packed contiguous.</summary>
    private static void RowDots<T>(int m, int n, int k, T* a, long rsA, T* b, long rsB, long csB, T* c, long rsC)
        where T : unmanaged, INumber<T>
    {
        T* columns = stackalloc T[n * k];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) columns[j * k + p] = b[p * rsB + j * csB];
        for (int i = 0; i < m; i++)
        {
            var ai = new ReadOnlySpan<T>(a + i * rsA, k);
            T* ci = c + i * rsC;
            for (int j = 0; j < n; j++) ci[j] = TensorPrimitives.Dot(ai, new ReadOnlySpan<T>(columns + j * k, k));
        }
    }

    /// <summary>Small n, A columns contiguous: column j of C accumulates B[p,j] * A[:,p] over p, reading A once.</summary>
    private static void ColumnUpdates<T>(int m, int n, int k, T* a, long csA, T* b, long rsB, long csB, T* c, long rsC)
        where T : unmanaged, INumber<T>
    {
        T* columns = stackalloc T[n * m];
        new Span<T>(columns, n * m).Clear();
        for (int p = 0; p < k; p++)
        {
            var ap = new ReadOnlySpan<T>(a + p * csA, m);
            for (int j = 0; j < n; j++)
            {
                var cj = new Span<T>(columns + j * m, m);
                TensorPrimitives.MultiplyAdd(ap, b[p * rsB + j * csB], cj, cj);
            }
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * rsC + j] = columns[j * m + i];
    }

    /// <summary>Small m, B rows contiguous: row i of C accumulates A[i,p] * B[p,:] over p, reading B once.</summary>
    private static void AccumulateRows<T>(int m, int n, int k, T* a, long rsA, long csA, T* b, long rsB, T* c, long rsC)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++) new Span<T>(c + i * rsC, n).Clear();
        for (int p = 0; p < k; p++)
        {
            var bp = new ReadOnlySpan<T>(b + p * rsB, n);
            for (int i = 0; i < m; i++)
            {
                var ci = new Span<T>(c + i * rsC, n);
                TensorPrimitives.MultiplyAdd(bp, a[i * rsA + p * csA], ci, ci);
            }
        }
    }
}
