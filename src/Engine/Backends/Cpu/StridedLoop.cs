namespace Engine.Backends.Cpu;

/// <summary>
/// Walks same-shaped strided operands row by row. Dimensions are first coalesced (size-1 dims dropped,
/// adjacent dims merged where every operand is contiguous across them), so a contiguous tensor is one
/// long row and kernels can use span fast paths. Large loops are split over the cores.
/// </summary>
internal static class StridedLoop
{
    /// <summary>Elements below which a loop stays on the calling thread.</summary>
    public const long ParallelThreshold = 1 << 15;

    /// <summary>Longest row handed to a row action, so kernels may index a row with an int (spans) even in tensors of 2^31 or more elements.</summary>
    public const long MaxRowLength = 1 << 30;

    /// <summary>One innermost row: element offsets of each operand, the row length, each operand's stride along it.</summary>
    public delegate void RowAction(long[] offsets, long count, long[] strides);

    /// <summary>Calls <paramref name="row"/> once per innermost row of <paramref name="shape"/>.</summary>
    public static void Run(int[] shape, ReadOnlySpan<BufferView> operands, RowAction row, bool parallel = true)
    {
        var offsets = new long[operands.Length];
        var strides = new long[operands.Length][];
        for (int k = 0; k < operands.Length; k++)
        {
            offsets[k] = operands[k].Offset;
            strides[k] = operands[k].Strides;
        }
        Run(shape, offsets, strides, row, parallel);
    }

    public static void Run(int[] shape, long[] baseOffsets, long[][] operandStrides, RowAction row, bool parallel = true)
    {
        var (dims, strides) = Coalesce(shape, operandStrides);
        int rank = dims.Length, operands = baseOffsets.Length;
        long inner = rank == 0 ? 1 : dims[rank - 1];
        if (inner > MaxRowLength) row = SplitLongRows(row);
        long rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= dims[d];
        long total = rows * inner;
        if (total == 0) return;
        var innerStrides = new long[operands];
        for (int k = 0; k < operands; k++) innerStrides[k] = rank == 0 ? 0 : strides[k][rank - 1];

        int workers = parallel && total >= ParallelThreshold ? Environment.ProcessorCount : 1;
        if (rows == 1)
        {
            long chunk = (inner + workers - 1) / workers;
            Parallelize(workers, w =>
            {
                long start = w * chunk, count = Math.Min(chunk, inner - start);
                if (count <= 0) return;
                var offsets = new long[operands];
                for (int k = 0; k < operands; k++) offsets[k] = baseOffsets[k] + start * innerStrides[k];
                row(offsets, count, (long[])innerStrides.Clone());
            });
            return;
        }

        long rowsPerWorker = (rows + workers - 1) / workers;
        Parallelize(workers, w =>
        {
            long first = w * rowsPerWorker, last = Math.Min(rows, first + rowsPerWorker);
            if (first >= last) return;
            int outer = rank - 1;
            var index = new long[outer];
            var offsets = (long[])baseOffsets.Clone();
            long remainder = first;
            for (int d = outer - 1; d >= 0; d--)
            {
                index[d] = remainder % dims[d];
                remainder /= dims[d];
                for (int k = 0; k < operands; k++) offsets[k] += index[d] * strides[k][d];
            }
            var rowOffsets = new long[operands];
            var rowStrides = (long[])innerStrides.Clone();
            for (long r = first; r < last; r++)
            {
                Array.Copy(offsets, rowOffsets, operands);
                row(rowOffsets, inner, rowStrides);
                for (int d = outer - 1; d >= 0; d--)
                {
                    for (int k = 0; k < operands; k++) offsets[k] += strides[k][d];
                    if (++index[d] < dims[d]) break;
                    for (int k = 0; k < operands; k++) offsets[k] -= dims[d] * strides[k][d];
                    index[d] = 0;
                }
            }
        });
    }

    /// <summary>Wraps a row action so that it sees rows of at most <see cref="MaxRowLength"/> elements.</summary>
    private static RowAction SplitLongRows(RowAction row) => (offsets, count, strides) =>
    {
        var start = (long[])offsets.Clone();
        for (long done = 0; done < count; done += MaxRowLength)
        {
            for (int k = 0; k < offsets.Length; k++) start[k] = offsets[k] + done * strides[k];
            row(start, Math.Min(MaxRowLength, count - done), strides);
        }
    };

    /// <summary>Runs <paramref name="body"/> for 0..workers-1 on the <see cref="WorkerPool"/>; a part's own exception surfaces as itself.</summary>
    public static void Parallelize(int workers, Action<int> body) => WorkerPool.For(workers, body);

    /// <summary>Drops size-1 dims and merges neighbours that every operand walks contiguously.</summary>
    internal static (long[] Dims, long[][] Strides) Coalesce(int[] shape, long[][] strides)
    {
        var dims = new List<long>(shape.Length);
        var merged = strides.Select(_ => new List<long>(shape.Length)).ToArray();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            int last = dims.Count - 1;
            bool mergeable = last >= 0;
            for (int k = 0; k < strides.Length && mergeable; k++)
                mergeable = merged[k][last] == strides[k][d] * shape[d];
            if (mergeable)
            {
                dims[last] *= shape[d];
                for (int k = 0; k < strides.Length; k++) merged[k][last] = strides[k][d];
            }
            else
            {
                dims.Add(shape[d]);
                for (int k = 0; k < strides.Length; k++) merged[k].Add(strides[k][d]);
            }
        }
        return (dims.ToArray(), merged.Select(m => m.ToArray()).ToArray());
    }
}
