using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Backends.Cpu;

/// <summary>
/// exp(x - shift) over a row, the inner loop of softmax and cross-entropy. F32 uses Cephes's expf (reduction to
/// r in [-ln2/2, ln2/2], a degree-6 polynomial, 2^n built in the exponent field; relative error about 2e-7)
/// vectorised and fused with the shift and the sum, so a row is read once instead of three times. Arguments below
/// -87.3 give exactly 0 (so masked -inf logits get probability 0) and NaN stays NaN. F64 uses TensorPrimitives. The
/// F32 Exp op uses the same function: it is our own code, so it runs at full speed whatever the runtime decides
/// about precompiled library code (TensorPrimitives.Exp ran 3x slower in some processes with tiered compilation off).
/// </summary>
internal static unsafe class FastExp
{
    private const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
        P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    private const float Lowest = -87.3f, Highest = 88.7228391f;

    /// <summary>y = exp(x) for F32 rows (the Exp op); the same approximation as the softmax rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(float* x, float* y, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector(Vector256.Load(x + i)).Store(y + i);
        for (; i < n; i++) y[i] = Of(x[i]);
    }

    /// <summary>The same approximation for one value, so strided and contiguous paths agree to the bit.</summary>
    public static float Of(float x) => Vector(Vector256.Create(x)).GetElement(0);

    /// <summary>y = exp(x - shift) for a row of n elements; returns the sum of y in double (x and y may be the same row).</summary>
    public static double ShiftedExp<T>(T* x, T shift, T* y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated) return ShiftedExp((float*)x, float.CreateTruncating(shift), (float*)y, n, store: true);
        var target = new Span<T>(y, n);
        TensorPrimitives.Subtract(new ReadOnlySpan<T>(x, n), shift, target);
        TensorPrimitives.Exp(target, target);
        return double.CreateTruncating(TensorPrimitives.Sum<T>(target));
    }

    /// <summary>The sum of exp(x - shift) over a row, in double, without writing anything.</summary>
    public static double SumOfShiftedExp<T>(T* x, T shift, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated) return ShiftedExp((float*)x, float.CreateTruncating(shift), null, n, store: false);
        const int block = 256;
        T* e = stackalloc T[block];
        double total = 0;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            var part = new Span<T>(e, count);
            TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + start, count), shift, part);
            TensorPrimitives.Exp(part, part);
            total += double.CreateTruncating(TensorPrimitives.Sum<T>(part));
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ShiftedExp(float* x, float shift, float* y, int n, bool store)
    {
        var s = Vector256.Create(shift);
        Vector256<double> total = Vector256<double>.Zero;
        int i = 0;
        while (i + 8 <= n)
        {
            // Up to 256 elements summed in float, then in double (as AccurateSum does).
            var block = Vector256<float>.Zero;
            int end = Math.Min(n & ~7, i + 256);
            for (; i < end; i += 8)
            {
                var e = NonPositive(Vector256.Load(x + i) - s);
                if (store) e.Store(y + i);
                block += e;
            }
            var (low, high) = Vector256.Widen(block);
            total += low + high;
        }
        double sum = Vector256.Sum(total);
        for (; i < n; i++)
        {
            float e = NonPositive(Vector256.Create(x[i] - shift)).GetElement(0);
            if (store) y[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>exp for arguments at most 0 (x - max, x - logsumexp): no overflow to handle, one scaling.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NonPositive(Vector256<float> x)
    {
        var v = Vector256.MaxNative(x, Vector256.Create(Lowest));
        var (e, n) = Reduced(v);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n) + Vector256.Create(127), 23).AsSingle();
        var result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256<float>.Zero, e * scale);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>exp(v) = e * 2^n with n = round(v / ln 2) and e = exp(v - n ln 2) from the polynomial.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> E, Vector256<float> N) Reduced(Vector256<float> v)
    {
        var n = Vector256.Floor(Vector256.FusedMultiplyAdd(v, Vector256.Create(Log2E), Vector256.Create(0.5f)));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), v);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        return (Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Vector(Vector256<float> x)
    {
        var v = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
        var (e, n) = Reduced(v);
        // 2^n as 2^k * 2^(n-k) with k = n/2, so n up to 128 (x up to ln of the largest float) stays finite.
        var exponent = Vector256.ConvertToInt32Native(n);
        var half = Vector256.ShiftRightArithmetic(exponent, 1);
        var scale1 = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        var scale2 = Vector256.ShiftLeft(exponent - half + Vector256.Create(127), 23).AsSingle();
        var result = e * scale1 * scale2;
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256<float>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Highest)), Vector256.Create(float.PositiveInfinity), result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }
}
