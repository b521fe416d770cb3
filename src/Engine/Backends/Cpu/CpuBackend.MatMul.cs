namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>Matrices per batch below which batches, not the GEMM, are spread over the cores.</summary>
    private const long SmallMatrixWork = 128 * 128 * 128;

    public void MatMul(BufferView a, BufferView b, BufferView y, BufferView? bias = null)
    {
        if (bias is { IsContiguous: false } strided)
        {
            var copy = Allocate(strided.DType, strided.Count);
            try
            {
                var contiguous = new BufferView(copy, strided.Shape, Shapes.ContiguousStrides(strided.Shape), 0);
                Copy(strided, contiguous);
                MatMul(a, b, y, contiguous);
            }
            finally
            {
                copy.Release();
            }
            return;
        }
        int rank = y.Rank;
        int m = y.Shape[rank - 2], n = y.Shape[rank - 1], k = a.Shape[rank - 1];
        int[] batchShape = y.Shape[..(rank - 2)];
        long batches = Shapes.NumElements(batchShape);
        long work = (long)m * n * k;
        bool spreadBatches = batches > 1 && work < SmallMatrixWork;
        int gemmThreads = spreadBatches ? 1 : Environment.ProcessorCount;
        var batchA = new BufferView(a.Storage, batchShape, a.Strides[..(rank - 2)], a.Offset);
        var batchB = new BufferView(b.Storage, batchShape, b.Strides[..(rank - 2)], b.Offset);
        var batchY = new BufferView(y.Storage, batchShape, y.Strides[..(rank - 2)], y.Offset);
        long rsA = a.Strides[rank - 2], csA = a.Strides[rank - 1], rsB = b.Strides[rank - 2], csB = b.Strides[rank - 1];
        long rsY = y.Strides[rank - 2], csY = y.Strides[rank - 1];
        StridedLoop.Run(batchShape, [batchA, batchB, batchY], (o, count, s) =>
        {
            for (long i = 0; i < count; i++)
            {
                long offA = o[0] + i * s[0], offB = o[1] + i * s[1], offY = o[2] + i * s[2];
                if (y.DType == DType.F32)
                    Gemm.Multiply(m, n, k, Address<float>(a, offA), rsA, csA, Address<float>(b, offB), rsB, csB, Address<float>(y, offY), rsY, csY, gemmThreads,
                        bias is { } bf ? Address<float>(bf, bf.Offset) : null);
                else
                    Gemm.Multiply(m, n, k, Address<double>(a, offA), rsA, csA, Address<double>(b, offB), rsB, csB, Address<double>(y, offY), rsY, csY, gemmThreads,
                        bias is { } bd ? Address<double>(bd, bd.Offset) : null);
            }
        }, parallel: spreadBatches && batches * work >= StridedLoop.ParallelThreshold);
    }
}
