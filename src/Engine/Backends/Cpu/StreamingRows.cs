using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>
/// Arithmetic on the rows of a large broadcast op (<c>m + row</c> on a [4096, 4096] matrix) with streaming stores. A
/// plain store first reads the destination line into the cache (read-for-ownership), so a 64 MB result costs 128 MB
/// of traffic; a non-temporal store does not. TensorPrimitives streams on its own for spans over 256 KB, but a
/// broadcast op calls it once per row of a few KB, so these rows are written here instead.
/// </summary>
internal static unsafe class StreamingRows
{
    /// <summary>Results at least this large are streamed: beyond the caches, they would be evicted before use anyway.</summary>
    public const long MinBytes = 4L << 20;

    /// <summary>True when <paramref name="op"/> on a result of <paramref name="bytes"/> should take <see cref="TryApply"/>.</summary>
    public static bool Worth(BinaryOp op, long bytes) =>
        op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div && bytes >= MinBytes && Sse.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// y = op(a, b) over a row where a and b each have stride 1 or 0, with y 32-byte aligned; false (nothing written)
    /// when the row does not fit those conditions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryApply<T>(BinaryOp op, T* a, long strideA, T* b, long strideB, T* y, int n) where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) || ((nint)y & 31) != 0 || strideA > 1 || strideB > 1) return false;
        int w = Vector256<T>.Count, i = 0;
        for (; i + w <= n; i += w)
        {
            var x = strideA == 1 ? Vector256.Load(a + i) : Vector256.Create(*a);
            var z = strideB == 1 ? Vector256.Load(b + i) : Vector256.Create(*b);
            var r = op switch
            {
                BinaryOp.Add => x + z,
                BinaryOp.Sub => x - z,
                BinaryOp.Mul => x * z,
                _ => x / z,
            };
            Vector256.StoreAlignedNonTemporal(r, y + i);
        }
        for (; i < n; i++) y[i] = ScalarMath.Binary(op, a[i * strideA], b[i * strideB]);
        return true;
    }

    /// <summary>Orders this thread's streaming stores before whatever publishes the result.</summary>
    public static void Fence() => Sse.StoreFence();
}
