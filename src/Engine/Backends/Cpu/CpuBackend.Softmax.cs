using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Softmax(BufferView x, int axis, BufferView y, bool log)
    {
        if (x.DType == DType.F32) SoftmaxOf<float>(x, axis, y, log);
        else SoftmaxOf<double>(x, axis, y, log);
    }

    /// <summary>
    /// Rows along a contiguous last axis go through <see cref="SoftmaxRow{T}"/> in parallel over rows, straight from x
    /// to y; other layouts gather each row into a pooled buffer first.
    /// </summary>
    private static void SoftmaxOf<T>(BufferView x, int axis, BufferView y, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = x.Shape[axis];
        if (length == 0 || y.Count == 0) return;
        if (x.IsContiguous && y.IsContiguous && axis == x.Rank - 1)
        {
            long rows = y.Count / length;
            var job = new SoftmaxJob<T>(Address<T>(x, x.Offset), Address<T>(y, y.Offset), rows, length, log);
            WorkerPool.Run(ref job, job.Parts);
            return;
        }
        T* px = (T*)x.Storage.Pointer, py = (T*)y.Storage.Pointer;
        long strideX = x.Strides[axis], strideY = y.Strides[axis];
        StridedLoop.Run(y.Narrow(axis, 0, 1).Shape, [x.Narrow(axis, 0, 1), y.Narrow(axis, 0, 1)], (o, n, s) =>
        {
            var buffer = ArrayPool<T>.Shared.Rent(2 * length);
            try
            {
                fixed (T* row = buffer)
                {
                    for (long i = 0; i < n; i++)
                    {
                        T* source = px + o[0] + i * s[0];
                        T* target = py + o[1] + i * s[1];
                        for (int j = 0; j < length; j++) row[j] = source[j * strideX];
                        SoftmaxRow(row, row + length, length, log);
                        for (int j = 0; j < length; j++) target[j * strideY] = row[length + j];
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
        });
    }

    private readonly struct SoftmaxJob<T> : IParallelJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T* x, y;
        private readonly long rows, rowsPerPart;
        private readonly int length;
        private readonly bool log;

        public SoftmaxJob(T* x, T* y, long rows, int length, bool log)
        {
            this.x = x;
            this.y = y;
            this.rows = rows;
            this.length = length;
            this.log = log;
            int parts = ParallelPolicy.Parts(rows * length, 12);
            rowsPerPart = (rows + parts - 1) / parts;
            Parts = (int)((rows + rowsPerPart - 1) / rowsPerPart);
        }

        public int Parts { get; }

        public void Execute(int part)
        {
            long last = Math.Min(rows, (part + 1) * rowsPerPart);
            for (long r = part * rowsPerPart; r < last; r++) SoftmaxRow(x + r * length, y + r * length, length, log);
        }
    }

    /// <summary>
    /// Softmax (or log-softmax) of one contiguous row: y = exp(x - max) / sum, or x - max - log(sum), with the sum of
    /// the exponentials accumulated accurately. <paramref name="px"/> and <paramref name="py"/> may be the same row.
    /// </summary>
    internal static void SoftmaxRow<T>(T* px, T* py, int n, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(new ReadOnlySpan<T>(px, n));
        var y = new Span<T>(py, n);
        if (log)
        {
            // (x - max) first, exactly, then the small log of the sum: adding them first would round away x's low bits.
            T logSum = T.CreateTruncating(Math.Log(FastExp.SumOfShiftedExp(px, max, n)));
            TensorPrimitives.Subtract(new ReadOnlySpan<T>(px, n), max, y);
            TensorPrimitives.Subtract(y, logSum, y);
            return;
        }
        double sum = FastExp.ShiftedExp(px, max, py, n);
        TensorPrimitives.Multiply(y, T.CreateTruncating(1 / sum), y);
    }
}
