using System.Numerics;
using System.Numerics.Tensors;
using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>
/// Elementwise ops. Contiguous results whose operands are contiguous, a broadcast scalar, row or column take a
/// row-wise fast path: struct jobs on the <see cref="WorkerPool"/>, SIMD through TensorPrimitives, no per-call
/// allocation. Everything else goes through <see cref="StridedLoop"/>, with <see cref="ScalarMath"/> as the
/// definition of every op.
/// </summary>
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
        if (y.Count == 0) return;
        if (x.IsContiguous && y.IsContiguous)
        {
            long count = y.Count;
            int parts = ParallelPolicy.Parts(count, ParallelPolicy.Cost(op));
            var job = new UnaryJob<T>(op, px + x.Offset, py + y.Offset, count, ParallelPolicy.Chunk(count, parts), alpha, beta);
            WorkerPool.Run(ref job, parts);
            return;
        }
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            if (s[0] == 1 && s[1] == 1)
            {
                UnaryRow(op, px + o[0], py + o[1], (int)n, alpha, beta);
                return;
            }
            for (long i = 0; i < n; i++) py[o[1] + i * s[1]] = ScalarMath.Unary(op, px[o[0] + i * s[0]], alpha, beta);
        });
    }

    private readonly struct UnaryJob<T>(UnaryOp op, T* x, T* y, long count, long chunk, T alpha, T beta) : IParallelJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int part)
        {
            long start = part * chunk;
            UnaryRow(op, x + start, y + start, (int)Math.Min(chunk, count - start), alpha, beta);
        }
    }

    /// <summary>y = op(x) over one contiguous row: SIMD where TensorPrimitives has the op, the scalar definition otherwise.</summary>
    private static void UnaryRow<T>(UnaryOp op, T* px, T* py, int n, T alpha, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new ReadOnlySpan<T>(px, n);
        var y = new Span<T>(py, n);
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); return;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); return;
            case UnaryOp.Exp when typeof(T) == typeof(float): FastExp.Apply((float*)px, (float*)py, n); return;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); return;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); return;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); return;
            case UnaryOp.Rsqrt: TensorPrimitives.Sqrt(x, y); TensorPrimitives.Divide(T.One, y, y); return;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); return;
            case UnaryOp.Tanh when typeof(T) == typeof(float): FastTanh.Apply((float*)px, (float*)py, n); return;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); return;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); return;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); return;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, y); return;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, y); return;
            case UnaryOp.Clamp: TensorPrimitives.Max(x, alpha, y); TensorPrimitives.Min(y, beta, y); return;
            default:
                for (int i = 0; i < n; i++) py[i] = ScalarMath.Unary(op, px[i], alpha, beta);
                return;
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
            case DType.F32: BinaryOf<float>(op, a, b, y); break;
            case DType.F64: BinaryOf<double>(op, a, b, y); break;
            case DType.I32: BinaryOf<int>(op, a, b, y); break;
            case DType.I64: BinaryOf<long>(op, a, b, y); break;
        }
    }

    private static void BinaryOf<T>(BinaryOp op, BufferView a, BufferView b, BufferView y) where T : unmanaged, INumber<T>
    {
        if (y.Count == 0) return;
        T* pa = (T*)a.Storage.Pointer + a.Offset, pb = (T*)b.Storage.Pointer + b.Offset, py = (T*)y.Storage.Pointer + y.Offset;
        if (y.IsContiguous && RowLayout.TryOf(a, b, out var la, out var lb, out long outer, out long inner))
        {
            long count = outer * inner;
            int parts = ParallelPolicy.Parts(count, ParallelPolicy.Cost(op));
            var job = new BinaryJob<T>(op, pa, la, pb, lb, py, outer, inner, parts);
            WorkerPool.Run(ref job, job.Parts);
            return;
        }
        pa -= a.Offset;
        pb -= b.Offset;
        py -= y.Offset;
        StridedLoop.Run(y.Shape, [a, b, y], (o, n, s) =>
        {
            if (s[2] == 1 && s[0] <= 1 && s[1] <= 1)
            {
                BinaryRow(op, pa + o[0], s[0], pb + o[1], s[1], py + o[2], (int)n);
                return;
            }
            for (long i = 0; i < n; i++) py[o[2] + i * s[2]] = ScalarMath.Binary(op, pa[o[0] + i * s[0]], pb[o[1] + i * s[1]]);
        });
    }

    /// <summary>y[i, j] = op(a[i, j], b[i, j]) over a contiguous [outer, inner] result, in parts of whole rows or of one long row.</summary>
    private readonly struct BinaryJob<T> : IParallelJob where T : unmanaged, INumber<T>
    {
        private readonly BinaryOp op;
        private readonly T* a, b, y;
        private readonly RowLayout la, lb;
        private readonly long outer, inner, rowsPerPart, chunk;
        private readonly bool stream;

        public BinaryJob(BinaryOp op, T* a, RowLayout la, T* b, RowLayout lb, T* y, long outer, long inner, int parts)
        {
            this.op = op;
            this.a = a;
            this.b = b;
            this.y = y;
            this.la = la;
            this.lb = lb;
            this.outer = outer;
            this.inner = inner;
            stream = outer > 1 && StreamingRows.Worth(op, outer * inner * sizeof(T));
            if (outer >= parts)
            {
                rowsPerPart = (outer + parts - 1) / parts;
                Parts = (int)((outer + rowsPerPart - 1) / rowsPerPart);
            }
            else
            {
                chunk = ParallelPolicy.Chunk(inner, Math.Max(1, (int)(parts / outer)));
                Parts = (int)(outer * ((inner + chunk - 1) / chunk));
            }
        }

        public int Parts { get; }

        public void Execute(int part)
        {
            if (rowsPerPart > 0)
            {
                long last = Math.Min(outer, (part + 1) * rowsPerPart);
                for (long i = part * rowsPerPart; i < last; i++) Columns(i, 0, inner);
                if (stream) StreamingRows.Fence();
                return;
            }
            long chunks = (inner + chunk - 1) / chunk;
            long row = part / chunks, start = part % chunks * chunk;
            Columns(row, start, Math.Min(chunk, inner - start));
        }

        private void Columns(long row, long start, long count)
        {
            for (long done = 0; done < count; done += StridedLoop.MaxRowLength)
            {
                long j = start + done;
                T* pa = a + la.RowOffset(row) + j * la.Inner, pb = b + lb.RowOffset(row) + j * lb.Inner, py = y + row * inner + j;
                int n = (int)Math.Min(StridedLoop.MaxRowLength, count - done);
                if (!stream || !StreamingRows.TryApply(op, pa, la.Inner, pb, lb.Inner, py, n)) BinaryRow(op, pa, la.Inner, pb, lb.Inner, py, n);
            }
        }
    }

    /// <summary>y = op(a, b) over one contiguous row of y, where a and b are each a row (stride 1) or one value (stride 0).</summary>
    private static void BinaryRow<T>(BinaryOp op, T* a, long strideA, T* b, long strideB, T* y, int n) where T : unmanaged, INumber<T>
    {
        if (BinarySpan(op, a, strideA, b, strideB, new Span<T>(y, n))) return;
        for (int i = 0; i < n; i++) y[i] = ScalarMath.Binary(op, a[i * strideA], b[i * strideB]);
    }

    /// <summary>SIMD path where each input is a contiguous row or a single broadcast value.</summary>
    private static bool BinarySpan<T>(BinaryOp op, T* a, long strideA, T* b, long strideB, Span<T> y) where T : unmanaged, INumber<T>
    {
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
        switch (a.DType)
        {
            case DType.F32: BinaryScalarOf(op, a, (float)scalar, y, scalarFirst); break;
            case DType.F64: BinaryScalarOf(op, a, scalar, y, scalarFirst); break;
            case DType.I32: BinaryScalarOf(op, a, checked((int)scalar), y, scalarFirst); break;
            case DType.I64: BinaryScalarOf(op, a, checked((long)scalar), y, scalarFirst); break;
        }
    }

    /// <summary>The scalar lives in this frame and is passed as a broadcast operand (stride 0): no storage is made for it.</summary>
    private static void BinaryScalarOf<T>(BinaryOp op, BufferView a, T scalar, BufferView y, bool scalarFirst) where T : unmanaged, INumber<T>
    {
        if (y.Count == 0) return;
        T* pa = (T*)a.Storage.Pointer + a.Offset, py = (T*)y.Storage.Pointer + y.Offset, ps = &scalar;
        if (a.IsContiguous && y.IsContiguous)
        {
            long count = y.Count;
            int parts = ParallelPolicy.Parts(count, ParallelPolicy.Cost(op));
            var row = new RowLayout(count, 1);
            var job = scalarFirst
                ? new BinaryJob<T>(op, ps, default, pa, row, py, 1, count, parts)
                : new BinaryJob<T>(op, pa, row, ps, default, py, 1, count, parts);
            WorkerPool.Run(ref job, job.Parts);
            return;
        }
        pa -= a.Offset;
        py -= y.Offset;
        StridedLoop.Run(y.Shape, [a, y], (o, n, s) =>
        {
            // Rows of y that are contiguous, with a a row or one broadcast value (an expanded view times a number).
            if (s[1] == 1 && s[0] <= 1)
            {
                if (scalarFirst) BinaryRow(op, ps, 0, pa + o[0], s[0], py + o[1], (int)n);
                else BinaryRow(op, pa + o[0], s[0], ps, 0, py + o[1], (int)n);
                return;
            }
            for (long i = 0; i < n; i++)
            {
                T value = pa[o[0] + i * s[0]];
                py[o[1] + i * s[1]] = scalarFirst ? ScalarMath.Binary(op, *ps, value) : ScalarMath.Binary(op, value, *ps);
            }
        });
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
}
