using System.Numerics;
using System.Numerics.Tensors;
using Engine.Ops;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Unary(UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        switch (x.DType)
        {
            case DType.F32: UnaryFloating(op, x, y, (float)alpha, (float)beta); break;
            case DType.F64: UnaryFloating(op, x, y, alpha, beta); break;
            case DType.I32: UnaryInteger(op, x, y, (int)alpha, (int)beta); break;
            case DType.I64: UnaryInteger(op, x, y, (long)alpha, (long)beta); break;
        }
    }

    private static void UnaryFloating<T>(UnaryOp op, BufferView x, BufferView y, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* px = (T*)x.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            if (s[0] == 1 && s[1] == 1 && UnarySpan(op, new ReadOnlySpan<T>(px + o[0], (int)n), new Span<T>(py + o[1], (int)n), alpha, beta))
                return;
            for (long i = 0; i < n; i++) py[o[1] + i * s[1]] = ScalarMath.Unary(op, px[o[0] + i * s[0]], alpha, beta);
        });
    }

    /// <summary>SIMD path for a contiguous row; false where the op has none and the scalar loop must run.</summary>
    private static bool UnarySpan<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y, T alpha, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); return true;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); return true;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); return true;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); return true;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); return true;
            case UnaryOp.Rsqrt: TensorPrimitives.Sqrt(x, y); TensorPrimitives.Divide(T.One, y, y); return true;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); return true;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); return true;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); return true;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); return true;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, y); return true;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, y); return true;
            case UnaryOp.Clamp: TensorPrimitives.Max(x, alpha, y); TensorPrimitives.Min(y, beta, y); return true;
            default: return false;
        }
    }

    private static void UnaryInteger<T>(UnaryOp op, BufferView x, BufferView y, T alpha, T beta)
        where T : unmanaged, IBinaryInteger<T>, ISignedNumber<T>
    {
        T* px = (T*)x.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++) py[o[1] + i * s[1]] = ScalarMath.UnaryInteger(op, px[o[0] + i * s[0]], alpha, beta);
        });
    }

    public void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        switch (a.DType)
        {
            case DType.F32: BinaryRows<float>(op, a, b, y); break;
            case DType.F64: BinaryRows<double>(op, a, b, y); break;
            case DType.I32: BinaryRows<int>(op, a, b, y); break;
            case DType.I64: BinaryRows<long>(op, a, b, y); break;
        }
    }

    private static void BinaryRows<T>(BinaryOp op, BufferView a, BufferView b, BufferView y) where T : unmanaged, INumber<T>
    {
        T* pa = (T*)a.Storage.Pointer, pb = (T*)b.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [a, b, y], (o, n, s) =>
        {
            if (s[2] == 1 && BinarySpan(op, pa + o[0], s[0], pb + o[1], s[1], new Span<T>(py + o[2], (int)n)))
                return;
            for (long i = 0; i < n; i++) py[o[2] + i * s[2]] = ScalarMath.Binary(op, pa[o[0] + i * s[0]], pb[o[1] + i * s[1]]);
        });
    }

    /// <summary>SIMD path where each input is a contiguous row or a single broadcast value.</summary>
    private static bool BinarySpan<T>(BinaryOp op, T* a, long strideA, T* b, long strideB, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (strideA > 1 || strideB > 1) return false;
        if (strideA == 0 && strideB == 0)
        {
            y.Fill(ScalarMath.Binary(op, *a, *b));
            return true;
        }
        if (op.IsComparison()) return CompareSpan(op, a, strideA, b, strideB, y);
        if (op == BinaryOp.Pow) return false;
        int n = y.Length;
        var spanA = new ReadOnlySpan<T>(a, n);
        var spanB = new ReadOnlySpan<T>(b, n);
        switch (op, strideA, strideB)
        {
            case (BinaryOp.Add, 1, 1): TensorPrimitives.Add(spanA, spanB, y); return true;
            case (BinaryOp.Add, 1, 0): TensorPrimitives.Add(spanA, *b, y); return true;
            case (BinaryOp.Add, 0, 1): TensorPrimitives.Add(spanB, *a, y); return true;
            case (BinaryOp.Sub, 1, 1): TensorPrimitives.Subtract(spanA, spanB, y); return true;
            case (BinaryOp.Sub, 1, 0): TensorPrimitives.Subtract(spanA, *b, y); return true;
            case (BinaryOp.Sub, 0, 1): TensorPrimitives.Subtract(*a, spanB, y); return true;
            case (BinaryOp.Mul, 1, 1): TensorPrimitives.Multiply(spanA, spanB, y); return true;
            case (BinaryOp.Mul, 1, 0): TensorPrimitives.Multiply(spanA, *b, y); return true;
            case (BinaryOp.Mul, 0, 1): TensorPrimitives.Multiply(spanB, *a, y); return true;
            case (BinaryOp.Div, 1, 1): TensorPrimitives.Divide(spanA, spanB, y); return true;
            case (BinaryOp.Div, 1, 0): TensorPrimitives.Divide(spanA, *b, y); return true;
            case (BinaryOp.Div, 0, 1): TensorPrimitives.Divide(*a, spanB, y); return true;
            case (BinaryOp.Maximum, 1, 1): TensorPrimitives.Max(spanA, spanB, y); return true;
            case (BinaryOp.Maximum, 1, 0): TensorPrimitives.Max(spanA, *b, y); return true;
            case (BinaryOp.Maximum, 0, 1): TensorPrimitives.Max(spanB, *a, y); return true;
            case (BinaryOp.Minimum, 1, 1): TensorPrimitives.Min(spanA, spanB, y); return true;
            case (BinaryOp.Minimum, 1, 0): TensorPrimitives.Min(spanA, *b, y); return true;
            case (BinaryOp.Minimum, 0, 1): TensorPrimitives.Min(spanB, *a, y); return true;
            default: return false;
        }
    }

    /// <summary>Comparisons of a row with a row or a broadcast value, as 1 or 0 in T: the lane mask ANDed with the bits of one.</summary>
    private static bool CompareSpan<T>(BinaryOp op, T* a, long strideA, T* b, long strideB, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!Vector.IsHardwareAccelerated || !Vector<T>.IsSupported) return false;
        int n = y.Length, width = Vector<T>.Count, i = 0;
        var one = Vector<T>.One;
        fixed (T* target = y)
        {
            for (; i <= n - width; i += width)
            {
                var va = strideA == 1 ? Vector.Load(a + i) : new Vector<T>(*a);
                var vb = strideB == 1 ? Vector.Load(b + i) : new Vector<T>(*b);
                var mask = op switch
                {
                    BinaryOp.Equal => Vector.Equals(va, vb),
                    BinaryOp.NotEqual => ~Vector.Equals(va, vb),
                    BinaryOp.Less => Vector.LessThan(va, vb),
                    BinaryOp.LessEqual => Vector.LessThanOrEqual(va, vb),
                    BinaryOp.Greater => Vector.GreaterThan(va, vb),
                    _ => Vector.GreaterThanOrEqual(va, vb),
                };
                (mask & one).Store(target + i);
            }
            for (; i < n; i++) target[i] = ScalarMath.Binary(op, a[i * strideA], b[i * strideB]);
        }
        return true;
    }

    public void BinaryScalar(BinaryOp op, BufferView a, double scalar, BufferView y, bool scalarFirst)
    {
        var s = Allocate(a.DType, 1);
        try
        {
            var scalarView = new BufferView(s, [], [], 0);
            Fill(scalarView, scalar);
            var broadcast = scalarView.BroadcastTo(y.Shape);
            if (scalarFirst) Binary(op, broadcast, a, y);
            else Binary(op, a, broadcast, y);
        }
        finally
        {
            s.Release();
        }
    }

    public void Where(BufferView condition, BufferView a, BufferView b, BufferView y)
    {
        switch (condition.DType)
        {
            case DType.F32: WhereOf<float>(condition, a, b, y); break;
            case DType.F64: WhereOf<double>(condition, a, b, y); break;
            case DType.I32: WhereOf<int>(condition, a, b, y); break;
            case DType.I64: WhereOf<long>(condition, a, b, y); break;
        }
    }

    private static void WhereOf<TCondition>(BufferView condition, BufferView a, BufferView b, BufferView y)
        where TCondition : unmanaged, INumber<TCondition>
    {
        switch (a.DType)
        {
            case DType.F32: WhereRows<TCondition, float>(condition, a, b, y); break;
            case DType.F64: WhereRows<TCondition, double>(condition, a, b, y); break;
            case DType.I32: WhereRows<TCondition, int>(condition, a, b, y); break;
            case DType.I64: WhereRows<TCondition, long>(condition, a, b, y); break;
        }
    }

    private static void WhereRows<TCondition, T>(BufferView condition, BufferView a, BufferView b, BufferView y)
        where TCondition : unmanaged, INumber<TCondition> where T : unmanaged
    {
        TCondition* pc = (TCondition*)condition.Storage.Pointer;
        T* pa = (T*)a.Storage.Pointer, pb = (T*)b.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [condition, a, b, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
                py[o[3] + i * s[3]] = pc[o[0] + i * s[0]] != TCondition.Zero ? pa[o[1] + i * s[1]] : pb[o[2] + i * s[2]];
        });
    }

    public void LinearCombination(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y)
    {
        if (y.DType == DType.F32) LinearCombinationOf<float>(x0, coefficients, xs, y);
        else LinearCombinationOf<double>(x0, coefficients, xs, y);
    }

    private const int CombinationBlock = 4096;

    private static void LinearCombinationOf<T>(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new T[coefficients.Length];
        for (int i = 0; i < c.Length; i++) c[i] = T.CreateTruncating(coefficients[i]);
        var terms = xs.ToArray();
        bool contiguous = x0.IsContiguous && y.IsContiguous && Array.TrueForAll(terms, t => t.IsContiguous);
        if (!contiguous)
        {
            CopySame<T>(x0, y);
            for (int i = 0; i < terms.Length; i++) AccumulateScaled(terms[i], c[i], y);
            return;
        }
        // One pass: each block of y stays in L1 while every term is added to it.
        long count = y.Count, blocks = (count + CombinationBlock - 1) / CombinationBlock;
        int workers = count >= StridedLoop.ParallelThreshold ? Environment.ProcessorCount : 1;
        long perWorker = (blocks + workers - 1) / workers;
        StridedLoop.Parallelize(workers, w =>
        {
            for (long block = w * perWorker; block < Math.Min(blocks, (w + 1) * perWorker); block++)
            {
                long start = block * CombinationBlock;
                int n = (int)Math.Min(CombinationBlock, count - start);
                var target = new Span<T>(Address<T>(y, y.Offset + start), n);
                new ReadOnlySpan<T>(Address<T>(x0, x0.Offset + start), n).CopyTo(target);
                for (int i = 0; i < terms.Length; i++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(Address<T>(terms[i], terms[i].Offset + start), n), c[i], target, target);
            }
        });
    }

    private static void AccumulateScaled<T>(BufferView x, T c, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* px = (T*)x.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++) py[o[1] + i * s[1]] += c * px[o[0] + i * s[0]];
        });
    }
}
