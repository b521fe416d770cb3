using System.Numerics;
using System.Numerics.Tensors;
using Engine.Ops;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Reduce(ReduceOp op, BufferView x, BufferView y)
    {
        switch (x.DType)
        {
            case DType.F32: ReduceOf<float>(op, x, y); break;
            case DType.F64: ReduceOf<double>(op, x, y); break;
            case DType.I32: ReduceOf<int>(op, x, y); break;
            case DType.I64: ReduceOf<long>(op, x, y); break;
        }
    }

    private static T Identity<T>(ReduceOp op) where T : INumber<T>, IMinMaxValue<T> => op switch
    {
        ReduceOp.Sum => T.Zero,
        ReduceOp.Max => typeof(T) == typeof(float) ? T.CreateTruncating(float.NegativeInfinity)
            : typeof(T) == typeof(double) ? T.CreateTruncating(double.NegativeInfinity) : T.MinValue,
        _ => typeof(T) == typeof(float) ? T.CreateTruncating(float.PositiveInfinity)
            : typeof(T) == typeof(double) ? T.CreateTruncating(double.PositiveInfinity) : T.MaxValue,
    };

    private static T Combine<T>(ReduceOp op, T a, T b) where T : INumber<T> => op switch
    {
        ReduceOp.Sum => a + b,
        ReduceOp.Max => T.IsNaN(a) || a >= b ? a : b,
        _ => T.IsNaN(a) || a <= b ? a : b,
    };

    /// <summary>
    /// Contiguous x reducing one run of axes, [K1, R, K2] after merging (full, row and column reductions), takes the
    /// accurate, deterministic paths of <see cref="ContiguousReduce{T}"/>; a strided x with that pattern is first copied
    /// contiguous. Other patterns fold x into y with the strided loop (F32 sums through F64 copies, so they stay
    /// accurate).
    /// </summary>
    private void ReduceOf<T>(ReduceOp op, BufferView x, BufferView y) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        T identity = Identity<T>(op);
        if (x.Count == 0)
        {
            FillAs(y, identity);
            return;
        }
        if (ReduceShape.TryOf(x.Shape, y.Shape, out var split))
        {
            if (x.IsContiguous)
            {
                ContiguousReduce<T>.Run(op, Address<T>(x, x.Offset), y, split, identity);
                return;
            }
            var copy = Allocate(x.DType, x.Count);
            try
            {
                var contiguous = new BufferView(copy, x.Shape, Shapes.ContiguousStrides(x.Shape), 0);
                Copy(x, contiguous);
                ContiguousReduce<T>.Run(op, Address<T>(contiguous, 0), y, split, identity);
            }
            finally
            {
                copy.Release();
            }
            return;
        }
        if (op == ReduceOp.Sum && typeof(T) == typeof(float))
        {
            ReduceThroughDouble(x, y);
            return;
        }
        StridedReduce(op, x, y, identity);
    }

    /// <summary>A float sum over a pattern the contiguous paths do not cover, done in double and rounded once.</summary>
    private void ReduceThroughDouble(BufferView x, BufferView y)
    {
        var wideX = Allocate(DType.F64, x.Count);
        var wideY = Allocate(DType.F64, y.Count);
        try
        {
            var xd = new BufferView(wideX, x.Shape, Shapes.ContiguousStrides(x.Shape), 0);
            var yd = new BufferView(wideY, y.Shape, Shapes.ContiguousStrides(y.Shape), 0);
            Copy(x, xd);
            StridedReduce(ReduceOp.Sum, xd, yd, 0.0);
            Copy(yd, y);
        }
        finally
        {
            wideX.Release();
            wideY.Release();
        }
    }

    /// <summary>
    /// y starts at the identity and every element of x is folded into the y element it maps to (y is broadcast with
    /// stride 0 along the reduced axes), split over the cores along a kept axis.
    /// </summary>
    private static void StridedReduce<T>(ReduceOp op, BufferView x, BufferView y, T identity) where T : unmanaged, INumber<T>
    {
        var yb = y.BroadcastTo(x.Shape);
        FillAs(y, identity);
        int workers = ParallelPolicy.Parts(x.Count, 1) > 1 ? WorkerPool.Threads : 1;
        int keptSplit = Enumerable.Range(0, x.Rank).FirstOrDefault(d => yb.Strides[d] != 0 && x.Shape[d] >= workers, -1);
        if (workers > 1 && keptSplit >= 0)
        {
            StridedLoop.Parallelize(workers, w => Accumulate<T>(op, Part(x, keptSplit, w, workers), Part(yb, keptSplit, w, workers)));
            return;
        }
        Accumulate<T>(op, x, yb);
    }

    private static void Accumulate<T>(ReduceOp op, BufferView x, BufferView yb) where T : unmanaged, INumber<T>
    {
        T* px = (T*)x.Storage.Pointer, py = (T*)yb.Storage.Pointer;
        StridedLoop.Run(x.Shape, [x, yb], (o, n, s) =>
        {
            if (s[1] == 0)
            {
                py[o[1]] = Combine(op, py[o[1]], ReduceRow(op, px + o[0], n, s[0]));
                return;
            }
            if (s[0] == 1 && s[1] == 1)
            {
                var source = new ReadOnlySpan<T>(px + o[0], (int)n);
                var target = new Span<T>(py + o[1], (int)n);
                switch (op)
                {
                    case ReduceOp.Sum: TensorPrimitives.Add(target, source, target); break;
                    case ReduceOp.Max: TensorPrimitives.Max(target, source, target); break;
                    default: TensorPrimitives.Min(target, source, target); break;
                }
                return;
            }
            for (long i = 0; i < n; i++)
            {
                ref T slot = ref py[o[1] + i * s[1]];
                slot = Combine(op, slot, px[o[0] + i * s[0]]);
            }
        }, parallel: false);
    }

    private static T ReduceRow<T>(ReduceOp op, T* x, long n, long stride) where T : unmanaged, INumber<T>
    {
        if (stride == 1 && op == ReduceOp.Sum && typeof(T) == typeof(float))
            return T.CreateTruncating(AccurateSum.Of((float*)x, n));
        if (stride == 1)
        {
            var span = new ReadOnlySpan<T>(x, (int)n);
            return op switch
            {
                ReduceOp.Sum => TensorPrimitives.Sum(span),
                ReduceOp.Max => TensorPrimitives.Max(span),
                _ => TensorPrimitives.Min(span),
            };
        }
        if (op == ReduceOp.Sum && typeof(T) == typeof(float))
        {
            // A strided (or broadcast) F32 row is summed in double: one float accumulator loses digits linearly in n.
            double wide = 0;
            for (long i = 0; i < n; i++) wide += double.CreateTruncating(x[i * stride]);
            return T.CreateTruncating(wide);
        }
        T acc = x[0];
        for (long i = 1; i < n; i++) acc = Combine(op, acc, x[i * stride]);
        return acc;
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of the view along <paramref name="axis"/>.</summary>
    private static BufferView Part(BufferView view, int axis, int part, int parts)
    {
        int size = view.Shape[axis], chunk = (size + parts - 1) / parts;
        int start = Math.Min(size, part * chunk);
        return view.Narrow(axis, start, Math.Min(chunk, size - start));
    }

    public void ArgReduce(ArgReduceOp op, BufferView x, int axis, BufferView y)
    {
        switch (x.DType)
        {
            case DType.F32: ArgReduceOf<float>(op, x, axis, y); break;
            case DType.F64: ArgReduceOf<double>(op, x, axis, y); break;
            case DType.I32: ArgReduceOf<int>(op, x, axis, y); break;
            case DType.I64: ArgReduceOf<long>(op, x, axis, y); break;
        }
    }

    private static void ArgReduceOf<T>(ArgReduceOp op, BufferView x, int axis, BufferView y) where T : unmanaged, INumber<T>
    {
        T* px = (T*)x.Storage.Pointer;
        long* py = (long*)y.Storage.Pointer;
        int length = x.Shape[axis];
        long stride = x.Strides[axis];
        bool max = op == ArgReduceOp.ArgMax;
        StridedLoop.Run(y.Shape, [x.Narrow(axis, 0, 1), y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                T* row = px + o[0] + i * s[0];
                long best = 0;
                for (long j = 1; j < length; j++)
                {
                    T candidate = row[j * stride], current = row[best * stride];
                    if (T.IsNaN(current)) break;
                    if (T.IsNaN(candidate) || (max ? candidate > current : candidate < current)) best = j;
                }
                py[o[1] + i * s[1]] = best;
            }
        });
    }
}
