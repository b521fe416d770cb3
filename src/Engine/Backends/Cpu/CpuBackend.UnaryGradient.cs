using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Engine.Ops;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>Elements per block of the fused gradients: the block's temporaries stay in L1.</summary>
    private const int GradientBlock = 512;

    public void UnaryGradient(UnaryOp op, BufferView g, BufferView saved, BufferView y, double alpha, double beta)
    {
        if (y.DType == DType.F32) UnaryGradientOf(op, g, saved, y, (float)alpha, (float)beta);
        else UnaryGradientOf(op, g, saved, y, alpha, beta);
    }

    private static void UnaryGradientOf<T>(UnaryOp op, BufferView g, BufferView saved, BufferView y, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long count = y.Count;
        if (count == 0) return;
        T* pg = (T*)g.Storage.Pointer, ps = (T*)saved.Storage.Pointer, py = (T*)y.Storage.Pointer;
        if (g.IsContiguous && saved.IsContiguous && y.IsContiguous)
        {
            int parts = ParallelPolicy.Parts(count, ParallelPolicy.Cost(op) + 2);
            var job = new UnaryGradientJob<T>(op, pg + g.Offset, ps + saved.Offset, py + y.Offset, count, ParallelPolicy.Chunk(count, parts), alpha, beta);
            WorkerPool.Run(ref job, parts);
            return;
        }
        StridedLoop.Run(y.Shape, [g, saved, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
                py[o[2] + i * s[2]] = ScalarMath.UnaryGradient(op, pg[o[0] + i * s[0]], ps[o[1] + i * s[1]], alpha, beta);
        });
    }

    private readonly struct UnaryGradientJob<T>(UnaryOp op, T* g, T* saved, T* y, long count, long chunk, T alpha, T beta) : IParallelJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int part)
        {
            long end = Math.Min(count, (part + 1) * chunk);
            for (long start = part * chunk; start < end; start += GradientBlock)
            {
                int n = (int)Math.Min(GradientBlock, end - start);
                UnaryGradientBlock(op, new ReadOnlySpan<T>(g + start, n), new ReadOnlySpan<T>(saved + start, n), new Span<T>(y + start, n), alpha, beta);
            }
        }
    }

    /// <summary>mask[i] = x[i] &gt; 0 ? 1 : 0.</summary>
    private static void PositiveMask<T>(ReadOnlySpan<T> x, Span<T> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
            for (; i + w <= x.Length; i += w)
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(x[i..]), Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero).CopyTo(mask[i..]);
        for (; i < x.Length; i++) mask[i] = x[i] > T.Zero ? T.One : T.Zero;
    }

    /// <summary>y = g (1 - s^2) for the saved output s of tanh, in one pass (a neural ODE's hidden layer runs it every evaluation).</summary>
    private static void TanhGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> s, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rg = ref MemoryMarshal.GetReference(g), rs = ref MemoryMarshal.GetReference(s), ry = ref MemoryMarshal.GetReference(y);
        int i = 0, w = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
            for (; i + w <= y.Length; i += w)
            {
                var v = Vector.LoadUnsafe(ref rs, (nuint)i);
                (Vector.LoadUnsafe(ref rg, (nuint)i) * (Vector<T>.One - v * v)).StoreUnsafe(ref ry, (nuint)i);
            }
        for (; i < y.Length; i++) y[i] = g[i] * (T.One - s[i] * s[i]);
    }

    /// <summary>y = g * op'(x) for one block, with SIMD through TensorPrimitives for the ops a neural network leans on.</summary>
    private static void UnaryGradientBlock<T>(UnaryOp op, ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> y, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (op == UnaryOp.Tanh)
        {
            TanhGradient(g, saved, y);
            return;
        }
        Span<T> t = stackalloc T[y.Length];
        switch (op)
        {
            case UnaryOp.Sigmoid: // g y (1 - y)
                TensorPrimitives.Subtract(T.One, saved, t);
                TensorPrimitives.Multiply(t, saved, t);
                TensorPrimitives.Multiply(g, t, y);
                return;
            case UnaryOp.Exp:
                TensorPrimitives.Multiply(g, saved, y);
                return;
            case UnaryOp.Square: // 2 g x
                TensorPrimitives.Multiply(g, saved, y);
                TensorPrimitives.Multiply(y, T.CreateTruncating(2), y);
                return;
            case UnaryOp.Log:
                TensorPrimitives.Divide(g, saved, y);
                return;
            case UnaryOp.Sqrt: // g / (2 y)
                TensorPrimitives.Divide(g, saved, y);
                TensorPrimitives.Multiply(y, T.CreateTruncating(0.5), y);
                return;
            case UnaryOp.Neg:
                TensorPrimitives.Negate(g, y);
                return;
            case UnaryOp.Relu: // g * (x > 0), as a product so a NaN gradient stays NaN like the unfused rule
                PositiveMask(saved, t);
                TensorPrimitives.Multiply(g, t, y);
                return;
            case UnaryOp.Softplus: // g sigmoid(x)
                TensorPrimitives.Sigmoid(saved, t);
                TensorPrimitives.Multiply(g, t, y);
                return;
            case UnaryOp.Sin: // g cos(x)
                TensorPrimitives.Cos(saved, t);
                TensorPrimitives.Multiply(g, t, y);
                return;
            default:
                for (int i = 0; i < y.Length; i++) y[i] = ScalarMath.UnaryGradient(op, g[i], saved[i], alpha, beta);
                return;
        }
    }
}
