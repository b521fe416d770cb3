using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Backends.Cpu;

/// <summary>
/// Copies strided blocks of A and B into the contiguous, zero-padded panel layouts the GEMM microkernel reads,
/// and writes partial result tiles back to strided C.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs an mc x kc block of A into ceil(mc/mr) panels of mr rows; element (r, p) of a panel lands at
    /// r * <see cref="GemmMicroKernel{T}.Kc"/> + p. Rows past mc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(int mc, int kc, int mr, StridedMatrix<T> a, T* dest) where T : unmanaged, INumber<T>
    {
        int rowStride = GemmMicroKernel<T>.Kc;
        for (int i0 = 0; i0 < mc; i0 += mr, dest += (long)mr * rowStride)
        {
            int rows = Math.Min(mr, mc - i0);
            for (int r = 0; r < mr; r++)
            {
                T* target = dest + (long)r * rowStride;
                if (r < rows)
                    CopyLine(kc, a.Data + (i0 + r) * a.RowStride, a.ColStride, target);
                else
                    new Span<T>(target, kc).Clear();
            }
        }
    }

    /// <summary>
    /// Packs a kc x nc block of B into ceil(nc/nr) panels of nr columns; element (p, j) of a panel lands at
    /// p * nr + j, so the kernel reads the nr values of one k-step contiguously. Columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(int kc, int nc, int nr, StridedMatrix<T> b, T* dest) where T : unmanaged, INumber<T>
    {
        // Row by row, so a row-major B is read sequentially; the panels are written as nc/nr parallel streams.
        long panelSize = (long)nr * kc;
        for (int p = 0; p < kc; p++)
        {
            T* source = b.Data + p * b.RowStride;
            T* target = dest + (long)p * nr;
            for (int j0 = 0; j0 < nc; j0 += nr, target += panelSize)
            {
                int cols = Math.Min(nr, nc - j0);
                CopyLine(cols, source + j0 * b.ColStride, b.ColStride, target);
                if (cols < nr)
                    new Span<T>(target + cols, nr - cols).Clear();
            }
        }
    }

    /// <summary>Copies count elements spaced stride apart into contiguous dest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyLine<T>(int count, T* source, long stride, T* dest) where T : unmanaged
    {
        int i = 0;
        if (stride == 1)
        {
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
                Vector512.Load(source + i).Store(dest + i);
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
                Vector256.Load(source + i).Store(dest + i);
        }
        for (; i < count; i++)
            dest[i] = source[i * stride];
    }

    /// <summary>Stores (or adds, when accumulating) the leading rows x cols part of a tile with row stride ldt into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreTile<T>(int rows, int cols, T* tile, int ldt, StridedMatrix<T> c, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* source = tile + i * ldt;
            T* target = c.Data + i * c.RowStride;
            for (int j = 0; j < cols; j++)
            {
                ref T element = ref target[j * c.ColStride];
                element = accumulate ? element + source[j] : source[j];
            }
        }
    }

    /// <summary>Sets an m x n block of C to zero.</summary>
    public static void Zero<T>(int m, int n, StridedMatrix<T> c) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            T* row = c.Data + i * c.RowStride;
            if (c.ColStride == 1)
            {
                new Span<T>(row, n).Clear();
                continue;
            }
            for (int j = 0; j < n; j++)
                row[j * c.ColStride] = T.Zero;
        }
    }
}
