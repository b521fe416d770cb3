using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Moments(BufferView x, BufferView mean, BufferView variance, int correction)
    {
        if (x.DType == DType.F32) MomentsOf<float>(x, mean, variance, correction);
        else MomentsOf<double>(x, mean, variance, correction);
    }

    /// <summary>
    /// One pass per output slot over the elements it reduces. Sums of deviations from the slot's first element are
    /// accumulated in double, so the variance does not suffer the cancellation of sum(x^2) - n mean^2 when the mean
    /// is large against the spread. Slots are shared out over the cores in chunks.
    /// </summary>
    private static void MomentsOf<T>(BufferView x, BufferView mean, BufferView variance, int correction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = x.Rank;
        var kept = Enumerable.Range(0, rank).Where(d => mean.Shape[d] != 1 || x.Shape[d] == 1).ToArray();
        var reduced = Enumerable.Range(0, rank).Where(d => !kept.Contains(d)).ToArray();
        var slots = new BufferView(x.Storage, [.. kept.Select(d => x.Shape[d])], [.. kept.Select(d => x.Strides[d])], x.Offset);
        var block = new BufferView(x.Storage, [.. reduced.Select(d => x.Shape[d])], [.. reduced.Select(d => x.Strides[d])], 0);
        var meanSlots = new BufferView(mean.Storage, slots.Shape, [.. kept.Select(d => mean.Strides[d])], mean.Offset);
        var varianceSlots = new BufferView(variance.Storage, slots.Shape, [.. kept.Select(d => variance.Strides[d])], variance.Offset);
        long count = block.Count, slotCount = slots.Count;
        var slotOffsets = Offsets(slots);
        var meanOffsets = Offsets(meanSlots);
        var varianceOffsets = Offsets(varianceSlots);
        var (rowShape, rowStrides) = StridedLoop.Coalesce(block.Shape, [block.Strides]);
        T* px = (T*)x.Storage.Pointer, pm = (T*)mean.Storage.Pointer, pv = (T*)variance.Storage.Pointer;
        WorkChunks.Run(slotCount, WorkChunks.Count(slotCount, x.Count >= StridedLoop.ParallelThreshold), (_, from, to) =>
        {
            for (long s = from; s < to; s++)
            {
                T* first = px + slotOffsets[s];
                double shift = count == 0 ? 0 : double.CreateTruncating(*first);
                var (sum, squares) = rowShape.Length <= 1
                    ? RowMoments(first, count, rowStrides[0].Length == 0 ? 1 : rowStrides[0][^1], shift)
                    : BlockMoments(first, block, shift);
                double average = sum / count;
                pm[meanOffsets[s]] = T.CreateTruncating(shift + average);
                pv[varianceOffsets[s]] = T.CreateTruncating(Math.Max(0, squares - sum * average) / (count - correction));
            }
        });
    }

    /// <summary>Element offsets of every position of a view, in row-major order.</summary>
    private static long[] Offsets(BufferView view)
    {
        var offsets = new long[view.Count];
        long i = 0;
        StridedLoop.Run(view.Shape, [view], (o, n, s) =>
        {
            for (long j = 0; j < n; j++) offsets[i++] = o[0] + j * s[0];
        }, parallel: false);
        return offsets;
    }

    private static (double Sum, double Squares) BlockMoments<T>(T* first, BufferView block, double shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0, squares = 0;
        StridedLoop.Run(block.Shape, [block], (o, n, s) =>
        {
            var (rowSum, rowSquares) = RowMoments(first + o[0], n, s[0], shift);
            sum += rowSum;
            squares += rowSquares;
        }, parallel: false);
        return (sum, squares);
    }

    /// <summary>Sum of (x - shift) and of (x - shift)^2 over one row; contiguous rows in SIMD blocks added into doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Sum, double Squares) RowMoments<T>(T* row, long n, long stride, double shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0, squares = 0;
        long i = 0;
        if (stride == 1 && Vector.IsHardwareAccelerated)
        {
            const int Block = 512;
            var center = new Vector<T>(T.CreateTruncating(shift));
            int width = Vector<T>.Count;
            while (n - i >= width)
            {
                long end = Math.Min(n, i + Block) - width;
                Vector<T> s1 = Vector<T>.Zero, s2 = Vector<T>.Zero;
                for (; i <= end; i += width)
                {
                    var d = Vector.Load(row + i) - center;
                    s1 += d;
                    s2 += d * d;
                }
                sum += double.CreateTruncating(Vector.Sum(s1));
                squares += double.CreateTruncating(Vector.Sum(s2));
            }
        }
        for (; i < n; i++)
        {
            double d = double.CreateTruncating(row[i * stride]) - shift;
            sum += d;
            squares += d * d;
        }
        return (sum, squares);
    }

    public void MultiplyAdd(BufferView x, BufferView scale, BufferView shift, BufferView y)
    {
        if (y.DType == DType.F32) MultiplyAddOf<float>(x, scale, shift, y);
        else MultiplyAddOf<double>(x, scale, shift, y);
    }

    private static void MultiplyAddOf<T>(BufferView x, BufferView scale, BufferView shift, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* px = (T*)x.Storage.Pointer, pa = (T*)scale.Storage.Pointer, pb = (T*)shift.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, scale, shift, y], (o, n, s) =>
        {
            if (s[0] == 1 && s[3] == 1 && s[1] <= 1 && s[2] <= 1)
            {
                var source = new ReadOnlySpan<T>(px + o[0], (int)n);
                var target = new Span<T>(py + o[3], (int)n);
                switch (s[1], s[2])
                {
                    case (0, 0): ScaleShift(source, pa[o[1]], pb[o[2]], target); break;
                    case (1, 0): TensorPrimitives.MultiplyAdd(source, new ReadOnlySpan<T>(pa + o[1], (int)n), pb[o[2]], target); break;
                    case (0, 1): TensorPrimitives.MultiplyAdd(source, pa[o[1]], new ReadOnlySpan<T>(pb + o[2], (int)n), target); break;
                    default: TensorPrimitives.MultiplyAdd(source, new ReadOnlySpan<T>(pa + o[1], (int)n), new ReadOnlySpan<T>(pb + o[2], (int)n), target); break;
                }
                return;
            }
            for (long i = 0; i < n; i++) py[o[3] + i * s[3]] = px[o[0] + i * s[0]] * pa[o[1] + i * s[1]] + pb[o[2] + i * s[2]];
        });
    }

    /// <summary>y = x * a + b for scalars a and b (the normalisation of one channel row).</summary>
    private static void ScaleShift<T>(ReadOnlySpan<T> x, T a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> va = new(a), vb = new(b);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(x[i..]) * va + vb).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = x[i] * a + b;
    }
}
