using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Backends.Cpu;

/// <summary>
/// F32 tanh as a rational function of degree 13/6 on [-9, 9] (the minimax fit used by Eigen, XLA and ONNX Runtime's
/// MLAS; within a few float ulps of the true value), vectorised: about twice the speed of TensorPrimitives.Tanh, which
/// matters because a neural ODE's hidden layer spends much of its forward pass here. NaN stays NaN.
/// </summary>
internal static unsafe class FastTanh
{
    private const float Limit = 9f;
    private const float A13 = -2.76076847742355e-16f, A11 = 2.00018790482477e-13f, A9 = -8.60467152213735e-11f,
        A7 = 5.12229709037114e-08f, A5 = 1.48572235717979e-05f, A3 = 6.37261928875436e-04f, A1 = 4.89352455891786e-03f;
    private const float B6 = 1.19825839466702e-06f, B4 = 1.18534705686654e-04f, B2 = 2.26843463243900e-03f, B0 = 4.89352518554385e-03f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(float* x, float* y, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector(Vector256.Load(x + i)).Store(y + i);
        for (; i < n; i++) y[i] = Of(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Vector(Vector256<float> x)
    {
        // The native min and max (one instruction each) return their second operand when one is NaN, so NaN flows
        // through the clamp and the rational function unchanged.
        var v = Vector256.MinNative(Vector256.Create(Limit), Vector256.MaxNative(Vector256.Create(-Limit), x));
        var v2 = v * v;
        var p = Vector256.FusedMultiplyAdd(v2, Vector256.Create(A13), Vector256.Create(A11));
        p = Vector256.FusedMultiplyAdd(p, v2, Vector256.Create(A9));
        p = Vector256.FusedMultiplyAdd(p, v2, Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(p, v2, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(p, v2, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(p, v2, Vector256.Create(A1));
        var q = Vector256.FusedMultiplyAdd(v2, Vector256.Create(B6), Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(q, v2, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(q, v2, Vector256.Create(B0));
        return p * v / q;
    }

    /// <summary>The same approximation for one value, so strided and contiguous paths agree to the bit.</summary>
    public static float Of(float x) => Vector(Vector256.Create(x)).GetElement(0);
}
