using System.Numerics;
using System.Numerics.Tensors;
using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>
/// Sum, max and min of a contiguous [K1, R, K2] tensor over R. The work is cut into pieces that depend only on the
/// shape (runs of at most <see cref="Chunk"/> elements of a row; blocks of at most <see cref="ColumnBlock"/> columns),
/// each folded in a fixed order and combined in a fixed order, so results are the same on any number of cores. F32
/// sums accumulate in double across blocks (<see cref="AccurateSum"/>; rows of a column reduction in float for 64 rows,
/// then in double).
/// </summary>
internal static unsafe class ContiguousReduce<T> where T : unmanaged, INumber<T>
{
    /// <summary>Longest run of a row folded as one piece.</summary>
    private const long Chunk = 1 << 16;

    /// <summary>Widest run of columns one piece of a column reduction accumulates (its accumulators live on the stack).</summary>
    private const int ColumnBlock = 1024;

    /// <summary>Rows a float column accumulator takes before it is added into the double one.</summary>
    private const int FloatRows = 64;

    public static void Run(ReduceOp op, T* x, BufferView y, ReduceShape split, T identity)
    {
        T* py = CpuBackend.Address<T>(y, y.Offset);
        if (split.Inner == 1) Rows(op, x, py, split.Outer, split.Reduced, identity);
        else Columns(op, x, py, split, identity);
    }

    /// <summary>y[k] = fold of x[k, :] for K rows of R contiguous elements.</summary>
    private static void Rows(ReduceOp op, T* x, T* y, long rows, long length, T identity)
    {
        long pieces = (length + Chunk - 1) / Chunk;
        if (pieces == 1)
        {
            var job = new RowJob(op, x, y, rows, length, ParallelPolicy.Parts(rows * length, 1));
            WorkerPool.Run(ref job, job.Parts);
            return;
        }
        var partials = new double[rows * pieces];
        var extremes = new T[rows * pieces];
        fixed (double* pp = partials)
        fixed (T* pe = extremes)
        {
            var job = new PieceJob(op, x, length, pieces, pp, pe);
            WorkerPool.Run(ref job, (int)Math.Min(int.MaxValue, rows * pieces));
        }
        for (long r = 0; r < rows; r++)
        {
            if (op == ReduceOp.Sum && typeof(T) == typeof(float))
            {
                double total = 0;
                for (long p = 0; p < pieces; p++) total += partials[r * pieces + p];
                y[r] = T.CreateTruncating(total);
                continue;
            }
            T acc = identity;
            for (long p = 0; p < pieces; p++) acc = Combine(op, acc, extremes[r * pieces + p]);
            y[r] = acc;
        }
    }

    private readonly struct RowJob(ReduceOp op, T* x, T* y, long rows, long length, int parts) : IParallelJob
    {
        private readonly long rowsPerPart = (rows + parts - 1) / Math.Max(1, parts);

        public int Parts => (int)((rows + rowsPerPart - 1) / rowsPerPart);

        public void Execute(int part)
        {
            long last = Math.Min(rows, (part + 1) * rowsPerPart);
            for (long r = part * rowsPerPart; r < last; r++) y[r] = Fold(op, x + r * length, (int)length);
        }
    }

    /// <summary>One piece of a long row: F32 sums go to a double partial, everything else to a partial of T.</summary>
    private readonly struct PieceJob(ReduceOp op, T* x, long length, long pieces, double* partials, T* extremes) : IParallelJob
    {
        public void Execute(int part)
        {
            long row = part / pieces, piece = part % pieces;
            long start = piece * Chunk;
            int n = (int)Math.Min(Chunk, length - start);
            T* p = x + row * length + start;
            if (op == ReduceOp.Sum && typeof(T) == typeof(float)) partials[part] = AccurateSum.Of((float*)p, n);
            else extremes[part] = Fold(op, p, n);
        }
    }

    /// <summary>The fold of one contiguous run (an F32 sum rounded once from double).</summary>
    private static T Fold(ReduceOp op, T* p, int n)
    {
        var span = new ReadOnlySpan<T>(p, n);
        return op switch
        {
            ReduceOp.Sum when typeof(T) == typeof(float) => T.CreateTruncating(AccurateSum.Of((float*)p, n)),
            ReduceOp.Sum => TensorPrimitives.Sum(span),
            ReduceOp.Max => TensorPrimitives.Max(span),
            _ => TensorPrimitives.Min(span),
        };
    }

    private static T Combine(ReduceOp op, T a, T b) => op switch
    {
        ReduceOp.Sum => a + b,
        ReduceOp.Max => T.IsNaN(a) || a >= b ? a : b,
        _ => T.IsNaN(a) || a <= b ? a : b,
    };

    /// <summary>y[b, j] = fold over r of x[b, r, j], in pieces of (b, block of columns).</summary>
    private static void Columns(ReduceOp op, T* x, T* y, ReduceShape split, T identity)
    {
        if (split.Inner < NarrowColumns)
        {
            FoldNarrowColumns(op, x, y, split, identity);
            return;
        }
        long blocks = (split.Inner + ColumnBlock - 1) / ColumnBlock;
        long pieces = split.Outer * blocks;
        var job = new ColumnJob(op, x, y, split, blocks, identity);
        if (ParallelPolicy.Parts(split.Outer * split.Reduced * split.Inner, 1) > 1 && pieces <= int.MaxValue)
        {
            WorkerPool.Run(ref job, (int)pieces);
            return;
        }
        for (long piece = 0; piece < pieces; piece++) job.Piece(piece);
    }

    /// <summary>Fewer columns than this are folded one column at a time (a row of a few elements is too short for SIMD).</summary>
    private const int NarrowColumns = 16;

    private static void FoldNarrowColumns(ReduceOp op, T* x, T* y, ReduceShape split, T identity)
    {
        for (long b = 0; b < split.Outer; b++)
            for (long j = 0; j < split.Inner; j++)
            {
                T* column = x + b * split.Reduced * split.Inner + j;
                if (op == ReduceOp.Sum && typeof(T) == typeof(float))
                {
                    double total = 0;
                    for (long r = 0; r < split.Reduced; r++) total += float.CreateTruncating(column[r * split.Inner]);
                    y[b * split.Inner + j] = T.CreateTruncating(total);
                    continue;
                }
                T acc = identity;
                for (long r = 0; r < split.Reduced; r++) acc = Combine(op, acc, column[r * split.Inner]);
                y[b * split.Inner + j] = acc;
            }
    }

    private readonly struct ColumnJob(ReduceOp op, T* x, T* y, ReduceShape split, long blocks, T identity) : IParallelJob
    {
        public void Execute(int part) => Piece(part);

        public void Piece(long piece)
        {
            long b = piece / blocks, block = piece % blocks;
            long start = block * ColumnBlock;
            int width = (int)Math.Min(ColumnBlock, split.Inner - start);
            T* source = x + b * split.Reduced * split.Inner + start;
            T* target = y + b * split.Inner + start;
            if (op == ReduceOp.Sum && typeof(T) == typeof(float)) SumFloatColumns((float*)source, split.Reduced, split.Inner, (float*)target, width);
            else FoldColumns(source, target, width);
        }

        private void FoldColumns(T* source, T* target, int width)
        {
            var acc = new Span<T>(target, width);
            acc.Fill(identity);
            for (long r = 0; r < split.Reduced; r++)
            {
                var row = new ReadOnlySpan<T>(source + r * split.Inner, width);
                switch (op)
                {
                    case ReduceOp.Sum: TensorPrimitives.Add(acc, row, acc); break;
                    case ReduceOp.Max: TensorPrimitives.Max(acc, row, acc); break;
                    default: TensorPrimitives.Min(acc, row, acc); break;
                }
            }
        }
    }

    private static void SumFloatColumns(float* source, long rows, long stride, float* target, int width)
    {
        float* block = stackalloc float[width];
        double* total = stackalloc double[width];
        new Span<double>(total, width).Clear();
        for (long r0 = 0; r0 < rows; r0 += FloatRows)
        {
            long last = Math.Min(rows, r0 + FloatRows);
            AddRows(source + r0 * stride, last - r0, stride, block, width);
            AccurateSum.AddWidened(block, total, width);
        }
        for (int j = 0; j < width; j++) target[j] = (float)total[j];
    }

    /// <summary>block[j] = the float sum of source[r * stride + j] over the rows in order, four vectors of columns in registers at a time.</summary>
    private static void AddRows(float* source, long rows, long stride, float* block, int width)
    {
        int w = Vector<float>.Count, j = 0;
        for (; j + 4 * w <= width; j += 4 * w)
        {
            float* column = source + j;
            Vector<float> s0 = Vector.Load(column), s1 = Vector.Load(column + w), s2 = Vector.Load(column + 2 * w), s3 = Vector.Load(column + 3 * w);
            for (long r = 1; r < rows; r++)
            {
                float* row = column + r * stride;
                s0 += Vector.Load(row);
                s1 += Vector.Load(row + w);
                s2 += Vector.Load(row + 2 * w);
                s3 += Vector.Load(row + 3 * w);
            }
            s0.Store(block + j);
            s1.Store(block + j + w);
            s2.Store(block + j + 2 * w);
            s3.Store(block + j + 3 * w);
        }
        for (; j + w <= width; j += w)
        {
            var sum = Vector.Load(source + j);
            for (long r = 1; r < rows; r++) sum += Vector.Load(source + r * stride + j);
            sum.Store(block + j);
        }
        for (; j < width; j++)
        {
            float sum = source[j];
            for (long r = 1; r < rows; r++) sum += source[r * stride + j];
            block[j] = sum;
        }
    }
}
