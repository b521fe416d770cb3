using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Backends.Cpu;

/// <summary>
/// Register-blocked GEMM microkernels computing one MR x NR tile of C from a packed A panel (MR rows of kc values,
/// row stride <see cref="Kc"/>) and a packed B panel (kc rows of NR values). The widest accelerated instruction set
/// is chosen at JIT time, so the other paths compile away:
/// <list type="bullet">
/// <item>AVX-512: 8 x (3 vectors), 24 of the 32 zmm registers as accumulators (8 x 48 for F32, 8 x 24 for F64).</item>
/// <item>AVX2 + FMA: 6 x (2 vectors), 12 of the 16 ymm registers as accumulators.</item>
/// <item>Otherwise a scalar 4 x 4 kernel.</item>
/// </list>
/// Each k-step loads the NR values of B as vectors and broadcasts each of the MR values of A against them.
/// </summary>
internal static unsafe class GemmMicroKernel<T> where T : unmanaged, INumber<T>
{
    /// <summary>
    /// Depth of one K block, and the row stride of packed A panels: being a constant, the kernel reaches all MR rows
    /// of A through immediate offsets from a single pointer. 192 keeps a packed B micro-panel (KC x NR) in L1.
    /// </summary>
    public const int Kc = 192;

    private const int ScalarTile = 4;

    private static bool UseVector512 => Vector512.IsHardwareAccelerated;

    private static bool UseVector256 => !UseVector512 && Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Rows of C per tile.</summary>
    public static int Mr => UseVector512 ? 8 : UseVector256 ? 6 : ScalarTile;

    /// <summary>Columns of C per tile.</summary>
    public static int Nr => UseVector512 ? 3 * Vector512<T>.Count : UseVector256 ? 2 * Vector256<T>.Count : ScalarTile;

    /// <summary>C[0..MR, 0..NR] (+)= A panel * B panel over kc steps; c has unit column stride and row stride ldc.</summary>
    /// <remarks>
    /// The kernels are never inlined: their 24 accumulators need every vector register, and inlined into a caller
    /// with live values of its own the register allocator starts spilling accumulators inside the k loop.
    /// </remarks>
    public static void Run(int kc, T* packA, T* packB, T* c, long ldc, bool accumulate)
    {
        if (UseVector512)
            Kernel512(kc, packA, packB, c, ldc, accumulate);
        else if (UseVector256)
            Kernel256(kc, packA, packB, c, ldc, accumulate);
        else
            KernelScalar(kc, packA, packB, c, ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, T* packA, T* packB, T* c, long ldc, bool accumulate)
    {
        int width = Vector512<T>.Count;
        PrefetchTile(c, ldc, 8, 3 * width);
        Vector512<T> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<T> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        for (int p = 0; p < kc; p++, packA++, packB += 3 * width)
        {
            Vector512<T> b0 = Vector512.Load(packB), b1 = Vector512.Load(packB + width), b2 = Vector512.Load(packB + 2 * width);
            MultiplyAddRow(packA[0 * Kc], b0, b1, b2, ref c00, ref c01, ref c02);
            MultiplyAddRow(packA[1 * Kc], b0, b1, b2, ref c10, ref c11, ref c12);
            MultiplyAddRow(packA[2 * Kc], b0, b1, b2, ref c20, ref c21, ref c22);
            MultiplyAddRow(packA[3 * Kc], b0, b1, b2, ref c30, ref c31, ref c32);
            MultiplyAddRow(packA[4 * Kc], b0, b1, b2, ref c40, ref c41, ref c42);
            MultiplyAddRow(packA[5 * Kc], b0, b1, b2, ref c50, ref c51, ref c52);
            MultiplyAddRow(packA[6 * Kc], b0, b1, b2, ref c60, ref c61, ref c62);
            MultiplyAddRow(packA[7 * Kc], b0, b1, b2, ref c70, ref c71, ref c72);
        }
        StoreRow(c + 0 * ldc, c00, c01, c02, accumulate);
        StoreRow(c + 1 * ldc, c10, c11, c12, accumulate);
        StoreRow(c + 2 * ldc, c20, c21, c22, accumulate);
        StoreRow(c + 3 * ldc, c30, c31, c32, accumulate);
        StoreRow(c + 4 * ldc, c40, c41, c42, accumulate);
        StoreRow(c + 5 * ldc, c50, c51, c52, accumulate);
        StoreRow(c + 6 * ldc, c60, c61, c62, accumulate);
        StoreRow(c + 7 * ldc, c70, c71, c72, accumulate);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, T* packA, T* packB, T* c, long ldc, bool accumulate)
    {
        int width = Vector256<T>.Count;
        PrefetchTile(c, ldc, 6, 2 * width);
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, packA++, packB += 2 * width)
        {
            Vector256<T> b0 = Vector256.Load(packB), b1 = Vector256.Load(packB + width);
            MultiplyAddRow(packA[0 * Kc], b0, b1, ref c00, ref c01);
            MultiplyAddRow(packA[1 * Kc], b0, b1, ref c10, ref c11);
            MultiplyAddRow(packA[2 * Kc], b0, b1, ref c20, ref c21);
            MultiplyAddRow(packA[3 * Kc], b0, b1, ref c30, ref c31);
            MultiplyAddRow(packA[4 * Kc], b0, b1, ref c40, ref c41);
            MultiplyAddRow(packA[5 * Kc], b0, b1, ref c50, ref c51);
        }
        StoreRow(c + 0 * ldc, c00, c01, accumulate);
        StoreRow(c + 1 * ldc, c10, c11, accumulate);
        StoreRow(c + 2 * ldc, c20, c21, accumulate);
        StoreRow(c + 3 * ldc, c30, c31, accumulate);
        StoreRow(c + 4 * ldc, c40, c41, accumulate);
        StoreRow(c + 5 * ldc, c50, c51, accumulate);
    }

    private static void KernelScalar(int kc, T* packA, T* packB, T* c, long ldc, bool accumulate)
    {
        T* sums = stackalloc T[ScalarTile * ScalarTile];
        new Span<T>(sums, ScalarTile * ScalarTile).Clear();
        for (int p = 0; p < kc; p++, packA++, packB += ScalarTile)
        {
            for (int i = 0; i < ScalarTile; i++)
            {
                for (int j = 0; j < ScalarTile; j++)
                    sums[i * ScalarTile + j] += packA[i * Kc] * packB[j];
            }
        }
        for (int i = 0; i < ScalarTile; i++)
        {
            for (int j = 0; j < ScalarTile; j++)
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sums[i * ScalarTile + j] : sums[i * ScalarTile + j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAddRow(T a, Vector512<T> b0, Vector512<T> b1, Vector512<T> b2,
        ref Vector512<T> c0, ref Vector512<T> c1, ref Vector512<T> c2)
    {
        Vector512<T> broadcast = Vector512.Create(a);
        c0 = MultiplyAdd(broadcast, b0, c0);
        c1 = MultiplyAdd(broadcast, b1, c1);
        c2 = MultiplyAdd(broadcast, b2, c2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAddRow(T a, Vector256<T> b0, Vector256<T> b1, ref Vector256<T> c0, ref Vector256<T> c1)
    {
        Vector256<T> broadcast = Vector256.Create(a);
        c0 = MultiplyAdd(broadcast, b0, c0);
        c1 = MultiplyAdd(broadcast, b1, c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, bool accumulate)
    {
        int width = Vector512<T>.Count;
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + width);
            v2 += Vector512.Load(c + 2 * width);
        }
        v0.Store(c);
        v1.Store(c + width);
        v2.Store(c + 2 * width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, Vector256<T> v0, Vector256<T> v1, bool accumulate)
    {
        int width = Vector256<T>.Count;
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + width);
        }
        v0.Store(c);
        v1.Store(c + width);
    }

    /// <summary>
    /// Requests the C tile into L1 before the k loop, so its load (when accumulating) and store do not stall at the
    /// end; rows of C are often a power-of-two bytes apart and conflict in cache, so they are rarely still resident.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(T* c, long ldc, int rows, int cols)
    {
        if (!Sse.IsSupported)
            return;
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < cols; j += 64 / sizeof(T))
                Sse.Prefetch0(c + r * ldc + j);
        }
    }
}
