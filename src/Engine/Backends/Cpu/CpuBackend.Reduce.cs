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

    /// <summary>
    /// A reduction of one run of axes, [K1, R, K2] after merging (full, row and column reductions), takes the accurate,
    /// deterministic paths of <see cref="ContiguousReduce{T}"/> (a strided x is first copied contiguous); several runs are
    /// reduced one after the other.
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
        // Several runs of reduced axes ([B, C, H, W] summed over B, H and W): the innermost run first, into a contiguous
        // intermediate, then the rest; each step is one of the contiguous paths above.
        var partial = InnermostRunReduced(x.Shape, y.Shape);
        var storage = Allocate(x.DType, Shapes.NumElements(partial));
        try
        {
            var intermediate = new BufferView(storage, partial, Shapes.ContiguousStrides(partial), 0);
            ReduceOf<T>(op, x, intermediate);
            ReduceOf<T>(op, intermediate, y);
        }
        finally
        {
            storage.Release();
        }
    }

    /// <summary><paramref name="x"/> with its innermost run of reduced axes (those of size 1 in <paramref name="y"/>) set to 1.</summary>
    private static int[] InnermostRunReduced(int[] x, int[] y)
    {
        var partial = (int[])x.Clone();
        int d = x.Length - 1;
        while (d >= 0 && !(y[d] == 1 && x[d] != 1)) d--;
        for (; d >= 0 && (x[d] == 1 || y[d] == 1); d--) partial[d] = 1;
        return partial;
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
