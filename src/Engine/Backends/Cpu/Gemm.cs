using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Backends.Cpu;

/// <summary>Blocked, packed GEMM (Goto/BLIS style) for F32 and F64.</summary>
/// <remarks>
/// B is processed in column panels sized to stay in L3 (one panel usually covers all of B). A panel is packed once, as
/// KC-deep slices of NR-wide micro-panels, and shared by all threads. C is covered by row stripes (column stripes when
/// m is small); for every slice a stripe packs its MC x KC block of A (sized for L2) and sweeps it against the slice's
/// KC x NR micro-panels (sized for L1) with the register-blocked <see cref="GemmMicroKernel{T}"/>. Packing absorbs
/// arbitrary strides and zero-pads partial panels, so the microkernel always computes full tiles; partial tiles, and C
/// with a non-unit column stride, are written back through a small temporary tile. The hot methods are marked
/// AggressiveOptimization so that the first calls already run optimized code rather than tier-0 code.
/// </remarks>
internal static unsafe class Gemm
{
    // Below this many multiply-adds (128^3, the measured break-even on 2 cores) a second thread does not pay for itself.
    private const long MinParallelWork = 128L * 128 * 128;

    // Upper bound on one packed B column panel (all of K), so it stays in L3 while every row stripe streams through it.
    private const long PanelBytes = 8L << 20;

    [ThreadStatic]
    private static NativeBuffer? t_packedB;

    [ThreadStatic]
    private static NativeBuffer? t_packedA;

    /// <summary>
    /// C[m,n] = A[m,k] * B[k,n] for F32 (overwrites C), plus the row <paramref name="bias"/>[n] when given. Strides are in
    /// elements and may be any positive value.
    /// </summary>
    public static void Multiply(int m, int n, int k, float* a, long rowStrideA, long colStrideA,
        float* b, long rowStrideB, long colStrideB, float* c, long rowStrideC, long colStrideC, int maxThreads, float* bias = null) =>
        Run<float>(m, n, k, new(a, rowStrideA, colStrideA), new(b, rowStrideB, colStrideB), new(c, rowStrideC, colStrideC), maxThreads, bias);

    /// <summary>C[m,n] = A[m,k] * B[k,n] for F64 (overwrites C), plus the row <paramref name="bias"/>[n] when given.</summary>
    public static void Multiply(int m, int n, int k, double* a, long rowStrideA, long colStrideA,
        double* b, long rowStrideB, long colStrideB, double* c, long rowStrideC, long colStrideC, int maxThreads, double* bias = null) =>
        Run<double>(m, n, k, new(a, rowStrideA, colStrideA), new(b, rowStrideB, colStrideB), new(c, rowStrideC, colStrideC), maxThreads, bias);

    private static void Run<T>(int m, int n, int k, StridedMatrix<T> a, StridedMatrix<T> b, StridedMatrix<T> c, int maxThreads, T* bias)
        where T : unmanaged, INumber<T>
    {
        if (SmallGemm.TryMultiply(m, n, k, a.Data, a.RowStride, a.ColStride, b.Data, b.RowStride, b.ColStride, c.Data, c.RowStride, c.ColStride, bias))
            return;
        Run(m, n, k, a, b, c, maxThreads);
        if (bias is null || m == 0) return;
        var row = new ReadOnlySpan<T>(bias, n);
        for (int i = 0; i < m; i++)
        {
            if (c.ColStride == 1)
            {
                var target = new Span<T>(c.Data + i * c.RowStride, n);
                System.Numerics.Tensors.TensorPrimitives.Add(target, row, target);
                continue;
            }
            for (int j = 0; j < n; j++) c.Data[i * c.RowStride + j * c.ColStride] += bias[j];
        }
    }

    private static void Run<T>(int m, int n, int k, StridedMatrix<T> a, StridedMatrix<T> b, StridedMatrix<T> c, int maxThreads)
        where T : unmanaged, INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            GemmPacking.Zero(m, n, c);
            return;
        }

        int threads = (long)m * n * k < MinParallelWork ? 1 : Math.Clamp(maxThreads, 1, Environment.ProcessorCount);
        int panelCount = (int)Math.Max(1, DivCeil((long)n * k * sizeof(T), PanelBytes));
        int panelWidth = RoundUp(DivCeil(n, panelCount), GemmMicroKernel<T>.Nr);
        T* packedB = (T*)(t_packedB ??= new NativeBuffer()).Ensure((long)panelWidth * k * sizeof(T));

        for (int jc = 0; jc < n; jc += panelWidth)
        {
            var panel = new Panel<T>(m, Math.Min(panelWidth, n - jc), k, a, b.Offset(0, jc), c.Offset(0, jc), packedB);
            if (threads == 1)
                panel.RunSequential();
            else
                panel.RunParallel(threads);
        }
    }

    /// <summary>
    /// One column panel of the product, C[:, panel] = A * B[:, panel]. B is packed into a buffer laid out as
    /// consecutive KC slices, each a row of <see cref="GemmPacking.PackB{T}"/> micro-panels.
    /// </summary>
    private readonly struct Panel<T> where T : unmanaged, INumber<T>
    {
        private readonly int _m, _n, _k, _paddedWidth;
        private readonly StridedMatrix<T> _a, _b, _c;
        private readonly T* _packedB;

        public Panel(int m, int n, int k, StridedMatrix<T> a, StridedMatrix<T> b, StridedMatrix<T> c, T* packedB)
        {
            (_m, _n, _k, _a, _b, _c) = (m, n, k, a, b, c);
            _packedB = packedB;
            _paddedWidth = RoundUp(n, GemmMicroKernel<T>.Nr);
        }

        private static int Mr => GemmMicroKernel<T>.Mr;

        private static int Nr => GemmMicroKernel<T>.Nr;

        // The packed A block (MC x KC: 192 KiB for F32, 384 KiB for F64 with AVX-512) stays in L2.
        private static int Mc => 32 * Mr;

        private int Slices => DivCeil(_k, GemmMicroKernel<T>.Kc);

        public void RunSequential()
        {
            for (int slice = 0; slice < Slices; slice++)
                PackSlice(slice);
            Compute(0, _m, 0, _n);
        }

        /// <summary>
        /// Packs the B slices, then splits C into row stripes (column stripes when there are too few rows) at least
        /// 4 register tiles wide, so each packed micro-panel loaded into L1 is still reused a few times.
        /// </summary>
        public void RunParallel(int threads)
        {
            Panel<T> self = this;
            ForEachChunk(Slices, threads, 1, 1, 1, (slice, _) => self.PackSlice(slice));
            if (_m >= 2 * threads * 4 * Mr)
                ForEachChunk(_m, threads, Mr, 4 * Mr, Mc, (row0, rows) => self.Compute(row0, rows, 0, self._n));
            else
                ForEachChunk(_n, threads, Nr, 4 * Nr, _n, (col0, cols) => self.Compute(0, self._m, col0, cols));
        }

        private void PackSlice(int slice)
        {
            int pc = slice * GemmMicroKernel<T>.Kc;
            int kc = Math.Min(GemmMicroKernel<T>.Kc, _k - pc);
            GemmPacking.PackB(kc, _n, Nr, _b.Offset(pc, 0), _packedB + (long)pc * _paddedWidth);
        }

        /// <summary>C[rows, cols] of this panel; col0 must be a multiple of NR (the packed B micro-panel width).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Compute(int row0, int rows, int col0, int cols)
        {
            int kcMax = GemmMicroKernel<T>.Kc;
            long packedACount = (long)RoundUp(Math.Min(rows, Mc), Mr) * kcMax;
            T* packedA = (T*)(t_packedA ??= new NativeBuffer()).Ensure((packedACount + Mr * Nr) * sizeof(T));
            T* tile = packedA + packedACount;

            for (int pc = 0; pc < _k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, _k - pc);
                T* packedB = _packedB + (long)pc * _paddedWidth + (long)col0 * kc;
                for (int ic = row0; ic < row0 + rows; ic += Mc)
                {
                    int mc = Math.Min(Mc, row0 + rows - ic);
                    GemmPacking.PackA(mc, kc, Mr, _a.Offset(ic, pc), packedA);
                    MacroKernel(mc, cols, kc, packedA, packedB, _c.Offset(ic, col0), accumulate: pc > 0, tile);
                }
            }
        }
    }

    /// <summary>
    /// Runs body(start, size) over chunks covering [0, extent) on up to <paramref name="threads"/> threads. Chunks are
    /// handed out on demand and shrink as work runs out (guided scheduling), so threads finish close together even
    /// when one of them starts late or shares its core with other load.
    /// </summary>
    private static void ForEachChunk(int extent, int threads, int granule, int minChunk, int maxChunk, Action<int, int> body)
    {
        int next = 0;
        int workers = Math.Min(threads, DivCeil(extent, minChunk));
        WorkerPool.For(workers, _ =>
        {
            while (true)
            {
                int start = Volatile.Read(ref next);
                if (start >= extent)
                    return;
                int remaining = extent - start;
                int size = Math.Min(remaining, Math.Clamp(RoundUp(remaining / (2 * threads), granule), minChunk, Math.Max(minChunk, maxChunk)));
                if (Interlocked.CompareExchange(ref next, start + size, start) == start)
                    body(start, size);
            }
        });
    }

    /// <summary>Multiplies a packed rows x kc block of A by packed kc x cols micro-panels of B into C, one register tile at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel<T>(int rows, int cols, int kc, T* packedA, T* packedB, StridedMatrix<T> c, bool accumulate, T* tile)
        where T : unmanaged, INumber<T>
    {
        int mr = GemmMicroKernel<T>.Mr, nr = GemmMicroKernel<T>.Nr;
        for (int jr = 0; jr < cols; jr += nr)
        {
            int tileCols = Math.Min(nr, cols - jr);
            T* bPanel = packedB + (long)jr * kc;
            for (int ir = 0; ir < rows; ir += mr)
            {
                int tileRows = Math.Min(mr, rows - ir);
                T* aPanel = packedA + (long)ir * GemmMicroKernel<T>.Kc;
                StridedMatrix<T> cTile = c.Offset(ir, jr);
                if (tileRows == mr && tileCols == nr && c.ColStride == 1)
                {
                    GemmMicroKernel<T>.Run(kc, aPanel, bPanel, cTile.Data, c.RowStride, accumulate);
                }
                else
                {
                    GemmMicroKernel<T>.Run(kc, aPanel, bPanel, tile, nr, accumulate: false);
                    GemmPacking.StoreTile(tileRows, tileCols, tile, nr, cTile, accumulate);
                }
            }
        }
    }

    private static int DivCeil(int value, int divisor) => (value + divisor - 1) / divisor;

    private static long DivCeil(long value, long divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => DivCeil(value, multiple) * multiple;

    /// <summary>
    /// Per-thread 64-byte-aligned native memory, grown on demand and reused across calls. The finalizer returns it
    /// to the native heap once the owning thread has exited and the buffer is unreachable.
    /// </summary>
    private sealed class NativeBuffer
    {
        private void* _memory;
        private long _bytes;

        public void* Ensure(long bytes)
        {
            if (_bytes < bytes)
            {
                NativeMemory.AlignedFree(_memory);
                _memory = null;
                _bytes = 0;
                _memory = NativeMemory.AlignedAlloc((nuint)bytes, 64);
                _bytes = bytes;
            }
            return _memory;
        }

        ~NativeBuffer() => NativeMemory.AlignedFree(_memory);
    }
}

/// <summary>A pointer to element (0,0) plus row and column strides in elements.</summary>
internal readonly unsafe struct StridedMatrix<T>(T* data, long rowStride, long colStride) where T : unmanaged
{
    public T* Data { get; } = data;
    public long RowStride { get; } = rowStride;
    public long ColStride { get; } = colStride;

    public StridedMatrix<T> Offset(int row, int col) => new(Data + row * RowStride + col * ColStride, RowStride, ColStride);
}
